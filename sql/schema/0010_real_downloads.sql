-- Real Partner Center downloads (docs/datasets.md): the system queries drop columns that the
-- full exports carry, so the key columns they lack become nullable, and rows gain what the
-- downloads add.

-- The Orders system query has no PurchaseRecordLineItemId (and no OrderVersion: it loads as 1).
ALTER TABLE orders ALTER COLUMN purchase_record_line_item_id DROP NOT NULL;
-- Columns whose value the export masked (************), comma-separated; the values are NULL.
ALTER TABLE orders ADD COLUMN masked_fields VARCHAR;

-- The usage system queries have no ReferenceId (nor MeterId); they carry UsageReference.
ALTER TABLE usage ALTER COLUMN reference_id DROP NOT NULL;
ALTER TABLE usage ADD COLUMN usage_reference VARCHAR;

-- A customer with two SaaS offers has two rows with an all-zero subscription id: the offer name
-- (UI exports) or the system query's row ID tells them apart.
ALTER TABLE customers ADD COLUMN offer_name VARCHAR;
ALTER TABLE customers ADD COLUMN record_id VARCHAR;
ALTER TABLE customers ADD COLUMN masked_fields VARCHAR;
