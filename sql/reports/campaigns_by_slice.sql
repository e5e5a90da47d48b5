-- campaigns_by_slice: each partner's listing funnel per month of the report window by campaign,
-- source, referral domain and offer, with Marketplace Insights daily counts where no clicks came
-- for the offer and day, and the overlap apart. The figures are defined once, in
-- sql/transform/550_report_campaigns_facts.sql.
-- Parameters: 1 first partner id, 2 last partner id (inclusive: one query serves many partners),
-- 3 first month of the window, 4 report month (DATEs, first of month). Rows come ordered by
-- partner so that each partner's rows are one contiguous range.
WITH params AS (   -- the partners from 1 to 2 (ids, inclusive), the window from 3 to 4 (first of month)
    SELECT CAST(? AS VARCHAR) AS partner_from, CAST(? AS VARCHAR) AS partner_to,
           CAST(? AS DATE) AS first_month, CAST(? AS DATE) AS last_month
)
SELECT f.partner_id, f.slice, f.value, f.month,
       f.page_visits, f.ctas, f.cta_contact_me, f.cta_free_trial, f.cta_test_drive, f.cta_get_it_now,
       f.other_ctas, f.cta_sessions, f.consents, f.cta_rate, f.consent_rate
FROM report_campaigns_facts f, params p
WHERE f.partner_id BETWEEN p.partner_from AND p.partner_to
  AND f.slice_no BETWEEN 1 AND 5
  AND f.month BETWEEN p.first_month AND p.last_month
ORDER BY f.partner_id, f.slice_no, f.value, f.month
