-- campaigns_monthly: each partner's listing funnel per month of the report window (months
-- without clicks included). The figures are defined once, in
-- sql/transform/550_report_campaigns_facts.sql (slice 0).
-- Parameters: 1 first partner id, 2 last partner id (inclusive: one query serves many partners),
-- 3 first month of the window, 4 report month (DATEs, first of month). Rows come ordered by
-- partner so that each partner's rows are one contiguous range.
SELECT x.partner_id, x.month,
       coalesce(f.page_visits, 0) AS page_visits,
       coalesce(f.ctas, 0) AS ctas,
       coalesce(f.cta_contact_me, 0) AS cta_contact_me,
       coalesce(f.cta_free_trial, 0) AS cta_free_trial,
       coalesce(f.cta_test_drive, 0) AS cta_test_drive,
       coalesce(f.cta_get_it_now, 0) AS cta_get_it_now,
       coalesce(f.other_ctas, 0) AS other_ctas,
       coalesce(f.cta_sessions, 0) AS cta_sessions,
       coalesce(f.consents, 0) AS consents,
       f.cta_rate,
       f.consent_rate
-- the partners from 1 to 2 (ids, inclusive) by the months from 3 to 4 (sql/schema/0061)
FROM report_partner_months(CAST(? AS VARCHAR), CAST(? AS VARCHAR), CAST(? AS DATE), CAST(? AS DATE)) x
LEFT JOIN report_campaigns_facts f ON f.partner_id = x.partner_id AND f.slice_no = 0 AND f.month = x.month
ORDER BY x.partner_id, x.month
