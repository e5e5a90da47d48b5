-- current_orders: the latest version of every order line (the highest OrderVersion wins;
-- a later event breaks a tie), with the selling partner and its PGA resolved.
-- The partner comes from the row's PublisherId (or the landing path, filled in at ingest), else
-- its offer, else a unique offer name.
-- An order arrives either as line items (full export, OrdersV2: PurchaseRecordLineItemId) or as
-- one order-level row (the Orders system query has no line item id). Where both exist for one
-- order, the shape of its latest delivery counts, so the order is never counted twice.
CREATE OR REPLACE TABLE current_orders AS
WITH granularity AS (
    SELECT asset_id, arg_max(purchase_record_line_item_id IS NULL, _file_id) AS order_level
    FROM orders
    GROUP BY asset_id
),
latest AS (
    SELECT o.*
    FROM orders o
    JOIN granularity g
      ON g.asset_id = o.asset_id AND g.order_level = (o.purchase_record_line_item_id IS NULL)
    QUALIFY row_number() OVER (
        PARTITION BY o.asset_id, o.purchase_record_line_item_id
        ORDER BY o.order_version DESC, o.event_timestamp DESC NULLS LAST, o._file_id DESC) = 1
),
unique_offer_names AS (
    SELECT offer_name, any_value(offer_id) AS offer_id, any_value(partner_id) AS partner_id
    FROM offers
    GROUP BY offer_name
    HAVING count(*) = 1
)
SELECT
    l.* EXCLUDE (publisher_id, offer_id, _file_id),
    coalesce(l.offer_id, n.offer_id) AS offer_id,
    coalesce(l.publisher_id, o.partner_id, n.partner_id) AS partner_id,
    p.pga_id
FROM latest l
LEFT JOIN offers o ON o.offer_id = l.offer_id
LEFT JOIN unique_offer_names n ON n.offer_name = CASE WHEN l.offer_id IS NULL THEN l.offer_name END
LEFT JOIN partners p ON p.partner_id = coalesce(l.publisher_id, o.partner_id, n.partner_id);
