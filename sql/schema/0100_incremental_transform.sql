-- The incremental transform (transform/incremental.go, docs/architecture.md): what the last
-- successful run read, so that the next run recomputes only what changed since.

-- The raw rows the last successful transform run read, per dataset (raw table), month (for the
-- month-partitioned datasets, else NULL) and ledger file. A new, replaced (rows deleted by a later
-- file), quarantined or removed file changes this, and so marks its months as changed.
CREATE TABLE transform_inputs (
    dataset  VARCHAR NOT NULL,
    month    DATE,
    file_id  BIGINT NOT NULL,
    row_count BIGINT NOT NULL
);

-- The definitions (schema migrations, step SQL, tier rules, parsers: the run id without its
-- inputs and as-of date) of the last successful run. Other definitions mean a full run.
CREATE TABLE transform_state (
    defs    VARCHAR NOT NULL,
    run_id  VARCHAR NOT NULL,
    as_of   DATE NOT NULL
);

-- The subscriptions whose deployments came from an opted-out tenant
-- (tenant_opted_subscriptions(), 0031) as of the last run: their usage is never attributed, so a
-- change of this set changes the attribution of their usage months.
CREATE TABLE attr_opted_subscriptions (
    sub_key VARCHAR NOT NULL
);

-- How each successful run was done: full or incremental, and what it recomputed and why (a table
-- beside transform_runs, whose shape other code and tests insert by position).
CREATE TABLE transform_run_modes (
    run_id      VARCHAR NOT NULL,
    started_at  TIMESTAMP NOT NULL,   -- with run_id, the transform_runs row
    mode        VARCHAR NOT NULL CHECK (mode IN ('full', 'incremental')),
    recomputed  VARCHAR NOT NULL
);
