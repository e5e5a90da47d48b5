-- summary: the snapshot on the workbook's first sheet: the report month against the month before,
-- one row per metric. Each figure is defined as in the report named in its comment (a test checks
-- that they agree); the tier rows are company-wide (the partner global account, PGA).
-- Parameters: 1 partner id, 2 first month of the window (unused), 3 report month (DATEs).
-- Values are DECIMAL(18,2) so that one column holds counts, hours and dollars; unit says which
-- (count, hours, quantity, USD, ratio: 0.55 = 55 %) and picks each row's number format (counts are whole numbers in
-- the CSV, money has cents); change_pct is the change over the previous value's magnitude (NULL
-- when that is 0).
-- Privacy: as in the reports each figure comes from.
WITH params AS (
    SELECT CAST(? AS VARCHAR) AS partner_id, CAST(? AS DATE) AS first_month, CAST(? AS DATE) AS last_month
),
periods AS (   -- 0 = the report month, 1 = the month before
    SELECT 0 AS k, last_month AS month FROM params
    UNION ALL
    SELECT 1, CAST(last_month - INTERVAL 1 MONTH AS DATE) FROM params
),
rates AS (
    SELECT upper(trim(currency)) AS currency, CAST(date_trunc('month', month) AS DATE) AS month,
           arg_max(rate_to_usd, _file_id) AS rate_to_usd
    FROM fx_rates
    GROUP BY ALL
),
orders_m AS (   -- orders_monthly
    SELECT x.k,
           count(DISTINCT o.asset_id) FILTER (WHERE date_trunc('month', o.order_purchase_date) = x.month) AS new_orders,
           count(DISTINCT o.asset_id) FILTER (WHERE date_trunc('month', o.term_start_date) = x.month
                                                AND o.term_start_date > o.order_purchase_date) AS renewed_orders,
           count(DISTINCT o.asset_id) FILTER (WHERE lower(trim(o.order_status)) = 'canceled') AS canceled_orders,
           count(DISTINCT o.asset_id) FILTER (WHERE o.is_active) AS active_orders
    FROM periods x
    JOIN partner_visible_orders o ON o.month = x.month   -- privacy: see sql/transform/150_visible_rows.sql
    JOIN params p ON o.partner_id = p.partner_id
    GROUP BY x.k
),
subscription_partner AS (
    SELECT marketplace_subscription_id, min(partner_id) AS partner_id
    FROM current_orders
    GROUP BY marketplace_subscription_id
),
per_customer AS (   -- customers_monthly
    SELECT c.customer_id, min(c.date_acquired) AS acquired,
           CASE WHEN bool_and(c.date_lost IS NOT NULL) THEN max(c.date_lost) END AS lost
    FROM partner_visible_customers c
    LEFT JOIN subscription_partner s USING (marketplace_subscription_id)
    JOIN params p ON coalesce(c.publisher_id, s.partner_id) = p.partner_id
    GROUP BY c.customer_id
),
customers_m AS (
    SELECT x.k,
           count(c.customer_id) FILTER (WHERE date_trunc('month', c.acquired) = x.month) AS new_customers,
           count(c.customer_id) FILTER (WHERE c.acquired <= last_day(x.month)
                                          AND (c.lost IS NULL OR c.lost > last_day(x.month))) AS total_customers
    FROM periods x
    LEFT JOIN per_customer c ON true
    GROUP BY x.k
),
usage_rows AS (   -- usage_monthly
    SELECT x.k, x.month, u.normalized_usage, u.metered_usage, u.charge, u.charge_currency
    FROM periods x
    JOIN partner_visible_usage u ON u.month = x.month   -- privacy: see sql/transform/150_visible_rows.sql
    JOIN params p ON u.partner_id = p.partner_id
),
usage_m AS (
    SELECT u.k, sum(u.normalized_usage) AS normalized_usage, sum(u.metered_usage) AS metered_quantity,
           sum(u.charge * CASE WHEN u.charge_currency = 'USD' THEN 1 ELSE r.rate_to_usd END) AS charges_usd
    FROM usage_rows u
    LEFT JOIN rates r ON r.currency = u.charge_currency AND r.month = u.month
    GROUP BY u.k
),
billed_m AS (   -- the partner's part of the billed sales the tiers count (billed_sales_parts)
    SELECT x.k, sum(b.amount_usd) AS billed_sales_usd
    FROM periods x
    JOIN billed_sales_parts b ON b.month = x.month
    JOIN params p ON b.partner_id = p.partner_id
    GROUP BY x.k
),
deployments_m AS (   -- deployments_monthly
    SELECT x.k, count(DISTINCT d.deployment_id) AS deployments
    FROM periods x
    JOIN deployment_attribution d ON date_trunc('month', d."timestamp") = x.month
    JOIN params p ON d.partner_id = p.partner_id
    WHERE d.status = 'attributed'
    GROUP BY x.k
),
attributed_m AS (
    SELECT k, sum(normalized_usage) AS normalized_usage
    FROM (SELECT DISTINCT x.k, u.reference_id, u.normalized_usage
          FROM periods x
          JOIN attributed_usage u ON u.month = x.month
          JOIN params p ON u.partner_id = p.partner_id)
    GROUP BY k
),
clicks_m AS (   -- campaigns_monthly: clicks, plus the counted Marketplace Insights counts
    SELECT k, sum(page_visits) AS page_visits, sum(ctas) AS ctas
    FROM (
        SELECT x.k, count(DISTINCT c.session_id) AS page_visits,
               count(*) FILTER (WHERE c.action_kind = 'cta') AS ctas
        FROM periods x
        JOIN campaign_clicks c ON date_trunc('month', c.click_date) = x.month
        JOIN params p ON c.partner_id = p.partner_id
        GROUP BY x.k
        UNION ALL
        SELECT x.k, i.page_visits, i.ctas
        FROM periods x
        JOIN marketplace_insights_counts i ON date_trunc('month', i."date") = x.month
        JOIN params p ON i.partner_id = p.partner_id
        WHERE i.counted
    )
    GROUP BY k
),
partner_pga AS (
    SELECT min(pga_id) AS pga_id FROM partners JOIN params p USING (partner_id)
),
tier_now AS (   -- the tier status of the last transform run (tier_status view)
    SELECT t.* FROM tier_status t JOIN partner_pga g USING (pga_id)
),
ttm_m AS (   -- company-wide billed sales over the tier window ending with each month
    SELECT x.k, sum(b.billed_sales_usd) AS ttm
    FROM periods x
    CROSS JOIN partner_pga g
    CROSS JOIN (SELECT max(window_months) AS window_months FROM tier_settings) s
    JOIN billed_sales_monthly b
      ON b.pga_id = g.pga_id AND b.month <= x.month AND b.month > x.month - to_months(s.window_months)
    GROUP BY x.k
),
figures AS (
    SELECT x.k,
           o.new_orders, o.renewed_orders, o.canceled_orders, o.active_orders,
           c.new_customers, c.total_customers,
           u.normalized_usage, u.metered_quantity, u.charges_usd,
           b.billed_sales_usd,
           d.deployments, a.normalized_usage AS attributed_usage,
           k.page_visits, k.ctas,
           t.ttm,
           n.next_threshold_usd AS next_threshold,
           n.next_threshold_usd - coalesce(t.ttm, 0) AS gap,
           coalesce(t.ttm, 0) / n.next_threshold_usd AS progress   -- ratio, to two places: a progress bar
    FROM periods x
    LEFT JOIN orders_m o USING (k)
    LEFT JOIN customers_m c USING (k)
    LEFT JOIN usage_m u USING (k)
    LEFT JOIN billed_m b USING (k)
    LEFT JOIN deployments_m d USING (k)
    LEFT JOIN attributed_m a USING (k)
    LEFT JOIN clicks_m k USING (k)
    LEFT JOIN ttm_m t USING (k)
    LEFT JOIN tier_now n ON true
),
metrics AS (
    SELECT k, unnest([
        {'n': 1,  'area': 'Orders',      'metric': 'New orders',                          'unit': 'count', 'better': 'higher', 'v': new_orders},
        {'n': 2,  'area': 'Orders',      'metric': 'Renewed orders',                      'unit': 'count', 'better': 'higher', 'v': renewed_orders},
        {'n': 3,  'area': 'Orders',      'metric': 'Canceled orders',                     'unit': 'count', 'better': 'lower', 'v': canceled_orders},
        {'n': 4,  'area': 'Orders',      'metric': 'Active orders',                       'unit': 'count', 'better': 'higher', 'v': active_orders},
        {'n': 5,  'area': 'Customers',   'metric': 'New customers',                       'unit': 'count', 'better': 'higher', 'v': new_customers},
        {'n': 6,  'area': 'Customers',   'metric': 'Total customers',                     'unit': 'count', 'better': 'higher', 'v': total_customers},
        {'n': 7,  'area': 'Usage',       'metric': 'Normalized usage (hours)',            'unit': 'hours', 'better': 'higher', 'v': normalized_usage},
        {'n': 8,  'area': 'Usage',       'metric': 'Metered quantity',                    'unit': 'quantity', 'better': 'higher', 'v': metered_quantity},
        {'n': 9,  'area': 'Usage',       'metric': 'Estimated usage charges (USD)',       'unit': 'USD', 'better': 'higher', 'v': charges_usd},
        {'n': 10, 'area': 'Sales',       'metric': 'Marketplace-billed sales (USD)',      'unit': 'USD', 'better': 'higher', 'v': billed_sales_usd},
        {'n': 11, 'area': 'Deployments', 'metric': 'Attributed deployments',              'unit': 'count', 'better': 'higher', 'v': deployments},
        {'n': 12, 'area': 'Deployments', 'metric': 'Attributed usage (hours)',            'unit': 'hours', 'better': 'higher', 'v': attributed_usage},
        {'n': 13, 'area': 'Campaigns',   'metric': 'Page visits',                         'unit': 'count', 'better': 'higher', 'v': page_visits},
        {'n': 14, 'area': 'Campaigns',   'metric': 'Calls to action',                     'unit': 'count', 'better': 'higher', 'v': ctas},
        {'n': 15, 'area': 'Tier',        'metric': 'Trailing billed sales, company (USD)', 'unit': 'USD', 'better': 'higher', 'v': ttm},
        {'n': 16, 'area': 'Tier',        'metric': 'Next tier threshold (USD)',           'unit': 'USD', 'better': '', 'v': next_threshold},
        {'n': 17, 'area': 'Tier',        'metric': 'Gap to next tier (USD)',              'unit': 'USD', 'better': 'lower', 'v': gap},
        {'n': 18, 'area': 'Tier',        'metric': 'Progress to next tier',               'unit': 'ratio', 'better': 'higher', 'v': progress}
    ], recursive := true)
    FROM figures
),
pivoted AS (
    SELECT n, area, metric, unit, better,
           CAST(coalesce(max(v) FILTER (WHERE k = 0), 0) AS DECIMAL(18,2)) AS this_period,
           CAST(coalesce(max(v) FILTER (WHERE k = 1), 0) AS DECIMAL(18,2)) AS previous_period
    FROM metrics
    GROUP BY n, area, metric, unit, better
),
notes AS (
    SELECT 15 AS n,
           'Tier: ' || coalesce(t.tier, 'none yet') || CASE WHEN t.next_tier IS NULL THEN ' (top tier)' ELSE '' END
           || ' as of ' || strftime(t.as_of, '%Y-%m-%d') AS note
    FROM tier_now t
    UNION ALL
    SELECT 16, 'Next tier: ' || t.next_tier FROM tier_now t WHERE t.next_tier IS NOT NULL
    UNION ALL
    SELECT 17,   -- short: the note column sits beside the Summary's charts
           CASE WHEN t.projected_month IS NULL OR t.projected_month = 'not at current pace'
                THEN 'Not reached at the current pace'
                ELSE 'Projected: ' || t.next_tier || ' in ' || t.projected_month END
    FROM tier_now t WHERE t.next_tier IS NOT NULL
)
SELECT p.area, p.metric, p.unit, p.this_period, p.previous_period,
       CAST(p.this_period - p.previous_period AS DECIMAL(18,2)) AS change,
       CASE WHEN p.previous_period <> 0 AND p.unit <> 'ratio'
            THEN CAST((p.this_period - p.previous_period) / abs(p.previous_period) AS DECIMAL(9,4)) END AS change_pct,
       p.better,
       n.note
FROM pivoted p
LEFT JOIN notes n USING (n)
WHERE p.n < 16 OR EXISTS (SELECT 1 FROM tier_now WHERE next_tier IS NOT NULL)
ORDER BY p.n
