-- Opt-out lists in their natural shapes (docs/datasets.md): besides the project's own Kind,Id
-- layout, a list with subscription and/or tenant id columns (either may be blank on a row), or a
-- one-column list whose header says which kind.
ALTER TABLE opt_outs ALTER COLUMN kind DROP NOT NULL;
ALTER TABLE opt_outs ALTER COLUMN id DROP NOT NULL;
ALTER TABLE opt_outs ADD COLUMN subscription_id VARCHAR;
ALTER TABLE opt_outs ADD COLUMN tenant_id VARCHAR;

-- Every opted-out id, one row per kind and id, whatever shape the list came in. The transform
-- reads opt-outs only through this view.
CREATE VIEW opt_out_ids AS
SELECT kind, trim(id) AS id, opted_out_at FROM opt_outs WHERE kind IS NOT NULL AND nullif(trim(id), '') IS NOT NULL
UNION ALL
SELECT 'subscription', trim(subscription_id), opted_out_at FROM opt_outs WHERE nullif(trim(subscription_id), '') IS NOT NULL
UNION ALL
SELECT 'tenant', trim(tenant_id), opted_out_at FROM opt_outs WHERE nullif(trim(tenant_id), '') IS NOT NULL;
