-- auth/company_known: whether a company (PGA) has a publisher profile in the reference data.
-- Parameters: pga_id.
SELECT EXISTS (SELECT 1 FROM partners WHERE pga_id = ?)
