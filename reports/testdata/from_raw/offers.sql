-- offers: each of the partner's offers in the report month, one row per offer: orders, usage,
-- attributed deployments and listing funnel side by side (the figures of the *_monthly reports
-- restricted to the offer). Feeds the "by offer" charts of the Summary.
-- Parameters: 1 partner id, 2 first month of the window (unused), 3 report month (DATEs).
-- Privacy: as in orders_monthly and usage_monthly.
WITH params AS (
    SELECT CAST(? AS VARCHAR) AS partner_id, CAST(? AS DATE) AS first_month, CAST(? AS DATE) AS last_month
),
rates AS (
    SELECT upper(trim(currency)) AS currency, CAST(date_trunc('month', month) AS DATE) AS month,
           arg_max(rate_to_usd, _file_id) AS rate_to_usd
    FROM fx_rates
    GROUP BY ALL
),
partner_offers AS (   -- the offer list, latest delivery of each offer
    SELECT o.offer_id, o.offer_name, o.listing_type, o.live_date
    FROM offers o
    JOIN params p ON o.partner_id = p.partner_id
    QUALIFY row_number() OVER (PARTITION BY o.offer_id
                               ORDER BY o._file_id DESC, o.offer_name, o.listing_type, o.live_date) = 1
),
order_figures AS (
    SELECT o.offer_id,
           count(DISTINCT o.asset_id) FILTER (WHERE date_trunc('month', o.order_purchase_date) = p.last_month) AS new_orders,
           count(DISTINCT o.asset_id) FILTER (WHERE lower(trim(o.order_status)) = 'canceled') AS canceled_orders,
           count(DISTINCT o.asset_id) FILTER (WHERE o.is_active) AS active_orders
    FROM partner_visible_orders o   -- privacy: see sql/transform/150_visible_rows.sql
    JOIN params p ON o.partner_id = p.partner_id
    WHERE o.month = p.last_month
    GROUP BY o.offer_id
),
usage_rows AS (
    SELECT u.offer_id, u.normalized_usage, u.metered_usage, u.charge, u.charge_currency
    FROM partner_visible_usage u   -- privacy: see sql/transform/150_visible_rows.sql
    JOIN params p ON u.partner_id = p.partner_id
    WHERE u.month = p.last_month
),
usage_figures AS (
    SELECT u.offer_id, sum(u.normalized_usage) AS normalized_usage, sum(u.metered_usage) AS metered_quantity,
           sum(u.charge * CASE WHEN u.charge_currency = 'USD' THEN 1 ELSE x.rate_to_usd END) AS charges_usd
    FROM usage_rows u
    CROSS JOIN params p
    LEFT JOIN rates x ON x.currency = u.charge_currency AND x.month = p.last_month
    GROUP BY u.offer_id
),
deployment_figures AS (
    SELECT d.offer_id, count(DISTINCT d.deployment_id) AS deployments
    FROM deployment_attribution d
    JOIN params p ON d.partner_id = p.partner_id
    WHERE d.status = 'attributed' AND date_trunc('month', d."timestamp") = p.last_month
    GROUP BY d.offer_id
),
click_figures AS (   -- clicks, plus the counted Marketplace Insights counts (330_campaign_insights.sql)
    SELECT offer_id, sum(page_visits) AS page_visits, sum(ctas) AS ctas
    FROM (
        SELECT c.offer_id, count(DISTINCT c.session_id) AS page_visits,
               count(*) FILTER (WHERE c.action_kind = 'cta') AS ctas
        FROM campaign_clicks c
        JOIN params p ON c.partner_id = p.partner_id
        WHERE date_trunc('month', c.click_date) = p.last_month
        GROUP BY c.offer_id
        UNION ALL
        SELECT i.offer_id, i.page_visits, i.ctas
        FROM marketplace_insights_counts i
        JOIN params p ON i.partner_id = p.partner_id
        WHERE i.counted AND date_trunc('month', i."date") = p.last_month
    )
    GROUP BY offer_id
),
all_offers AS (   -- listed offers, and any offer id the month's data names
    SELECT offer_id FROM partner_offers
    UNION SELECT offer_id FROM order_figures
    UNION SELECT offer_id FROM usage_figures
    UNION SELECT offer_id FROM deployment_figures
    UNION SELECT offer_id FROM click_figures
)
SELECT coalesce(a.offer_id, '(unknown)') AS offer_id,
       coalesce(o.offer_name, a.offer_id, '(unknown)') AS offer_name,
       o.listing_type,
       o.live_date,
       CAST(coalesce(f.new_orders, 0) AS BIGINT) AS new_orders,
       CAST(coalesce(f.active_orders, 0) AS BIGINT) AS active_orders,
       CAST(coalesce(f.canceled_orders, 0) AS BIGINT) AS canceled_orders,
       CAST(coalesce(u.normalized_usage, 0) AS DECIMAL(18,6)) AS normalized_usage,
       CAST(coalesce(u.metered_quantity, 0) AS DECIMAL(18,6)) AS metered_quantity,
       CAST(coalesce(u.charges_usd, 0) AS DECIMAL(18,2)) AS estimated_charges_usd,
       CAST(coalesce(d.deployments, 0) AS BIGINT) AS attributed_deployments,
       CAST(coalesce(c.page_visits, 0) AS BIGINT) AS page_visits,
       CAST(coalesce(c.ctas, 0) AS BIGINT) AS ctas
FROM all_offers a
LEFT JOIN partner_offers o ON o.offer_id IS NOT DISTINCT FROM a.offer_id
LEFT JOIN order_figures f ON f.offer_id IS NOT DISTINCT FROM a.offer_id
LEFT JOIN usage_figures u ON u.offer_id IS NOT DISTINCT FROM a.offer_id
LEFT JOIN deployment_figures d ON d.offer_id IS NOT DISTINCT FROM a.offer_id
LEFT JOIN click_figures c ON c.offer_id IS NOT DISTINCT FROM a.offer_id
ORDER BY coalesce(o.offer_name, a.offer_id, '(unknown)'), a.offer_id NULLS LAST
