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
WITH c AS (
    SELECT *, lower(trim(referral_domain)) AS ref_domain FROM attr_clicks
),
periods AS (
    SELECT 'day' AS period, click_date AS period_start, * FROM c
    UNION ALL
    SELECT 'month' AS period, CAST(date_trunc('month', click_date) AS DATE) AS period_start, * FROM c
),
counted AS (
    SELECT
        period, period_start, partner_id, pga_id, offer_id, mktcmpid, campaign_status,
        src_normalized AS source, ref_domain AS referral_domain,
        count(DISTINCT session_id) AS page_visits,
        count(*) AS clicks,
        count(*) FILTER (action_kind = 'cta') AS ctas,
        count(*) FILTER (cta_type = 'contact_me') AS cta_contact_me,
        count(*) FILTER (cta_type = 'free_trial') AS cta_free_trial,
        count(*) FILTER (cta_type = 'test_drive') AS cta_test_drive,
        count(*) FILTER (cta_type = 'get_it_now') AS cta_get_it_now,
        count(*) FILTER (cta_type = 'buy_now') AS cta_buy_now,
        count(*) FILTER (action_kind = 'cta'
                         AND cta_type NOT IN ('contact_me', 'free_trial', 'test_drive', 'get_it_now', 'buy_now')) AS cta_other,
        count(DISTINCT session_id) FILTER (action_kind = 'cta') AS cta_sessions,
        count(DISTINCT session_id) FILTER (action_kind = 'consent') AS consents,
        'clicks' AS basis
    FROM periods
    GROUP BY period, period_start, partner_id, pga_id, offer_id, mktcmpid, campaign_status,
             src_normalized, ref_domain
)
SELECT *,
       funnel_rate(cta_sessions, page_visits) AS cta_rate,
       funnel_rate(consents, page_visits) AS consent_rate
FROM counted
ORDER BY ALL;
