-- Billed sales, tiers and the rewards team's review.
--
-- The *_data tables and the tier_* tables are derived: every transform run empties and
-- refills them (steps 200-240), so their columns stay stable and the public views below
-- always bind. review_decisions is the one table users write (insights review decide):
-- it is append-only, nothing ever updates or deletes a row.

-- The transform run the tier tables come from (one row).
CREATE TABLE tier_run (
    run_id  VARCHAR NOT NULL,
    as_of   DATE NOT NULL
);

-- The tier rules in force for that run (from the [tiers] rules file or the built-in defaults).
CREATE TABLE tier_settings (
    window_months    INTEGER NOT NULL,   -- trailing window of the tier sales
    run_rate_months  INTEGER NOT NULL,   -- months averaged for the projection
    source           VARCHAR NOT NULL    -- the rules file, or "built-in defaults"
);

CREATE TABLE tier_rules (
    tier_rank      INTEGER NOT NULL,        -- 1 = lowest tier
    tier           VARCHAR NOT NULL,        -- label, e.g. "Tier 1"
    tier_slug      VARCHAR NOT NULL,        -- lower-case label with dashes: part of unlock ids
    threshold_usd  DECIMAL(18,2) NOT NULL   -- trailing billed sales that unlock the tier
);

CREATE TABLE tier_benefit_catalog (
    listing_type          VARCHAR NOT NULL,  -- List, Trial, Transact
    tier                  VARCHAR,           -- NULL: a one-time benefit of publishing that listing type
    tier_rank             INTEGER,
    benefit               VARCHAR NOT NULL,
    expires_after_months  INTEGER NOT NULL,  -- 0: does not expire
    position              INTEGER NOT NULL   -- order in the rules file
);

-- Billed sales by PGA, partner, month, part and currency, before and after conversion.
-- part: orders, order_refunds, cancellations, usage, usage_refunds (see the README).
CREATE TABLE billed_sales_parts (
    pga_id          VARCHAR,          -- NULL: the selling partner could not be resolved
    partner_id      VARCHAR,
    month           DATE,             -- first day of the month the amount counts in
    part            VARCHAR NOT NULL,
    currency        VARCHAR,          -- upper-case ISO 4217 as delivered
    source_rows     BIGINT NOT NULL,  -- order lines or usage rows summed here
    amount          DECIMAL(38,6) NOT NULL,   -- signed, in currency
    rate_to_usd     DECIMAL(18,8),            -- NULL: no FX rate (the run fails)
    amount_usd      DECIMAL(38,14)            -- exact: amount * rate_to_usd
);

CREATE TABLE billed_sales_monthly_data (
    pga_id             VARCHAR NOT NULL,
    month              DATE NOT NULL,
    month_end          DATE NOT NULL,
    orders_usd         DECIMAL(18,2) NOT NULL,
    order_refunds_usd  DECIMAL(18,2) NOT NULL,
    cancellations_usd  DECIMAL(18,2) NOT NULL,
    usage_usd          DECIMAL(18,2) NOT NULL,
    usage_refunds_usd  DECIMAL(18,2) NOT NULL,
    billed_sales_usd   DECIMAL(18,2) NOT NULL,  -- the exact sum of every part, rounded once
    order_lines        BIGINT NOT NULL,
    usage_rows         BIGINT NOT NULL,
    partners           INTEGER NOT NULL          -- publisher profiles with billed sales that month
);

CREATE TABLE tier_status_data (
    pga_id                VARCHAR NOT NULL,
    as_of                 DATE NOT NULL,
    window_start          DATE,
    window_end            DATE,
    ttm_billed_sales_usd  DECIMAL(18,2) NOT NULL,
    tier                  VARCHAR,
    tier_rank             INTEGER NOT NULL,
    next_tier             VARCHAR,
    next_threshold_usd    DECIMAL(18,2),
    gap_usd               DECIMAL(18,2),
    run_rate_usd          DECIMAL(18,2) NOT NULL,
    projected_month       VARCHAR,
    projected_month_end   DATE
);

CREATE TABLE tier_unlocks_data (
    unlock_id              VARCHAR NOT NULL,
    pga_id                 VARCHAR NOT NULL,
    tier                   VARCHAR NOT NULL,
    tier_rank              INTEGER NOT NULL,
    threshold_usd          DECIMAL(18,2) NOT NULL,
    unlocked_on            DATE NOT NULL,
    ttm_at_unlock_usd      DECIMAL(18,2) NOT NULL,
    listing_types          VARCHAR NOT NULL,
    benefits               VARCHAR NOT NULL,
    benefit_period         INTEGER NOT NULL,   -- 1 in the first year, 2 after the first anniversary, ...
    benefits_refreshed_on  DATE NOT NULL,      -- start of the current benefit period
    next_refresh_on        DATE NOT NULL
);

-- One row per unlock, benefit period (anniversary) and benefit.
CREATE TABLE tier_benefit_grants (
    unlock_id     VARCHAR NOT NULL,
    pga_id        VARCHAR NOT NULL,
    tier          VARCHAR NOT NULL,
    period        INTEGER NOT NULL,
    period_start  DATE NOT NULL,
    period_end    DATE NOT NULL,
    listing_type  VARCHAR NOT NULL,
    benefit       VARCHAR NOT NULL,
    expires_on    DATE              -- NULL: lasts the period
);

-- One-time benefits of publishing a listing type (catalog entries without a tier).
CREATE TABLE listing_benefits_data (
    pga_id         VARCHAR NOT NULL,
    listing_type   VARCHAR NOT NULL,
    first_live_on  DATE NOT NULL,
    benefit        VARCHAR NOT NULL,
    expires_on     DATE
);

-- The PGA's current marketing contact and whether it allows activation.
CREATE TABLE tier_readiness (
    pga_id            VARCHAR NOT NULL,
    contact_name      VARCHAR,
    contact_email     VARCHAR,
    contact_phone     VARCHAR,
    contact_language  VARCHAR,
    contact_assigned_at TIMESTAMP,
    ready             BOOLEAN NOT NULL,
    missing           VARCHAR NOT NULL   -- '' when ready, else '; '-separated problems
);

CREATE SEQUENCE review_decision_id_seq START 1;

-- The rewards team's decisions: append-only history.
CREATE TABLE review_decisions (
    decision_id  BIGINT PRIMARY KEY DEFAULT nextval('review_decision_id_seq'),
    unlock_id    VARCHAR NOT NULL,
    pga_id       VARCHAR NOT NULL,
    tier         VARCHAR NOT NULL,
    decision     VARCHAR NOT NULL CHECK (decision IN ('approve', 'reject', 'defer')),
    decided_by   VARCHAR NOT NULL CHECK (trim(decided_by) <> ''),
    decided_at   TIMESTAMP NOT NULL,   -- when the decision was taken (UTC)
    note         VARCHAR NOT NULL,
    recorded_at  TIMESTAMP NOT NULL    -- when it was written (UTC)
);

-- Public views ------------------------------------------------------------------------

CREATE VIEW billed_sales_monthly AS
SELECT pga_id, month, month_end, billed_sales_usd,
       orders_usd, order_refunds_usd, cancellations_usd, usage_usd, usage_refunds_usd,
       order_lines, usage_rows, partners
FROM billed_sales_monthly_data;

-- Billed sales whose selling partner (and so PGA) could not be resolved: not in any tier.
CREATE VIEW billed_sales_unresolved AS
SELECT month, part, currency, sum(source_rows) AS source_rows, sum(amount) AS amount,
       CAST(sum(amount_usd) AS DECIMAL(18,2)) AS amount_usd
FROM billed_sales_parts
WHERE pga_id IS NULL
GROUP BY ALL;

CREATE VIEW tier_status AS
SELECT pga_id, as_of, ttm_billed_sales_usd, tier, next_tier, gap_usd, projected_month,
       tier_rank, next_threshold_usd, run_rate_usd, projected_month_end, window_start, window_end
FROM tier_status_data;

CREATE VIEW review_latest_decisions AS
SELECT unlock_id,
       arg_max(decision, (decided_at, decision_id))    AS decision,
       arg_max(decided_by, (decided_at, decision_id))  AS decided_by,
       max(decided_at)                                  AS decided_at,
       arg_max(note, (decided_at, decision_id))        AS note,
       count(*)                                         AS decisions
FROM review_decisions
GROUP BY unlock_id;

CREATE VIEW tier_unlocks AS
SELECT u.unlock_id, u.pga_id, u.tier, u.unlocked_on, u.benefits,
       CASE WHEN coalesce(r.ready, false) THEN 'ready'
            ELSE 'missing: ' || coalesce(nullif(r.missing, ''), 'no marketing contact') END AS readiness,
       d.decision AS latest_decision,
       d.decided_by AS latest_decision_by,
       d.decided_at AS latest_decision_at,
       d.note AS latest_decision_note,
       coalesce(d.decisions, 0) AS decisions,
       u.tier_rank, u.threshold_usd, u.ttm_at_unlock_usd, u.listing_types,
       u.benefit_period, u.benefits_refreshed_on, u.next_refresh_on,
       coalesce(r.ready, false) AS ready,
       r.contact_email
FROM tier_unlocks_data u
LEFT JOIN tier_readiness r USING (pga_id)
LEFT JOIN review_latest_decisions d USING (unlock_id);

CREATE VIEW listing_benefits AS
SELECT pga_id, listing_type, first_live_on, benefit, expires_on FROM listing_benefits_data;

-- Activated benefits (an unlock whose latest decision is approve; activated at the first
-- approve after its last reject/defer) with no contact (contacts.contacted_at of the PGA,
-- on or after activation) within 7 days. Evaluated as of the last transform run.
CREATE VIEW sla_activation_contact AS
WITH d AS (
    SELECT unlock_id, decision, decided_at, decision_id FROM review_decisions
),
per_unlock AS (
    SELECT unlock_id,
           arg_max(decision, (decided_at, decision_id)) AS latest,
           max(decided_at) FILTER (WHERE decision <> 'approve') AS last_other
    FROM d GROUP BY unlock_id
),
activations AS (
    SELECT p.unlock_id, min(d.decided_at) AS activated_at
    FROM per_unlock p JOIN d USING (unlock_id)
    WHERE p.latest = 'approve' AND d.decision = 'approve'
      AND (p.last_other IS NULL OR d.decided_at > p.last_other)
    GROUP BY p.unlock_id
),
run AS (SELECT max(as_of) AS as_of FROM tier_run),
checked AS (
    SELECT u.unlock_id, u.pga_id, u.tier, a.activated_at,
           (a.activated_at::DATE + 7) AS contact_due_on,
           (SELECT min(c.contacted_at) FROM contacts c
             WHERE c.pga_id = u.pga_id AND c.contacted_at >= a.activated_at
               AND c.contacted_at::DATE <= run.as_of) AS contacted_at,
           run.as_of
    FROM activations a
    JOIN tier_unlocks_data u USING (unlock_id)
    CROSS JOIN run
)
SELECT unlock_id, pga_id, tier, activated_at, contact_due_on, contacted_at,
       CASE WHEN contacted_at IS NULL THEN 'overdue' ELSE 'late' END AS status,
       (coalesce(contacted_at::DATE, as_of) - activated_at::DATE) AS days_to_contact,
       as_of
FROM checked
WHERE (contacted_at IS NULL AND as_of > contact_due_on)
   OR contacted_at::DATE > contact_due_on;

-- Offers live more than 4 weeks (28 days) with no contact of their PGA since going live.
CREATE VIEW sla_offer_contact AS
WITH run AS (SELECT max(as_of) AS as_of FROM tier_run),
checked AS (
    SELECT p.pga_id, o.partner_id, o.offer_id, o.offer_name, o.listing_type, o.live_date,
           (o.live_date + 28) AS contact_due_on,
           (SELECT min(c.contacted_at) FROM contacts c
             WHERE c.pga_id = p.pga_id AND c.contacted_at::DATE >= o.live_date
               AND c.contacted_at::DATE <= run.as_of) AS contacted_at,
           run.as_of
    FROM offers o
    JOIN (SELECT DISTINCT partner_id, pga_id FROM partners) p USING (partner_id)
    CROSS JOIN run
    WHERE o.live_date IS NOT NULL AND o.live_date <= run.as_of
)
SELECT pga_id, partner_id, offer_id, offer_name, listing_type, live_date, contact_due_on,
       contacted_at,
       CASE WHEN contacted_at IS NULL THEN 'overdue' ELSE 'late' END AS status,
       (coalesce(contacted_at::DATE, as_of) - live_date) AS days_live_without_contact,
       as_of
FROM checked
WHERE (contacted_at IS NULL AND as_of > contact_due_on)
   OR contacted_at::DATE > contact_due_on;
