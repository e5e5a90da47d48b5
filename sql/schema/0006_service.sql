-- The scheduled service: run history, API tokens for the download service and
-- the service's own secrets (the key that signs expiring download links).

-- One row per job run (or skipped firing), written once when the run ends so
-- that a crash never leaves a run that looks as if it were still going.
CREATE SEQUENCE job_runs_seq START 1;

CREATE TABLE job_runs (
    run_id        BIGINT PRIMARY KEY DEFAULT nextval('job_runs_seq'),
    job           VARCHAR   NOT NULL,
    trigger_kind  VARCHAR   NOT NULL CHECK (trigger_kind IN ('schedule', 'catch-up', 'manual', 'backfill')),
    scheduled_at  TIMESTAMP,            -- UTC; the cron activation it ran for (NULL for manual runs and backfills)
    as_of         DATE      NOT NULL,
    started_at    TIMESTAMP NOT NULL,   -- UTC
    ended_at      TIMESTAMP NOT NULL,   -- UTC
    status        VARCHAR   NOT NULL CHECK (status IN ('succeeded', 'failed', 'skipped')),
    row_count     BIGINT    NOT NULL DEFAULT 0,
    attempts      INTEGER   NOT NULL DEFAULT 0,
    error_message VARCHAR
);

-- Bearer tokens. Only the SHA-256 of a token is stored; token_id is the public
-- part of the token, used to find the row, to revoke it and in access logs.
CREATE TABLE api_tokens (
    token_id     VARCHAR   PRIMARY KEY,
    token_sha256 VARCHAR   NOT NULL,
    role         VARCHAR   NOT NULL CHECK (role IN ('partner', 'rewards')),
    partner_id   VARCHAR,
    note         VARCHAR,
    created_at   TIMESTAMP NOT NULL,
    revoked_at   TIMESTAMP,
    CHECK ((role = 'partner') = (partner_id IS NOT NULL))
);

-- Secrets the service generates for itself when the configuration gives none.
CREATE TABLE service_secrets (
    name       VARCHAR   PRIMARY KEY,
    value      VARCHAR   NOT NULL,
    created_at TIMESTAMP NOT NULL
);
