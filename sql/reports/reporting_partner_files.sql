-- reporting_partner_files: a partner's files of one as-of date and period in the manifest, the
-- files a partner whose report rows did not change keeps. Parameters: partner_id, as_of, period.
SELECT report_id, audience, name, format, path, coalesce(size_bytes, -1), coalesce(sha256, ''), coalesce(mtime_ns, 0)
FROM report_files
WHERE partner_id = ? AND as_of = ? AND period = ?
ORDER BY path;
