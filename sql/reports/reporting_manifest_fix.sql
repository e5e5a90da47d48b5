-- reporting_manifest_fix: a manifest row brought back in line with its file on disk.
-- Parameters: report_id, size_bytes, sha256, mtime_ns.
UPDATE report_files
SET size_bytes = $2, sha256 = $3, mtime_ns = $4
WHERE report_id = $1;
