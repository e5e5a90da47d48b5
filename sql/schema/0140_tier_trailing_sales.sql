-- The tiers' trailing windows, kept from run to run so that an incremental transform recomputes only
-- the windows that include a month whose billed sales changed (sql/transform/240_tier_unlocks.sql,
-- transform/incremental.go). One row per PGA and month from the PGA's first billed month to the
-- last month of the window as of the run (window_last_month): the billed sales of the
-- window_months months ending with it, as the macro pga_trailing_sales (0007) computes them; a full
-- run fills it from that macro. A database from before this migration has it empty; its next run is
-- a full one (a new migration changes the run's definitions).
CREATE TABLE tier_trailing_sales (
    pga_id  VARCHAR NOT NULL,
    month   DATE NOT NULL,
    ttm     DECIMAL(38,2) NOT NULL
);
