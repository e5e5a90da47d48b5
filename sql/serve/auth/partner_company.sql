-- auth/partner_company: the company (PGA) of a publisher profile ('' when unknown).
-- Parameters: partner_id.
SELECT coalesce(min(pga_id), '') FROM partners WHERE partner_id = ?
