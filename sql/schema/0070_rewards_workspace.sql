-- The rewards workspace (issue 24): partners assign their marketing contact, activate
-- benefits and ask for technical assistance; the rewards team records contacts and moves
-- requests. Every action table is append-only (who and when); the latest row is in force.
-- The outbox is the one table whose rows change: a message's delivery state.
--
-- The rule changes: before, the rewards team's approve WAS the activation; now an approve
-- confirms a tier unlock, and the partner's activation starts each benefit's 7-day clock.
-- Existing databases keep their meaning: every unlock whose decision in force is an
-- approve gets one carried-over activation (covering all its benefits) at the time the
-- old rule activated it, so the SLA history does not change.

-- A catalogue entry is a sales and marketing benefit (activated by the partner) or a
-- technical one (asked for with an assistance request). Filled by every transform run.
ALTER TABLE tier_benefit_catalog ADD COLUMN category VARCHAR DEFAULT 'sales-marketing';

CREATE SEQUENCE contact_assignment_id_seq START 1;

-- Marketing contacts assigned in the workspace or the CLI. The landing file `contacts`
-- stays an import: the latest assignment of either (by assigned_at) is the contact.
CREATE TABLE contact_assignments (
    assignment_id  BIGINT PRIMARY KEY DEFAULT nextval('contact_assignment_id_seq'),
    pga_id         VARCHAR NOT NULL,
    name           VARCHAR NOT NULL,
    email          VARCHAR NOT NULL,
    phone          VARCHAR NOT NULL,     -- E.164
    language       VARCHAR NOT NULL CHECK (language IN ('en', 'fr', 'zh-Hans')),
    assigned_by    VARCHAR NOT NULL CHECK (trim(assigned_by) <> ''),
    assigned_at    TIMESTAMP NOT NULL,   -- UTC
    source         VARCHAR NOT NULL      -- portal, cli
);

CREATE SEQUENCE benefit_activation_id_seq START 1;

-- Activations of benefits. benefit_key names one benefit in one benefit period
-- (unlock:period:listing type:benefit, or pga:listing:listing type:benefit for the
-- one-time listing benefits); UNIQUE makes two simultaneous activations record one.
-- A carried-over row (the old rule's approve) has no benefit: it covers every benefit of
-- its unlock in the period it fell in.
CREATE TABLE benefit_activations (
    activation_id     BIGINT PRIMARY KEY DEFAULT nextval('benefit_activation_id_seq'),
    benefit_key       VARCHAR NOT NULL UNIQUE,
    pga_id            VARCHAR NOT NULL,
    unlock_id         VARCHAR,           -- NULL: a one-time listing benefit
    tier              VARCHAR,
    period            INTEGER NOT NULL,  -- benefit period (0: one-time listing benefit)
    listing_type      VARCHAR,
    benefit           VARCHAR,           -- NULL: carried over (every benefit of the unlock)
    activated_by      VARCHAR NOT NULL CHECK (trim(activated_by) <> ''),
    activated_at      TIMESTAMP NOT NULL,
    contact_email     VARCHAR,           -- the marketing contact it was sent to
    contact_language  VARCHAR,
    carried_over      BOOLEAN NOT NULL DEFAULT false,
    decision_id       BIGINT             -- carried over: the approve it comes from
);

CREATE SEQUENCE contact_record_id_seq START 1;

-- The rewards team reached the company: for one activation (closes its 7-day clock) or
-- for the company in general (activation_id NULL; counts for the 4-week offer list).
CREATE TABLE contact_records (
    record_id      BIGINT PRIMARY KEY DEFAULT nextval('contact_record_id_seq'),
    pga_id         VARCHAR NOT NULL,
    activation_id  BIGINT,
    contacted_by   VARCHAR NOT NULL CHECK (trim(contacted_by) <> ''),
    contacted_at   TIMESTAMP NOT NULL,
    note           VARCHAR NOT NULL,
    recorded_at    TIMESTAMP NOT NULL
);

CREATE SEQUENCE assist_request_id_seq START 1;

-- Technical assistance requests and their status history (new → in-progress → done).
CREATE TABLE assist_requests (
    request_id     BIGINT PRIMARY KEY DEFAULT nextval('assist_request_id_seq'),
    pga_id         VARCHAR NOT NULL,
    partner_id     VARCHAR,
    phase          VARCHAR NOT NULL CHECK (phase IN ('pre-sales', 'design', 'deployment', 'app-development')),
    offer_id       VARCHAR,
    description    VARCHAR NOT NULL CHECK (length(trim(description)) BETWEEN 1 AND 4000),
    contact_name   VARCHAR NOT NULL,
    contact_email  VARCHAR NOT NULL,
    requested_by   VARCHAR NOT NULL CHECK (trim(requested_by) <> ''),
    requested_at   TIMESTAMP NOT NULL
);

CREATE SEQUENCE assist_update_id_seq START 1;

CREATE TABLE assist_updates (
    update_id   BIGINT PRIMARY KEY DEFAULT nextval('assist_update_id_seq'),
    request_id  BIGINT NOT NULL,
    status      VARCHAR NOT NULL CHECK (status IN ('new', 'in-progress', 'done')),
    note        VARCHAR NOT NULL,
    updated_by  VARCHAR NOT NULL CHECK (trim(updated_by) <> ''),
    updated_at  TIMESTAMP NOT NULL
);

CREATE SEQUENCE mail_message_id_seq START 1;

-- Outgoing mail, written in the transaction of the action that causes it. The sender
-- claims a message (status sending, claimed_at), sends it and marks it sent; a permanent
-- refusal marks it failed with the reason; a temporary one puts it back with a later
-- next_attempt_at. A claim older than the sender's lease (a process killed while sending)
-- is taken again with the same Message-ID.
CREATE TABLE mail_outbox (
    message_id       BIGINT PRIMARY KEY DEFAULT nextval('mail_message_id_seq'),
    kind             VARCHAR NOT NULL,     -- activation
    ref_id           BIGINT,               -- activation_id
    pga_id           VARCHAR NOT NULL,
    to_addr          VARCHAR NOT NULL,
    to_name          VARCHAR NOT NULL,
    language         VARCHAR NOT NULL,
    subject          VARCHAR NOT NULL,
    text_body        VARCHAR NOT NULL,
    html_body        VARCHAR NOT NULL,
    header_id        VARCHAR NOT NULL,     -- the Message-ID header (stable across retries)
    queued_at        TIMESTAMP NOT NULL,
    status           VARCHAR NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'failed')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TIMESTAMP NOT NULL,
    claimed_at       TIMESTAMP,
    sent_at          TIMESTAMP,
    last_error       VARCHAR
);

-- Carry over the old rule: an unlock whose decision in force is an approve was activated
-- at the first approve after its last reject or defer (the old sla_activation_contact).
INSERT INTO benefit_activations
    (benefit_key, pga_id, unlock_id, tier, period, listing_type, benefit, activated_by,
     activated_at, carried_over, decision_id)
WITH per_unlock AS (
    SELECT unlock_id,
           arg_max(decision, (decided_at, decision_id)) AS latest,
           max(decided_at) FILTER (WHERE decision <> 'approve') AS last_other
    FROM review_decisions GROUP BY unlock_id
),
firsts AS (
    SELECT d.unlock_id, d.pga_id, d.tier, d.decided_by, d.decided_at, d.decision_id
    FROM per_unlock p JOIN review_decisions d USING (unlock_id)
    WHERE p.latest = 'approve' AND d.decision = 'approve'
      AND (p.last_other IS NULL OR d.decided_at > p.last_other)
    QUALIFY row_number() OVER (PARTITION BY d.unlock_id ORDER BY d.decided_at, d.decision_id) = 1
)
SELECT 'carried:' || unlock_id || ':' || decision_id, pga_id, unlock_id, tier, 0, NULL, NULL,
       decided_by, decided_at, true, decision_id
FROM firsts
ORDER BY decided_at, decision_id;

-- The moments the rewards team reached a company: recorded contacts (for an activation or
-- the company) and the landing file's contacted_at.
CREATE VIEW company_contact_moments AS
SELECT pga_id, activation_id, contacted_at, 'recorded' AS source FROM contact_records
UNION ALL
SELECT pga_id, NULL, contacted_at, 'contacts file' FROM contacts WHERE contacted_at IS NOT NULL;

-- The 7-day list, now per activation (the partner's, or carried over), as of the last
-- transform run. An activation is closed by a contact recorded for it or, as before, by
-- the landing file's contacted_at of its company on or after the activation.
DROP VIEW sla_activation_contact;
CREATE VIEW sla_activation_contact AS
WITH run AS (SELECT max(as_of) AS as_of FROM tier_run),
checked AS (
    -- A one-time listing benefit has no unlock: '' and its listing type stand in, so the
    -- columns the reports and the desk read stay non-null.
    SELECT coalesce(a.unlock_id, '') AS unlock_id, a.pga_id, coalesce(a.tier, a.listing_type || ' listing') AS tier, a.activated_at,
           (a.activated_at::DATE + 7) AS contact_due_on,
           (SELECT min(m.contacted_at) FROM company_contact_moments m
             WHERE m.pga_id = a.pga_id AND m.contacted_at >= a.activated_at
               AND (m.activation_id = a.activation_id OR (m.activation_id IS NULL AND m.source = 'contacts file'))
               AND m.contacted_at::DATE <= run.as_of) AS contacted_at,
           run.as_of, a.activation_id, a.benefit, a.carried_over
    FROM benefit_activations a
    CROSS JOIN run
)
SELECT unlock_id, pga_id, tier, activated_at, contact_due_on, contacted_at,
       CASE WHEN contacted_at IS NULL THEN 'overdue' ELSE 'late' END AS status,
       (coalesce(contacted_at::DATE, as_of) - activated_at::DATE) AS days_to_contact,
       as_of, activation_id, benefit, carried_over
FROM checked
WHERE (contacted_at IS NULL AND as_of > contact_due_on)
   OR contacted_at::DATE > contact_due_on;

-- Offers live more than 4 weeks with no contact of their company since going live (any
-- recorded contact or the landing file's), with the offer's owner (its publisher profile).
DROP VIEW sla_offer_contact;
CREATE VIEW sla_offer_contact AS
WITH run AS (SELECT max(as_of) AS as_of FROM tier_run),
owners AS (
    SELECT partner_id, any_value(pga_id) AS pga_id, min(partner_name) AS owner_name,
           min(account_email) AS owner_email
    FROM partners GROUP BY partner_id
),
checked AS (
    SELECT p.pga_id, o.partner_id, o.offer_id, o.offer_name, o.listing_type, o.live_date,
           (o.live_date + 28) AS contact_due_on,
           (SELECT min(m.contacted_at) FROM company_contact_moments m
             WHERE m.pga_id = p.pga_id AND m.contacted_at::DATE >= o.live_date
               AND m.contacted_at::DATE <= run.as_of) AS contacted_at,
           run.as_of, p.owner_name, p.owner_email
    FROM offers o
    JOIN owners p USING (partner_id)
    CROSS JOIN run
    WHERE o.live_date IS NOT NULL AND o.live_date <= run.as_of
)
SELECT pga_id, partner_id, offer_id, offer_name, listing_type, live_date, contact_due_on,
       contacted_at,
       CASE WHEN contacted_at IS NULL THEN 'overdue' ELSE 'late' END AS status,
       (coalesce(contacted_at::DATE, as_of) - live_date) AS days_live_without_contact,
       as_of, owner_name, owner_email
FROM checked
WHERE (contacted_at IS NULL AND as_of > contact_due_on)
   OR contacted_at::DATE > contact_due_on;
