-- The report files a caller may download, newest first. The one visibility rule of the
-- download service: partners see their own partner reports, the rewards team the review packs.
-- $1 = role ('partner' | 'rewards'), $2 = the partner's id ('' for rewards),
-- $3 = one report id, or '' for all.
SELECT report_id, coalesce(partner_id, ''), audience, as_of, coalesce(period, ''), name,
       coalesce(format, ''), path, coalesce(size_bytes, 0), coalesce(sha256, ''), created_at
FROM report_files
WHERE audience = $1
  AND ($1 = 'rewards' OR partner_id = $2)
  AND ($3 = '' OR report_id = $3)
ORDER BY as_of DESC, period DESC, name, format, report_id;
