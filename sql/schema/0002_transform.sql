-- One row per transform run. A run id is derived from its inputs (the ledger's
-- content hashes, the as-of date, configuration), so the same inputs give the same id.
CREATE TABLE transform_runs (
    run_id       VARCHAR NOT NULL,
    as_of        DATE NOT NULL,
    started_at   TIMESTAMP NOT NULL,
    finished_at  TIMESTAMP,
    status       VARCHAR NOT NULL,   -- succeeded, failed
    steps        INTEGER NOT NULL,
    error        VARCHAR
);
