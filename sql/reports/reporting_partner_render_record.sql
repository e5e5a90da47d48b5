-- reporting_partner_render_record: records the fingerprint a partner's files were rendered from.
-- Parameters: partner_id, as_of, period, fingerprint, rendered_at.
INSERT OR REPLACE INTO report_partner_renders VALUES (?, ?, ?, ?, ?);
