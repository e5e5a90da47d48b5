-- auth/company_partners: a company's publisher profiles (its people see every one), by id.
-- Parameters: pga_id.
SELECT DISTINCT partner_id FROM partners WHERE pga_id = ? ORDER BY partner_id
