-- reporting_manifest_files: every manifest row's file and what the row says of it, for the
-- check at start that rows and files agree.
SELECT report_id, path, coalesce(size_bytes, -1), coalesce(sha256, ''), coalesce(mtime_ns, 0)
FROM report_files
ORDER BY report_id;
