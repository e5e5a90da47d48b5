-- The definitions of the last successful transform run (transform_state: one row, none before the
-- first run of the incremental transform).
SELECT defs FROM transform_state;
