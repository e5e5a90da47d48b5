-- analytics: the active reports with an occurrence due at $1, every partner's, oldest due first.
SELECT report_id, partner_id
FROM analytics_reports
WHERE status = 'Active' AND next_run_at IS NOT NULL AND next_run_at <= $1
ORDER BY next_run_at, report_id
