-- campaigns_monthly: the marketplace listing funnel of the partner's offers per month of the
-- report window (one row per month, for the trend chart), from the campaign clicks.
--   page_visits   distinct sessions with any click
--   ctas          calls to action (clicks), also by type (contact me, free trial, test drive,
--                 get it now; buy now and other actions in other_ctas)
--   cta_sessions  distinct sessions with a call to action; consents: sessions that gave consent
--   cta_rate, consent_rate  cta_sessions / page_visits and consents / page_visits, exact integer
--                 arithmetic rounded half up to 4 decimals, as campaign_performance computes them
-- Marketplace Insights daily counts add their figures where no click rows exist for the offer and
-- day (marketplace_insights_counts.counted, 330_campaign_insights.sql): never both.
-- Parameters: 1 partner id, 2 first month of the window, 3 report month (DATEs, first of month).
WITH params AS (
    SELECT CAST(? AS VARCHAR) AS partner_id, CAST(? AS DATE) AS first_month, CAST(? AS DATE) AS last_month
),
months AS (
    SELECT CAST(unnest(generate_series(first_month, last_month, INTERVAL 1 MONTH)) AS DATE) AS month
    FROM params
),
click_counted AS (
    SELECT CAST(date_trunc('month', c.click_date) AS DATE) AS month,
           count(DISTINCT c.session_id) AS page_visits,
           count(*) FILTER (WHERE c.action_kind = 'cta') AS ctas,
           count(*) FILTER (WHERE c.cta_type = 'contact_me') AS cta_contact_me,
           count(*) FILTER (WHERE c.cta_type = 'free_trial') AS cta_free_trial,
           count(*) FILTER (WHERE c.cta_type = 'test_drive') AS cta_test_drive,
           count(*) FILTER (WHERE c.cta_type = 'get_it_now') AS cta_get_it_now,
           count(*) FILTER (WHERE c.action_kind = 'cta'
                              AND c.cta_type NOT IN ('contact_me', 'free_trial', 'test_drive', 'get_it_now')) AS cta_other,
           count(DISTINCT c.session_id) FILTER (WHERE c.action_kind = 'cta') AS cta_sessions,
           count(DISTINCT c.session_id) FILTER (WHERE c.action_kind = 'consent') AS consents
    FROM campaign_clicks c
    JOIN params p ON c.partner_id = p.partner_id
    WHERE c.click_date >= p.first_month
      AND c.click_date < p.last_month + INTERVAL 1 MONTH
    GROUP BY 1
),
counted AS (   -- clicks, plus the Insights counts of the offer-days without clicks
    SELECT month, sum(page_visits) AS page_visits, sum(ctas) AS ctas, sum(cta_contact_me) AS cta_contact_me,
           sum(cta_free_trial) AS cta_free_trial, sum(cta_test_drive) AS cta_test_drive,
           sum(cta_get_it_now) AS cta_get_it_now, sum(cta_other) AS cta_other,
           sum(cta_sessions) AS cta_sessions, sum(consents) AS consents
    FROM (
        SELECT * FROM click_counted
        UNION ALL
        SELECT CAST(date_trunc('month', i."date") AS DATE), i.page_visits, i.ctas, i.cta_contact_me,
               i.cta_free_trial, i.cta_test_drive, i.cta_get_it_now, 0, least(i.ctas, i.page_visits), i.consents
        FROM marketplace_insights_counts i
        JOIN params p ON i.partner_id = p.partner_id
        WHERE i.counted AND i."date" >= p.first_month AND i."date" < p.last_month + INTERVAL 1 MONTH
    )
    GROUP BY month
)
SELECT m.month,
       CAST(coalesce(c.page_visits, 0) AS BIGINT) AS page_visits,
       CAST(coalesce(c.ctas, 0) AS BIGINT) AS ctas,
       CAST(coalesce(c.cta_contact_me, 0) AS BIGINT) AS cta_contact_me,
       CAST(coalesce(c.cta_free_trial, 0) AS BIGINT) AS cta_free_trial,
       CAST(coalesce(c.cta_test_drive, 0) AS BIGINT) AS cta_test_drive,
       CAST(coalesce(c.cta_get_it_now, 0) AS BIGINT) AS cta_get_it_now,
       CAST(coalesce(c.cta_other, 0) AS BIGINT) AS other_ctas,
       CAST(coalesce(c.cta_sessions, 0) AS BIGINT) AS cta_sessions,
       CAST(coalesce(c.consents, 0) AS BIGINT) AS consents,
       CASE WHEN c.page_visits > 0 THEN
           CAST(CAST((c.cta_sessions * 20000 + c.page_visits) // (2 * c.page_visits) AS DECIMAL(18,0))
                * CAST(0.0001 AS DECIMAL(5,4)) AS DECIMAL(9,4)) END AS cta_rate,
       CASE WHEN c.page_visits > 0 THEN
           CAST(CAST((c.consents * 20000 + c.page_visits) // (2 * c.page_visits) AS DECIMAL(18,0))
                * CAST(0.0001 AS DECIMAL(5,4)) AS DECIMAL(9,4)) END AS consent_rate
FROM months m
LEFT JOIN counted c USING (month)
ORDER BY m.month
