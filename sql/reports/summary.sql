-- summary: the snapshot on the workbook's first sheet: the report month against the month before,
-- one row per metric. Each figure is selected from the report facts where it is defined once
-- (sql/transform/510–550_report_*_facts.sql, slice 0), billed sales from billed_sales_parts (as the
-- tiers count them), the trailing window from the pga_trailing_sales macro (as tier status and
-- unlocks); the tier rows are company-wide (the partner global account, PGA).
-- Parameters: 1 first partner id, 2 last partner id (inclusive), 3 first month of the window
-- (unused), 4 report month (DATEs). Rows come ordered by partner.
-- Values are DECIMAL(18,2) so that one column holds counts, hours and dollars; unit says which
-- (count, hours, quantity, USD, ratio: 0.55 = 55 %) and picks each row's number format (counts are whole numbers in
-- the CSV, money has cents); change_pct is the change over the previous value's magnitude (NULL
-- when that is 0).
WITH params AS (   -- the partners from 1 to 2 (ids, inclusive), the window from 3 to 4 (first of month)
    SELECT CAST(? AS VARCHAR) AS partner_from, CAST(? AS VARCHAR) AS partner_to,
           CAST(? AS DATE) AS first_month, CAST(? AS DATE) AS last_month
),
partners_in AS (   -- every registered partner of the range, with its PGA
    SELECT r.partner_id, min(r.pga_id) AS pga_id
    FROM partners r, params p
    WHERE r.partner_id BETWEEN p.partner_from AND p.partner_to AND trim(r.partner_id) <> ''
    GROUP BY r.partner_id
),
periods AS (   -- 0 = the report month, 1 = the month before
    SELECT 0 AS k, last_month AS month FROM params
    UNION ALL
    SELECT 1, CAST(last_month - INTERVAL 1 MONTH AS DATE) FROM params
),
billed_m AS (   -- the partner's part of the billed sales the tiers count (billed_sales_parts)
    SELECT b.partner_id, b.month, sum(b.amount_usd) AS billed_sales_usd
    FROM billed_sales_parts b, params p
    WHERE b.partner_id BETWEEN p.partner_from AND p.partner_to
      AND b.month BETWEEN p.last_month - INTERVAL 1 MONTH AND p.last_month
    GROUP BY ALL
),
ttm_m AS (   -- company-wide billed sales over the tier window ending with each month
    SELECT t.pga_id, t.month, t.ttm
    FROM pga_trailing_sales((SELECT last_month FROM params),
                            (SELECT max(window_months) FROM tier_settings)) t
),
tier_now AS (   -- the tier status of the last transform run (tier_status view), per partner
    SELECT x.partner_id, t.*
    FROM partners_in x
    JOIN tier_status t USING (pga_id)
),
figures AS (
    SELECT x.partner_id, g.k,
           o.new_orders, o.renewed_orders, o.canceled_orders, o.active_orders,
           c.new_customers, c.total_customers,
           u.normalized_usage, u.metered_quantity, u.estimated_charges_usd AS charges_usd,
           b.billed_sales_usd,
           d.deployments, d.attributed_normalized_usage AS attributed_usage,
           k.page_visits, k.ctas,
           t.ttm,
           n.next_threshold_usd AS next_threshold,
           n.next_threshold_usd - coalesce(t.ttm, 0) AS gap,
           coalesce(t.ttm, 0) / n.next_threshold_usd AS progress   -- ratio, to two places: a progress bar
    FROM partners_in x
    CROSS JOIN periods g
    LEFT JOIN report_orders_facts o ON o.partner_id = x.partner_id AND o.slice_no = 0 AND o.month = g.month
    LEFT JOIN report_customers_facts c ON c.partner_id = x.partner_id AND c.slice_no = 0 AND c.month = g.month
    LEFT JOIN report_usage_facts u ON u.partner_id = x.partner_id AND u.slice_no = 0 AND u.month = g.month
    LEFT JOIN billed_m b ON b.partner_id = x.partner_id AND b.month = g.month
    LEFT JOIN report_deployments_facts d ON d.partner_id = x.partner_id AND d.slice_no = 0 AND d.month = g.month
    LEFT JOIN report_campaigns_facts k ON k.partner_id = x.partner_id AND k.slice_no = 0 AND k.month = g.month
    LEFT JOIN ttm_m t ON t.pga_id = x.pga_id AND t.month = g.month
    LEFT JOIN tier_now n ON n.partner_id = x.partner_id
),
metrics AS (
    SELECT partner_id, k, unnest([
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
    SELECT partner_id, n, area, metric, unit, better,
           CAST(coalesce(max(v) FILTER (WHERE k = 0), 0) AS DECIMAL(18,2)) AS this_period,
           CAST(coalesce(max(v) FILTER (WHERE k = 1), 0) AS DECIMAL(18,2)) AS previous_period
    FROM metrics
    GROUP BY partner_id, n, area, metric, unit, better
),
notes AS (
    SELECT partner_id, 15 AS n,
           'Tier: ' || coalesce(t.tier, 'none yet') || CASE WHEN t.next_tier IS NULL THEN ' (top tier)' ELSE '' END
           || ' as of ' || strftime(t.as_of, '%Y-%m-%d') AS note
    FROM tier_now t
    UNION ALL
    SELECT partner_id, 16, 'Next tier: ' || t.next_tier FROM tier_now t WHERE t.next_tier IS NOT NULL
    UNION ALL
    SELECT partner_id, 17,   -- short: the note column sits beside the Summary's charts
           CASE WHEN t.projected_month IS NULL OR t.projected_month = 'not at current pace'
                THEN 'Not reached at the current pace'
                ELSE 'Projected: ' || t.next_tier || ' in ' || t.projected_month END
    FROM tier_now t WHERE t.next_tier IS NOT NULL
)
SELECT p.partner_id, p.area, p.metric, p.unit, p.this_period, p.previous_period,
       CAST(p.this_period - p.previous_period AS DECIMAL(18,2)) AS change,
       CASE WHEN p.previous_period <> 0 AND p.unit <> 'ratio'
            THEN CAST((p.this_period - p.previous_period) / abs(p.previous_period) AS DECIMAL(9,4)) END AS change_pct,
       p.better,
       n.note
FROM pivoted p
LEFT JOIN notes n USING (partner_id, n)
WHERE p.n < 16 OR EXISTS (SELECT 1 FROM tier_now t WHERE t.partner_id = p.partner_id AND t.next_tier IS NOT NULL)
ORDER BY p.partner_id, p.n
