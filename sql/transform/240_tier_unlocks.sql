-- Tier unlocks, their benefits (refreshed on each anniversary), one-time listing benefits
-- and each PGA's activation readiness, as of the run's date.
--
-- An unlock: the first month end (on or before the as-of date) at which the PGA's trailing
-- window_months billed sales reach a tier's threshold. Each tier unlocks once: a later dip
-- does not re-lock it and a recovery does not unlock it again. Several tiers crossed in one
-- month unlock together. unlock_id = pga_id || ':' || the tier's slug (e.g. "PGA-1:tier-2").
-- Benefits: the catalog's entries for that tier and the listing types of the PGA's offers;
-- they refresh every year on the unlock anniversary (period 2 starts one year after the
-- unlock, ...), whatever the sales then.

-- Readiness: the PGA's current marketing contact is its contacts (or contact_assignments) row with the latest
-- assigned_at on or before the as-of date. It is valid with an email that differs
-- (trimmed, case-insensitive) from the account email of every publisher profile of the
-- PGA, a phone and a language. missing names what is missing, to read after "missing: "
-- (e.g. "missing: contact phone; contact language").
DELETE FROM tier_readiness;

INSERT INTO tier_readiness BY NAME
WITH every_contact AS (
    -- The landing file and the workspace's assignments (sql/schema/0070): the latest wins;
    -- at the same instant an assignment beats a file row.
    SELECT pga_id, name, email, phone, language, assigned_at, 0 AS kind, _file_id AS ord FROM contacts
    UNION ALL
    SELECT pga_id, name, email, phone, language, assigned_at, 1, assignment_id FROM contact_assignments
),
pgas AS (
    SELECT pga_id FROM partners WHERE pga_id IS NOT NULL
    UNION
    SELECT pga_id FROM every_contact
),
current_contact AS (
    SELECT *
    FROM every_contact
    WHERE assigned_at::DATE <= getvariable('as_of')
    QUALIFY row_number() OVER (PARTITION BY pga_id ORDER BY assigned_at DESC, kind DESC, ord DESC, email) = 1
),
account_emails AS (
    SELECT DISTINCT pga_id, lower(trim(account_email)) AS email
    FROM partners
    WHERE nullif(trim(account_email), '') IS NOT NULL
),
checked AS (
    SELECT g.pga_id, c.name, c.email, c.phone, c.language, c.assigned_at,
           list_filter([
               CASE WHEN c.pga_id IS NULL THEN 'marketing contact' END,
               CASE WHEN c.pga_id IS NOT NULL AND nullif(trim(c.email), '') IS NULL THEN 'contact email' END,
               CASE WHEN nullif(trim(c.email), '') IS NOT NULL AND NOT contains(c.email, '@') THEN 'a valid contact email' END,
               CASE WHEN EXISTS (SELECT 1 FROM account_emails a
                                  WHERE a.pga_id = g.pga_id AND a.email = lower(trim(c.email)))
                    THEN 'a contact email other than the account email' END,
               CASE WHEN c.pga_id IS NOT NULL AND nullif(trim(c.phone), '') IS NULL THEN 'contact phone' END,
               CASE WHEN c.pga_id IS NOT NULL AND nullif(trim(c.language), '') IS NULL THEN 'contact language' END
           ], x -> x IS NOT NULL) AS problems
    FROM pgas g
    LEFT JOIN current_contact c USING (pga_id)
)
SELECT pga_id, name AS contact_name, email AS contact_email, phone AS contact_phone,
       language AS contact_language, assigned_at AS contact_assigned_at,
       len(problems) = 0 AS ready,
       coalesce(array_to_string(problems, '; '), '') AS missing
FROM checked;

DELETE FROM tier_unlocks_data;
DELETE FROM tier_benefit_grants;

-- The trailing windows (tier_trailing_sales, sql/schema/0140): a full run computes every PGA's
-- windows with the macro pga_trailing_sales (sql/schema/0007_tier_macros.sql). An incremental run
-- recomputes, the same way, only the windows that include a PGA month whose billed sales changed
-- (tier_changed_months, 220_billed_sales_monthly.sql) and the windows new since the last run (a
-- later as-of date, an earlier first month); it drops the windows that no longer exist (an
-- earlier as-of date). The others hold the same months' sales as before: they are kept. The
-- window ends recomputed go to transform_scope 'tiers', for the run's explanation.
{{if .Incremental -}}
CREATE OR REPLACE TEMP TABLE tier_windows AS
WITH firsts AS (
    SELECT pga_id, min(month) AS first_month FROM billed_sales_monthly_data GROUP BY pga_id
)
SELECT pga_id, unnest(generate_series(first_month, window_last_month(getvariable('as_of')), INTERVAL 1 MONTH))::DATE AS month
FROM firsts
WHERE first_month <= window_last_month(getvariable('as_of'));

CREATE OR REPLACE TEMP TABLE tier_stale_windows AS
SELECT w.pga_id, w.month
FROM tier_windows w
JOIN tier_changed_months c
  ON c.pga_id = w.pga_id AND w.month >= c.month
 AND w.month < c.month + to_months((SELECT window_months FROM tier_settings))
UNION
(SELECT pga_id, month FROM tier_windows EXCEPT SELECT pga_id, month FROM tier_trailing_sales);

DELETE FROM tier_trailing_sales t
WHERE NOT EXISTS (SELECT 1 FROM tier_windows w WHERE w.pga_id = t.pga_id AND w.month = t.month)
   OR EXISTS (SELECT 1 FROM tier_stale_windows s WHERE s.pga_id = t.pga_id AND s.month = t.month);

INSERT INTO tier_trailing_sales BY NAME
SELECT x.pga_id, x.month, coalesce(sum(b.billed_sales_usd), 0) AS ttm
FROM tier_stale_windows x
LEFT JOIN billed_sales_monthly_data b
       ON b.pga_id = x.pga_id AND b.month <= x.month
      AND b.month > x.month - to_months((SELECT window_months FROM tier_settings))
GROUP BY x.pga_id, x.month;

INSERT INTO transform_scope SELECT DISTINCT 'tiers', month FROM tier_stale_windows;
DROP TABLE tier_windows;
DROP TABLE tier_stale_windows;
DROP TABLE tier_changed_months;
{{- else -}}
DELETE FROM tier_trailing_sales;
INSERT INTO tier_trailing_sales BY NAME
SELECT pga_id, month, ttm
FROM pga_trailing_sales(window_last_month(getvariable('as_of')), (SELECT window_months FROM tier_settings));
{{- end}}

CREATE OR REPLACE TEMP TABLE tier_unlocks_new AS
SELECT t.pga_id, r.tier, r.tier_rank, r.tier_slug, r.threshold_usd,
       arg_min(t.month, t.month) AS month,
       arg_min(t.ttm, t.month) AS ttm
FROM tier_trailing_sales t
JOIN tier_rules r ON t.ttm >= r.threshold_usd
GROUP BY ALL;

CREATE OR REPLACE TEMP TABLE tier_listing_types AS
SELECT DISTINCT p.pga_id,
       CASE lower(trim(o.listing_type)) WHEN 'list' THEN 'List' WHEN 'trial' THEN 'Trial'
            WHEN 'transact' THEN 'Transact' ELSE trim(o.listing_type) END AS listing_type,
       o.live_date
FROM offers o
JOIN partners p USING (partner_id);

-- Benefit periods: period k starts k-1 years after the unlock, up to the as-of date.
INSERT INTO tier_benefit_grants BY NAME
WITH periods AS (
    SELECT u.*, last_day(u.month) AS unlocked_on,
           unnest(range(1, 1 + 1 + CAST(datediff('year', last_day(u.month), getvariable('as_of')) AS BIGINT))) AS period
    FROM tier_unlocks_new u
),
dated AS (
    SELECT *, (unlocked_on + to_years(CAST(period - 1 AS INTEGER)))::DATE AS period_start,
           ((unlocked_on + to_years(CAST(period AS INTEGER)))::DATE - 1) AS period_end
    FROM periods
)
SELECT d.pga_id || ':' || d.tier_slug AS unlock_id, d.pga_id, d.tier, d.period, d.period_start, d.period_end,
       b.listing_type, b.benefit,
       CASE WHEN b.expires_after_months > 0
            THEN least((d.period_start + to_months(b.expires_after_months))::DATE, d.period_end) END AS expires_on
FROM dated d
JOIN tier_benefit_catalog b ON b.tier_rank = d.tier_rank
WHERE d.period_start <= getvariable('as_of')
  AND b.listing_type IN (SELECT listing_type FROM tier_listing_types l WHERE l.pga_id = d.pga_id)
ORDER BY unlock_id, d.period, b.position;

INSERT INTO tier_unlocks_data BY NAME
WITH base AS (
    SELECT u.*, last_day(u.month) AS unlocked_on, u.pga_id || ':' || u.tier_slug AS unlock_id
    FROM tier_unlocks_new u
),
periods AS (
    SELECT b.unlock_id,
           max(k) AS benefit_period
    FROM base b,
         LATERAL (SELECT unnest(range(1, 1 + 1 + CAST(datediff('year', b.unlocked_on, getvariable('as_of')) AS BIGINT))) AS k) ks
    WHERE (b.unlocked_on + to_years(CAST(ks.k - 1 AS INTEGER)))::DATE <= getvariable('as_of')
    GROUP BY b.unlock_id
)
SELECT b.unlock_id, b.pga_id, b.tier, b.tier_rank, b.threshold_usd, b.unlocked_on,
       CAST(b.ttm AS DECIMAL(18,2)) AS ttm_at_unlock_usd,
       coalesce((SELECT string_agg(DISTINCT l.listing_type, ', ' ORDER BY l.listing_type)
                 FROM tier_listing_types l WHERE l.pga_id = b.pga_id), '') AS listing_types,
       coalesce((SELECT string_agg(c.listing_type || ': ' || c.benefit, '; ' ORDER BY c.position)
                 FROM tier_benefit_catalog c
                 WHERE c.tier_rank = b.tier_rank
                   AND c.listing_type IN (SELECT l.listing_type FROM tier_listing_types l WHERE l.pga_id = b.pga_id)), '') AS benefits,
       p.benefit_period,
       (b.unlocked_on + to_years(CAST(p.benefit_period - 1 AS INTEGER)))::DATE AS benefits_refreshed_on,
       (b.unlocked_on + to_years(CAST(p.benefit_period AS INTEGER)))::DATE AS next_refresh_on
FROM base b
JOIN periods p USING (unlock_id);

-- One-time listing benefits: catalog entries without a tier, granted when the PGA's first
-- offer of that listing type goes live (live_date on or before the as-of date).
DELETE FROM listing_benefits_data;

INSERT INTO listing_benefits_data BY NAME
WITH firsts AS (
    SELECT pga_id, listing_type, min(live_date) AS first_live_on
    FROM tier_listing_types
    WHERE live_date IS NOT NULL AND live_date <= getvariable('as_of')
    GROUP BY ALL
)
SELECT f.pga_id, f.listing_type, f.first_live_on, c.benefit,
       CASE WHEN c.expires_after_months > 0 THEN (f.first_live_on + to_months(c.expires_after_months))::DATE END AS expires_on
FROM firsts f
JOIN tier_benefit_catalog c ON c.tier IS NULL AND c.listing_type = f.listing_type
ORDER BY f.pga_id, c.position;

DROP TABLE tier_unlocks_new;
DROP TABLE tier_listing_types;
