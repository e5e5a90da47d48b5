-- Run history survives a crash: a run is recorded as 'running' when it starts
-- (with the process that runs it) and completed when it ends. A 'running' row
-- whose process is gone is marked failed, "interrupted: process ended", at the
-- next start, and does not count as having run for catch-up.
--
-- DuckDB cannot change a CHECK constraint or drop NOT NULL with ALTER TABLE,
-- so the table is rebuilt; run ids and the sequence are kept.
CREATE TABLE job_runs_v2 (
    run_id        BIGINT PRIMARY KEY DEFAULT nextval('job_runs_seq'),
    job           VARCHAR   NOT NULL,
    trigger_kind  VARCHAR   NOT NULL CHECK (trigger_kind IN ('schedule', 'catch-up', 'manual', 'backfill')),
    scheduled_at  TIMESTAMP,            -- UTC; the cron activation it ran for (NULL for manual runs and backfills)
    as_of         DATE      NOT NULL,
    started_at    TIMESTAMP NOT NULL,   -- UTC
    ended_at      TIMESTAMP,            -- UTC; NULL while running, and for a run whose process died (end unknown)
    status        VARCHAR   NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'skipped')),
    row_count     BIGINT    NOT NULL DEFAULT 0,
    attempts      INTEGER   NOT NULL DEFAULT 0,
    error_message VARCHAR,
    pid           INTEGER,              -- the process that ran it (NULL before this migration)
    host          VARCHAR,              -- and its host name
    process_key   VARCHAR,              -- host, pid and start time of that process: unique to it
    interrupted   BOOLEAN   NOT NULL DEFAULT false, -- its process ended while it was running
    CHECK (status <> 'running' OR ended_at IS NULL),
    CHECK (ended_at IS NOT NULL OR status = 'running' OR interrupted)
);

INSERT INTO job_runs_v2 (run_id, job, trigger_kind, scheduled_at, as_of, started_at, ended_at, status,
                         row_count, attempts, error_message)
SELECT run_id, job, trigger_kind, scheduled_at, as_of, started_at, ended_at, status,
       row_count, attempts, error_message
FROM job_runs;

DROP TABLE job_runs;
ALTER TABLE job_runs_v2 RENAME TO job_runs;
