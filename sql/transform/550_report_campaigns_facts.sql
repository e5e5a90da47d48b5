-- report_campaigns_facts: the partner's listing funnel per month and slice, each figure defined
-- here once (campaigns_monthly, campaigns_by_slice, offers and summary select from it). slice_no
-- 0 'All', 1–4 the slices of campaigns_by_slice, 9 'Offer ID' (raw offer id).
-- Marketplace Insights daily counts add their figures where no click rows exist for the offer and
-- day (marketplace_insights_counts.counted, 330_campaign_insights.sql): never both. The offer-days
-- that came both ways are slice 5 "Overlap: Insights counts not counted (clicks count)", with the
-- Insights figures, and count nowhere else. Insights counts have no sessions: their calls to
-- action count as sessions with one, at most one per visit.
--   page_visits       distinct sessions
--   ctas              calls to action (rows), by type: contact me, free trial, test drive, get it
--                     now, other
--   cta_sessions      distinct sessions with a call to action
--   consents          distinct sessions that gave consent
--   cta_rate, consent_rate   cta_sessions and consents over page_visits (funnel_rate: rounded half
--                     up to four places in exact integer arithmetic); NULL without visits
CREATE OR REPLACE TABLE report_campaigns_facts AS
WITH offer_names AS (
    SELECT offer_id, min(offer_name) AS offer_name FROM offers GROUP BY offer_id
),
clicks AS NOT MATERIALIZED (
    SELECT c.partner_id, c.session_id, c.action_kind, c.cta_type, c.offer_id, c.mktcmpid, c.campaign_status,
           c.src_normalized, lower(trim(c.referral_domain)) AS referral_domain,
           CAST(date_trunc('month', c.click_date) AS DATE) AS month
    FROM campaign_clicks c
    WHERE c.partner_id IS NOT NULL AND c.click_date IS NOT NULL
),
-- The clicks are counted per session first, then per slice value: the three distinct session
-- counts become counts of session rows (a NULL session counts in none, as in count(DISTINCT)).
-- Most sessions have one value of every sliced column (offer, campaign and status, source,
-- referral domain): such a session is one row in each slice already, so it is counted once,
-- before the slices multiply it by six (single). Only the clicks of the other sessions are
-- sliced and counted per slice value and session. (Grouping every sliced click by session was
-- most of the step's time.)
per_session AS (
    SELECT partner_id, month, session_id,
           min(offer_id) AS offer_id, min(mktcmpid) AS mktcmpid, min(campaign_status) AS campaign_status,
           min(src_normalized) AS src_normalized, min(referral_domain) AS referral_domain,
           ((min(offer_id) = max(offer_id) AND count(offer_id) = count(*)) OR count(offer_id) = 0)
           AND ((min(mktcmpid) = max(mktcmpid) AND count(mktcmpid) = count(*)) OR count(mktcmpid) = 0)
           AND ((min(campaign_status) = max(campaign_status) AND count(campaign_status) = count(*)) OR count(campaign_status) = 0)
           AND ((min(src_normalized) = max(src_normalized) AND count(src_normalized) = count(*)) OR count(src_normalized) = 0)
           AND ((min(referral_domain) = max(referral_domain) AND count(referral_domain) = count(*)) OR count(referral_domain) = 0)
               AS single,
           count(*) FILTER (WHERE action_kind = 'cta') AS ctas,
           count(*) FILTER (WHERE cta_type = 'contact_me') AS cta_contact_me,
           count(*) FILTER (WHERE cta_type = 'free_trial') AS cta_free_trial,
           count(*) FILTER (WHERE cta_type = 'test_drive') AS cta_test_drive,
           count(*) FILTER (WHERE cta_type = 'get_it_now') AS cta_get_it_now,
           count(*) FILTER (WHERE action_kind = 'cta'
                              AND cta_type NOT IN ('contact_me', 'free_trial', 'test_drive', 'get_it_now')) AS cta_other,
           bool_or(action_kind = 'cta') AS has_cta,
           bool_or(action_kind = 'consent') AS has_consent
    FROM clicks
    GROUP BY partner_id, month, session_id
),
single_sliced AS (
    SELECT s.partner_id, s.month, s.session_id, s.ctas, s.cta_contact_me, s.cta_free_trial, s.cta_test_drive,
           s.cta_get_it_now, s.cta_other, s.has_cta, s.has_consent,
           unnest([
               {'slice_no': 0, 'slice': 'All', 'value': 'All'},
               {'slice_no': 1, 'slice': 'Campaign',
                'value': s.mktcmpid || CASE WHEN s.campaign_status = 'invalid' THEN ' (invalid)' ELSE '' END},
               {'slice_no': 2, 'slice': 'Source', 'value': s.src_normalized},
               {'slice_no': 3, 'slice': 'Referral domain', 'value': s.referral_domain},
               {'slice_no': 4, 'slice': 'Offer', 'value': coalesce(o.offer_name, s.offer_id)},
               {'slice_no': 9, 'slice': 'Offer ID', 'value': s.offer_id}
           ], recursive := true)
    FROM per_session s
    LEFT JOIN offer_names o ON o.offer_id = s.offer_id
    WHERE s.single
),
sliced AS (   -- the clicks of the sessions that are not single
    SELECT c.partner_id, c.session_id, c.action_kind, c.cta_type, c.month,
           unnest([
               {'slice_no': 0, 'slice': 'All', 'value': 'All'},
               {'slice_no': 1, 'slice': 'Campaign',
                'value': c.mktcmpid || CASE WHEN c.campaign_status = 'invalid' THEN ' (invalid)' ELSE '' END},
               {'slice_no': 2, 'slice': 'Source', 'value': c.src_normalized},
               {'slice_no': 3, 'slice': 'Referral domain', 'value': c.referral_domain},
               {'slice_no': 4, 'slice': 'Offer', 'value': coalesce(o.offer_name, c.offer_id)},
               {'slice_no': 9, 'slice': 'Offer ID', 'value': c.offer_id}
           ], recursive := true)
    FROM clicks c
    JOIN per_session s
      ON NOT s.single AND s.partner_id = c.partner_id AND s.month = c.month
     AND s.session_id IS NOT DISTINCT FROM c.session_id
    LEFT JOIN offer_names o ON o.offer_id = c.offer_id
),
sessions AS (
    SELECT partner_id, slice_no, slice,
           CASE WHEN slice_no = 9 THEN value ELSE coalesce(nullif(trim(value), ''), '(none)') END AS value,
           month, session_id,
           count(*) FILTER (WHERE action_kind = 'cta') AS ctas,
           count(*) FILTER (WHERE cta_type = 'contact_me') AS cta_contact_me,
           count(*) FILTER (WHERE cta_type = 'free_trial') AS cta_free_trial,
           count(*) FILTER (WHERE cta_type = 'test_drive') AS cta_test_drive,
           count(*) FILTER (WHERE cta_type = 'get_it_now') AS cta_get_it_now,
           count(*) FILTER (WHERE action_kind = 'cta'
                              AND cta_type NOT IN ('contact_me', 'free_trial', 'test_drive', 'get_it_now')) AS cta_other,
           bool_or(action_kind = 'cta') AS has_cta,
           bool_or(action_kind = 'consent') AS has_consent
    FROM sliced
    GROUP BY ALL
    UNION ALL
    SELECT partner_id, slice_no, slice,
           CASE WHEN slice_no = 9 THEN value ELSE coalesce(nullif(trim(value), ''), '(none)') END AS value,
           month, session_id, ctas, cta_contact_me, cta_free_trial, cta_test_drive, cta_get_it_now, cta_other,
           has_cta, has_consent
    FROM single_sliced
),
click_counted AS (
    SELECT partner_id, slice_no, slice, value, month,
           count(session_id) AS page_visits,
           sum(ctas) AS ctas,
           sum(cta_contact_me) AS cta_contact_me,
           sum(cta_free_trial) AS cta_free_trial,
           sum(cta_test_drive) AS cta_test_drive,
           sum(cta_get_it_now) AS cta_get_it_now,
           sum(cta_other) AS cta_other,
           count(session_id) FILTER (WHERE has_cta) AS cta_sessions,
           count(session_id) FILTER (WHERE has_consent) AS consents
    FROM sessions
    GROUP BY ALL
),
insights_sliced AS (   -- Marketplace Insights counts: counted ones in the slices, the others as overlap
    SELECT i.*, CAST(date_trunc('month', i."date") AS DATE) AS month,
           unnest(CASE WHEN i.counted THEN [
               {'slice_no': 0, 'slice': 'All', 'value': 'All'},
               {'slice_no': 1, 'slice': 'Campaign',
                'value': i.mktcmpid || CASE WHEN i.campaign_status = 'invalid' THEN ' (invalid)' ELSE '' END},
               {'slice_no': 2, 'slice': 'Source', 'value': NULL},
               {'slice_no': 3, 'slice': 'Referral domain', 'value': i.referral_domain},
               {'slice_no': 4, 'slice': 'Offer', 'value': coalesce(o.offer_name, i.offer_name)},
               {'slice_no': 9, 'slice': 'Offer ID', 'value': i.offer_id}]
           ELSE [
               {'slice_no': 5, 'slice': 'Overlap: Insights counts not counted (clicks count)',
                'value': coalesce(o.offer_name, i.offer_name)}] END, recursive := true)
    FROM marketplace_insights_counts i
    LEFT JOIN offer_names o ON o.offer_id = i.offer_id
    WHERE i.partner_id IS NOT NULL AND i."date" IS NOT NULL
),
counted AS (
    SELECT partner_id, slice_no, slice, value, month, sum(page_visits) AS page_visits, sum(ctas) AS ctas,
           sum(cta_contact_me) AS cta_contact_me, sum(cta_free_trial) AS cta_free_trial,
           sum(cta_test_drive) AS cta_test_drive, sum(cta_get_it_now) AS cta_get_it_now,
           sum(cta_other) AS cta_other, sum(cta_sessions) AS cta_sessions, sum(consents) AS consents
    FROM (
        SELECT * FROM click_counted
        UNION ALL
        SELECT partner_id, slice_no, slice,
               CASE WHEN slice_no = 9 THEN value ELSE coalesce(nullif(trim(value), ''), '(none)') END,
               month, page_visits, ctas, cta_contact_me, cta_free_trial, cta_test_drive, cta_get_it_now,
               0, least(ctas, page_visits), consents
        FROM insights_sliced
    )
    GROUP BY ALL
)
SELECT partner_id, slice_no, slice, value, month,
       CAST(page_visits AS BIGINT) AS page_visits,
       CAST(ctas AS BIGINT) AS ctas,
       CAST(cta_contact_me AS BIGINT) AS cta_contact_me,
       CAST(cta_free_trial AS BIGINT) AS cta_free_trial,
       CAST(cta_test_drive AS BIGINT) AS cta_test_drive,
       CAST(cta_get_it_now AS BIGINT) AS cta_get_it_now,
       CAST(cta_other AS BIGINT) AS other_ctas,
       CAST(cta_sessions AS BIGINT) AS cta_sessions,
       CAST(consents AS BIGINT) AS consents,
       funnel_rate(cta_sessions, page_visits) AS cta_rate,   -- macro: sql/schema/0014_funnel_rate.sql
       funnel_rate(consents, page_visits) AS consent_rate
FROM counted
ORDER BY partner_id, slice_no, value, month;
