-- reporting_partner_digest: the digest of one partner report per partner (reports/keep.go): the
-- number of rows each partner sees and the sum of their hashes (a multiset hash: the rows' order,
-- which the report's total ORDER BY takes from the rows themselves, does not change it), so that
-- deciding whether a partner's files changed neither sorts nor fetches its rows. The generator puts
-- the report's query, without its closing ORDER BY, in place of the marker line below; its
-- parameters are the report's. The Summary's query is read through reporting_partner_digest_summary.
SELECT partner_id, count(*) AS row_count, CAST(sum(hash(q)) AS VARCHAR) AS row_hash
FROM (
--report--
) q
GROUP BY partner_id
ORDER BY partner_id
