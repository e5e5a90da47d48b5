-- What each run of the partners' reports did (reports/keep.go): how many partners it rendered and how
-- many it did not need to, because nothing their files show changed — kept in place (a rerun of the
-- same as-of date) or linked from their latest earlier as-of date. `insights runs` shows it beside
-- the run of the reports job (or the batch) during which it started, as it shows what the transform
-- recomputed.
CREATE TABLE report_runs (
    started_at    TIMESTAMP NOT NULL,
    ended_at      TIMESTAMP NOT NULL,
    as_of         DATE NOT NULL,
    period        VARCHAR NOT NULL,   -- '2026-10 (6m)'
    partners      INTEGER NOT NULL,   -- every partner of the run, failed ones too
    rendered      INTEGER NOT NULL,
    linked        INTEGER NOT NULL,   -- files linked from an earlier as-of date
    kept_in_place INTEGER NOT NULL,   -- files already there for this as-of date
    failed        INTEGER NOT NULL,
    files         INTEGER NOT NULL
);
