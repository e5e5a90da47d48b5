-- Every report file of the manifest, newest first, for the download service (which keeps
-- them in memory and applies the one visibility rule, server.visibleTo, to each caller).
SELECT report_id, coalesce(partner_id, ''), audience, as_of, coalesce(period, ''), name,
       coalesce(format, ''), path, coalesce(size_bytes, 0), coalesce(sha256, ''), created_at,
       coalesce(mtime_ns, 0)
FROM report_files
ORDER BY as_of DESC, period DESC, name, format, report_id;
