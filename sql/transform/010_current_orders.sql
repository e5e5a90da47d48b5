-- current_orders: the latest version of every order line (the highest OrderVersion wins;
-- a later event breaks a tie), with the selling partner and its PGA resolved.
-- The partner comes from the row's PublisherId, else its offer, else a unique offer name.
CREATE OR REPLACE TABLE current_orders AS
WITH latest AS (
    SELECT *
    FROM orders
    QUALIFY row_number() OVER (
        PARTITION BY asset_id, purchase_record_line_item_id
        ORDER BY order_version DESC, event_timestamp DESC NULLS LAST, _file_id DESC) = 1
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
LEFT JOIN unique_offer_names n ON l.offer_id IS NULL AND n.offer_name = l.offer_name
LEFT JOIN partners p ON p.partner_id = coalesce(l.publisher_id, o.partner_id, n.partner_id);
