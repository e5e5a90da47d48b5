-- What each partner's report files were last rendered from (reports/files.go): a fingerprint of
-- the partner's report rows, its metadata and the build, per as-of date and period. When a
-- re-run for the same as-of and period finds the same fingerprint and the files still in the
-- manifest, the partner keeps its files: same bytes, same ETags, no new manifest rows.
CREATE TABLE report_partner_renders (
    partner_id   VARCHAR NOT NULL,
    as_of        DATE NOT NULL,
    period       VARCHAR NOT NULL,
    fingerprint  VARCHAR NOT NULL,
    rendered_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (partner_id, as_of, period)
);
