-- reporting_partner_render: the fingerprint a partner's files of one as-of date and period were
-- last rendered (or linked) from. Parameters: partner_id, as_of, period. No row when never rendered.
SELECT fingerprint
FROM report_partner_renders
WHERE partner_id = ? AND as_of = ? AND period = ?
ORDER BY fingerprint;
