-- Campaign performance per day and per month, from the click rows (basis clicks; the Marketplace
-- Insights daily counts add their rows in 330_campaign_insights.sql), by partner, offer, campaign
-- (with its status, so invalid ids are counted apart), source (src lower-cased) and referral domain (lower-cased):
--   page_visits   distinct sessions with any click
--   ctas          calls to action (clicks), also by type; cta_sessions: distinct sessions with one
--   consents      distinct sessions that gave consent
--   cta_rate      cta_sessions / page_visits, consent_rate consents / page_visits: exact integer
--                 arithmetic rounded half up to 4 decimals (DECIMAL, never a float).
DELETE FROM attr_campaign_performance;
INSERT INTO attr_campaign_performance BY NAME
-- The distinct session counts are taken in passes: each day's clicks per session first (with
-- whether the session had a call to action, or gave consent), the month's sessions from those
-- day rows, then plain counts of session rows per day and per month (a NULL session counts in
-- none, as in count(DISTINCT)). Three count(DISTINCT) over the clicks twice (day and month) were
-- most of the step's time.
WITH day_sessions AS (
    SELECT click_date, partner_id, pga_id, offer_id, mktcmpid, campaign_status, src_normalized,
           lower(trim(referral_domain)) AS ref_domain, session_id,
           count(*) AS clicks,
           count(*) FILTER (action_kind = 'cta') AS ctas,
           count(*) FILTER (cta_type = 'contact_me') AS cta_contact_me,
           count(*) FILTER (cta_type = 'free_trial') AS cta_free_trial,
           count(*) FILTER (cta_type = 'test_drive') AS cta_test_drive,
           count(*) FILTER (cta_type = 'get_it_now') AS cta_get_it_now,
           count(*) FILTER (cta_type = 'buy_now') AS cta_buy_now,
           count(*) FILTER (action_kind = 'cta'
                            AND cta_type NOT IN ('contact_me', 'free_trial', 'test_drive', 'get_it_now', 'buy_now')) AS cta_other,
           bool_or(action_kind = 'cta') AS has_cta,
           bool_or(action_kind = 'consent') AS has_consent
    FROM attr_clicks
    GROUP BY ALL
),
month_sessions AS (
    SELECT CAST(date_trunc('month', click_date) AS DATE) AS month, partner_id, pga_id, offer_id, mktcmpid,
           campaign_status, src_normalized, ref_domain, session_id,
           sum(clicks) AS clicks, sum(ctas) AS ctas, sum(cta_contact_me) AS cta_contact_me,
           sum(cta_free_trial) AS cta_free_trial, sum(cta_test_drive) AS cta_test_drive,
           sum(cta_get_it_now) AS cta_get_it_now, sum(cta_buy_now) AS cta_buy_now, sum(cta_other) AS cta_other,
           bool_or(has_cta) AS has_cta, bool_or(has_consent) AS has_consent
    FROM day_sessions
    GROUP BY ALL
),
periods AS (
    SELECT 'day' AS period, click_date AS period_start, * EXCLUDE (click_date) FROM day_sessions
    UNION ALL
    SELECT 'month' AS period, month AS period_start, * EXCLUDE (month) FROM month_sessions
),
counted AS (
    SELECT
        period, period_start, partner_id, pga_id, offer_id, mktcmpid, campaign_status,
        src_normalized AS source, ref_domain AS referral_domain,
        count(session_id) AS page_visits,
        CAST(sum(clicks) AS BIGINT) AS clicks,
        CAST(sum(ctas) AS BIGINT) AS ctas,
        CAST(sum(cta_contact_me) AS BIGINT) AS cta_contact_me,
        CAST(sum(cta_free_trial) AS BIGINT) AS cta_free_trial,
        CAST(sum(cta_test_drive) AS BIGINT) AS cta_test_drive,
        CAST(sum(cta_get_it_now) AS BIGINT) AS cta_get_it_now,
        CAST(sum(cta_buy_now) AS BIGINT) AS cta_buy_now,
        CAST(sum(cta_other) AS BIGINT) AS cta_other,
        count(session_id) FILTER (has_cta) AS cta_sessions,
        count(session_id) FILTER (has_consent) AS consents,
        'clicks' AS basis
    FROM periods
    GROUP BY period, period_start, partner_id, pga_id, offer_id, mktcmpid, campaign_status,
             src_normalized, ref_domain
)
-- No ORDER BY: the table grows with the clicks (3 M rows at scale 100) and sorting it cost a tenth
-- of the step; its contents are the same on every run, read it with an ORDER BY.
SELECT *,
       funnel_rate(cta_sessions, page_visits) AS cta_rate,
       funnel_rate(consents, page_visits) AS consent_rate
FROM counted;
