-- reporting_partner_digest_summary: the Summary's rows for reporting_partner_digest (which puts it
-- in place of its marker line; the generator puts summary.sql, without its closing ORDER BY, in place
-- of the marker line below). The tier note says the as-of date ("Tier: Tier 2 as of 2026-10-31"):
-- the tier status is the one at the as-of date, which the workbook states anyway, and it is the
-- only place a report's rows carry the as-of date, which the fingerprint leaves out; the digest
-- reads the note without it. A kept file keeps the note of the date its figures were computed at.
SELECT * REPLACE (regexp_replace(note, '^(Tier: .*) as of [0-9]{4}-[0-9]{2}-[0-9]{2}$', '\1') AS note)
FROM (
--report--
)
