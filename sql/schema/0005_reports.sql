-- The report manifest: one row per generated report file, so the server can list
-- and serve files without walking the disk. Re-generating a file replaces its row
-- (same report_id, because the id is derived from the file's relative path).
CREATE TABLE report_files (
    report_id   VARCHAR PRIMARY KEY,  -- opaque: first 24 hex digits of sha256(path)
    partner_id  VARCHAR,              -- NULL for the rewards review pack
    audience    VARCHAR,              -- 'partner' | 'rewards'
    as_of       DATE,
    period      VARCHAR,              -- report month '2025-06'; the as-of date for the review pack
    name        VARCHAR,              -- base name of the file
    format      VARCHAR,              -- xlsx | csv | parquet
    path        VARCHAR,              -- relative to the out root, '/'-separated
    size_bytes  BIGINT,
    sha256      VARCHAR,              -- of the file's bytes
    created_at  TIMESTAMP
);
