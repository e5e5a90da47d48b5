-- One report file by id, whoever it belongs to: for signed links, whose signature is the proof.
SELECT report_id, coalesce(partner_id, ''), audience, as_of, coalesce(period, ''), name,
       coalesce(format, ''), path, coalesce(size_bytes, 0), coalesce(sha256, ''), created_at,
       coalesce(mtime_ns, 0)
FROM report_files
WHERE report_id = $1;
