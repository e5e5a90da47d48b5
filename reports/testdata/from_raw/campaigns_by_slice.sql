-- campaigns_by_slice: the listing funnel of campaigns_monthly per month of the report window,
-- sliced by campaign (mktcmpid; "_NoCampaign" without one; an invalid id is kept as given and
-- marked "(invalid)", so it is counted apart and never truncated), traffic source (src, lower
-- case), referral domain (lower case) and offer. One row per slice, value and month with clicks.
-- Marketplace Insights daily counts add their figures where no click rows exist for the offer and
-- day (330_campaign_insights.sql): never both. The offer-days that came both ways are shown in the
-- slice "Overlap: Insights counts not counted (clicks count)" with the Insights figures left out.
-- Parameters: 1 partner id, 2 first month of the window, 3 report month (DATEs, first of month).
WITH params AS (
    SELECT CAST(? AS VARCHAR) AS partner_id, CAST(? AS DATE) AS first_month, CAST(? AS DATE) AS last_month
),
offer_names AS (
    SELECT offer_id, min(offer_name) AS offer_name FROM offers GROUP BY offer_id
),
sliced AS (
    SELECT c.session_id, c.action_kind, c.cta_type,
           CAST(date_trunc('month', c.click_date) AS DATE) AS month,
           unnest([
               {'slice_no': 1, 'slice': 'Campaign',
                'value': c.mktcmpid || CASE WHEN c.campaign_status = 'invalid' THEN ' (invalid)' ELSE '' END},
               {'slice_no': 2, 'slice': 'Source', 'value': c.src_normalized},
               {'slice_no': 3, 'slice': 'Referral domain', 'value': lower(trim(c.referral_domain))},
               {'slice_no': 4, 'slice': 'Offer', 'value': coalesce(o.offer_name, c.offer_id)}
           ], recursive := true)
    FROM campaign_clicks c
    JOIN params p ON c.partner_id = p.partner_id
    LEFT JOIN offer_names o ON o.offer_id = c.offer_id
    WHERE c.click_date >= p.first_month
      AND c.click_date < p.last_month + INTERVAL 1 MONTH
),
click_counted AS (
    SELECT slice_no, slice, coalesce(nullif(trim(value), ''), '(none)') AS value, month,
           count(DISTINCT session_id) AS page_visits,
           count(*) FILTER (WHERE action_kind = 'cta') AS ctas,
           count(*) FILTER (WHERE cta_type = 'contact_me') AS cta_contact_me,
           count(*) FILTER (WHERE cta_type = 'free_trial') AS cta_free_trial,
           count(*) FILTER (WHERE cta_type = 'test_drive') AS cta_test_drive,
           count(*) FILTER (WHERE cta_type = 'get_it_now') AS cta_get_it_now,
           count(*) FILTER (WHERE action_kind = 'cta'
                              AND cta_type NOT IN ('contact_me', 'free_trial', 'test_drive', 'get_it_now')) AS cta_other,
           count(DISTINCT session_id) FILTER (WHERE action_kind = 'cta') AS cta_sessions,
           count(DISTINCT session_id) FILTER (WHERE action_kind = 'consent') AS consents
    FROM sliced
    GROUP BY slice_no, slice, coalesce(nullif(trim(value), ''), '(none)'), month
),
insights_sliced AS (   -- Marketplace Insights counts: counted ones in the slices, the others as overlap
    SELECT i.*, CAST(date_trunc('month', i."date") AS DATE) AS month,
           unnest(CASE WHEN i.counted THEN [
               {'slice_no': 1, 'slice': 'Campaign',
                'value': i.mktcmpid || CASE WHEN i.campaign_status = 'invalid' THEN ' (invalid)' ELSE '' END},
               {'slice_no': 2, 'slice': 'Source', 'value': NULL},
               {'slice_no': 3, 'slice': 'Referral domain', 'value': i.referral_domain},
               {'slice_no': 4, 'slice': 'Offer', 'value': coalesce(o.offer_name, i.offer_name)}]
           ELSE [
               {'slice_no': 5, 'slice': 'Overlap: Insights counts not counted (clicks count)',
                'value': coalesce(o.offer_name, i.offer_name)}] END, recursive := true)
    FROM marketplace_insights_counts i
    JOIN params p ON i.partner_id = p.partner_id
    LEFT JOIN offer_names o ON o.offer_id = i.offer_id
    WHERE i."date" >= p.first_month AND i."date" < p.last_month + INTERVAL 1 MONTH
),
counted AS (
    SELECT slice_no, slice, value, month, sum(page_visits) AS page_visits, sum(ctas) AS ctas,
           sum(cta_contact_me) AS cta_contact_me, sum(cta_free_trial) AS cta_free_trial,
           sum(cta_test_drive) AS cta_test_drive, sum(cta_get_it_now) AS cta_get_it_now,
           sum(cta_other) AS cta_other, sum(cta_sessions) AS cta_sessions, sum(consents) AS consents
    FROM (
        SELECT * FROM click_counted
        UNION ALL
        SELECT slice_no, slice, coalesce(nullif(trim(value), ''), '(none)'), month, page_visits, ctas,
               cta_contact_me, cta_free_trial, cta_test_drive, cta_get_it_now, 0, least(ctas, page_visits), consents
        FROM insights_sliced
    )
    GROUP BY slice_no, slice, value, month
)
SELECT slice, value, month,
       CAST(page_visits AS BIGINT) AS page_visits,
       CAST(ctas AS BIGINT) AS ctas,
       CAST(cta_contact_me AS BIGINT) AS cta_contact_me,
       CAST(cta_free_trial AS BIGINT) AS cta_free_trial,
       CAST(cta_test_drive AS BIGINT) AS cta_test_drive,
       CAST(cta_get_it_now AS BIGINT) AS cta_get_it_now,
       CAST(cta_other AS BIGINT) AS other_ctas,
       CAST(cta_sessions AS BIGINT) AS cta_sessions,
       CAST(consents AS BIGINT) AS consents,
       CAST(CAST((cta_sessions * 20000 + page_visits) // (2 * page_visits) AS DECIMAL(18,0))
            * CAST(0.0001 AS DECIMAL(5,4)) AS DECIMAL(9,4)) AS cta_rate,
       CAST(CAST((consents * 20000 + page_visits) // (2 * page_visits) AS DECIMAL(18,0))
            * CAST(0.0001 AS DECIMAL(5,4)) AS DECIMAL(9,4)) AS consent_rate
FROM counted
ORDER BY slice_no, value, month
