-- offers: each partner's offers in the report month, one row per offer: orders, usage,
-- attributed deployments and listing funnel side by side (the figures of the *_monthly reports
-- restricted to the offer: slice 9 'Offer ID' of the report facts, sql/transform/5NN_*.sql).
-- Feeds the "by offer" charts of the Summary.
-- Parameters: 1 first partner id, 2 last partner id (inclusive), 3 first month of the window
-- (unused), 4 report month (DATEs). Rows come ordered by partner.
WITH params AS (   -- the partners from 1 to 2 (ids, inclusive), the window from 3 to 4 (first of month)
    SELECT CAST(? AS VARCHAR) AS partner_from, CAST(? AS VARCHAR) AS partner_to,
           CAST(? AS DATE) AS first_month, CAST(? AS DATE) AS last_month
),
partner_offers AS (   -- the offer list, latest delivery of each offer
    SELECT o.partner_id, o.offer_id, o.offer_name, o.listing_type, o.live_date
    FROM offers o, params p
    WHERE o.partner_id BETWEEN p.partner_from AND p.partner_to
    QUALIFY row_number() OVER (PARTITION BY o.partner_id, o.offer_id
                               ORDER BY o._file_id DESC, o.offer_name, o.listing_type, o.live_date) = 1
),
order_figures AS (
    SELECT f.partner_id, f.value AS offer_id, f.new_orders, f.canceled_orders, f.active_orders
    FROM report_orders_facts f, params p
    WHERE f.slice_no = 9 AND f.month = p.last_month AND f.partner_id BETWEEN p.partner_from AND p.partner_to
),
usage_figures AS (
    SELECT f.partner_id, f.value AS offer_id, f.normalized_usage, f.metered_quantity, f.estimated_charges_usd
    FROM report_usage_facts f, params p
    WHERE f.slice_no = 9 AND f.month = p.last_month AND f.partner_id BETWEEN p.partner_from AND p.partner_to
),
deployment_figures AS (
    SELECT f.partner_id, f.value AS offer_id, f.deployments
    FROM report_deployments_facts f, params p
    WHERE f.slice_no = 9 AND f.month = p.last_month AND f.partner_id BETWEEN p.partner_from AND p.partner_to
),
click_figures AS (
    SELECT f.partner_id, f.value AS offer_id, f.page_visits, f.ctas
    FROM report_campaigns_facts f, params p
    WHERE f.slice_no = 9 AND f.month = p.last_month AND f.partner_id BETWEEN p.partner_from AND p.partner_to
),
all_offers AS (   -- listed offers, and any offer id the month's data names
    SELECT partner_id, offer_id FROM partner_offers
    UNION SELECT partner_id, offer_id FROM order_figures
    UNION SELECT partner_id, offer_id FROM usage_figures
    UNION SELECT partner_id, offer_id FROM deployment_figures
    UNION SELECT partner_id, offer_id FROM click_figures
)
SELECT a.partner_id,
       coalesce(a.offer_id, '(unknown)') AS offer_id,
       coalesce(o.offer_name, a.offer_id, '(unknown)') AS offer_name,
       o.listing_type,
       o.live_date,
       coalesce(f.new_orders, 0) AS new_orders,
       coalesce(f.active_orders, 0) AS active_orders,
       coalesce(f.canceled_orders, 0) AS canceled_orders,
       coalesce(u.normalized_usage, 0) AS normalized_usage,
       coalesce(u.metered_quantity, 0) AS metered_quantity,
       coalesce(u.estimated_charges_usd, 0) AS estimated_charges_usd,
       coalesce(d.deployments, 0) AS attributed_deployments,
       coalesce(c.page_visits, 0) AS page_visits,
       coalesce(c.ctas, 0) AS ctas
FROM all_offers a
LEFT JOIN partner_offers o ON o.partner_id = a.partner_id AND o.offer_id IS NOT DISTINCT FROM a.offer_id
LEFT JOIN order_figures f ON f.partner_id = a.partner_id AND f.offer_id IS NOT DISTINCT FROM a.offer_id
LEFT JOIN usage_figures u ON u.partner_id = a.partner_id AND u.offer_id IS NOT DISTINCT FROM a.offer_id
LEFT JOIN deployment_figures d ON d.partner_id = a.partner_id AND d.offer_id IS NOT DISTINCT FROM a.offer_id
LEFT JOIN click_figures c ON c.partner_id = a.partner_id AND c.offer_id IS NOT DISTINCT FROM a.offer_id
ORDER BY a.partner_id, coalesce(o.offer_name, a.offer_id, '(unknown)'), a.offer_id NULLS LAST
