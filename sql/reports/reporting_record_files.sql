-- reporting_record_files: records a batch of written report files in the manifest, one row per
-- list element; a file written again at the same path (same report_id) replaces its row.
-- One statement per batch: executing one INSERT per file cost about 1.5 ms each, more than
-- rendering a small CSV.
-- Parameters: report_id[], partner_id[], audience[], as_of[], period[], name[], format[], path[],
-- size_bytes[], sha256[], mtime_ns[] (lists of equal length, unnested together; '' and 0 stand
-- for NULL, which the driver cannot bind inside a list), created_at.
INSERT OR REPLACE INTO report_files
    (report_id, partner_id, audience, as_of, period, name, format, path, size_bytes, sha256, mtime_ns, created_at)
SELECT
    unnest(?::VARCHAR[]),
    NULLIF(unnest(?::VARCHAR[]), ''),
    unnest(?::VARCHAR[]),
    unnest(?::DATE[]),
    unnest(?::VARCHAR[]),
    unnest(?::VARCHAR[]),
    unnest(?::VARCHAR[]),
    unnest(?::VARCHAR[]),
    unnest(?::BIGINT[]),
    unnest(?::VARCHAR[]),
    NULLIF(unnest(?::BIGINT[]), 0),
    ?::TIMESTAMP
