-- reporting_partner_render_earlier: the latest as-of date before the given one for which a
-- partner's files of the period were rendered (or linked), and their fingerprint: when it equals
-- the fingerprint of the partner's files now, those files are linked into the new as-of date
-- instead of rendered (reports/keep.go). Parameters: partner_id, period, as_of. No row when never.
SELECT as_of, fingerprint
FROM report_partner_renders
WHERE partner_id = ? AND period = ? AND as_of < ?
ORDER BY as_of DESC, fingerprint
LIMIT 1;
