-- The Partner Center–compatible analytics API (reports/analytics): partners' own queries,
-- scheduled reports, their executions with the files they delivered, and every callback
-- attempt. Rows belong to one partner each; every statement on them filters by partner_id.

CREATE TABLE analytics_queries (
    query_id     VARCHAR   PRIMARY KEY,   -- UUID
    partner_id   VARCHAR   NOT NULL,
    name         VARCHAR   NOT NULL,
    description  VARCHAR,
    query        VARCHAR   NOT NULL,      -- as the partner wrote it (checked when created)
    created_by   VARCHAR,                 -- public id of the token that created it
    created_at   TIMESTAMP NOT NULL       -- UTC
);

CREATE TABLE analytics_reports (
    report_id            VARCHAR   PRIMARY KEY,  -- UUID
    partner_id           VARCHAR   NOT NULL,
    report_name          VARCHAR   NOT NULL,
    description          VARCHAR,
    query_id             VARCHAR   NOT NULL,
    query                VARCHAR   NOT NULL,     -- the query's text when the report was created
    created_by           VARCHAR,
    created_at           TIMESTAMP NOT NULL,
    modified_at          TIMESTAMP,
    start_time           TIMESTAMP NOT NULL,     -- first scheduled execution (UTC)
    recurrence_interval  INTEGER   NOT NULL,     -- hours; 0 for a one-time (ExecuteNow) report
    recurrence_count     INTEGER,                -- executions to run; NULL = no end
    format               VARCHAR   NOT NULL,     -- csv, tsv, parquet, xlsx
    callback_url         VARCHAR,
    callback_method      VARCHAR,                -- POST (JSON body) or GET (query string)
    callback_secret      VARCHAR,                -- Standard Webhooks secret, whsec_<base64>
    execute_now          BOOLEAN   NOT NULL,
    query_start_time     TIMESTAMP,              -- explicit data window (one-time reports)
    query_end_time       TIMESTAMP,
    status               VARCHAR   NOT NULL CHECK (status IN ('Active', 'Paused', 'Inactive')),
    next_run_at          TIMESTAMP,              -- next scheduled execution; NULL when none is left
    executions_scheduled INTEGER   NOT NULL DEFAULT 0
);

CREATE TABLE analytics_executions (
    execution_id      VARCHAR   PRIMARY KEY,  -- UUID
    report_id         VARCHAR   NOT NULL,
    partner_id        VARCHAR   NOT NULL,
    scheduled_at      TIMESTAMP NOT NULL,     -- the occurrence it runs for (UTC)
    status            VARCHAR   NOT NULL CHECK (status IN ('Pending', 'Running', 'Paused', 'Completed', 'Failed')),
    claimed_by        VARCHAR,                -- the service instance running it
    format            VARCHAR   NOT NULL,
    data_from         DATE,                   -- the dates the query read (NULL = unbounded)
    data_to           DATE,
    path              VARCHAR,                -- file, relative to the out root
    row_count         BIGINT,
    size_bytes        BIGINT,
    sha256            VARCHAR,
    error_message     VARCHAR,
    created_at        TIMESTAMP NOT NULL,
    started_at        TIMESTAMP,
    generated_at      TIMESTAMP,
    expires_at        TIMESTAMP,              -- the link and the file expire together
    callback_status   VARCHAR,                -- NULL (no callback), Pending, Delivered, Failed
    callback_attempts INTEGER   NOT NULL DEFAULT 0,
    callback_next_at  TIMESTAMP
);

CREATE TABLE analytics_callback_attempts (
    execution_id  VARCHAR   NOT NULL,
    attempt       INTEGER   NOT NULL,
    webhook_id    VARCHAR   NOT NULL,  -- the same on every attempt, so receivers can deduplicate
    url           VARCHAR   NOT NULL,
    attempted_at  TIMESTAMP NOT NULL,
    status_code   INTEGER,             -- NULL when no response came
    error_message VARCHAR,
    duration_ms   BIGINT    NOT NULL,
    PRIMARY KEY (execution_id, attempt)
);
