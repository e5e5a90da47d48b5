-- reporting_record_file: records one written report file in the manifest; a file written again
-- at the same path (same report_id) replaces its row.
-- Parameters: report_id, partner_id, audience, as_of, period, name, format, path, size_bytes,
-- sha256, created_at, mtime_ns.
INSERT OR REPLACE INTO report_files
    (report_id, partner_id, audience, as_of, period, name, format, path, size_bytes, sha256, created_at, mtime_ns)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
