-- rewards/company: a company's name and whether it is known (a publisher profile or an unlock).
-- Parameters: pga_id, pga_id, pga_id.
SELECT coalesce((SELECT min(company_name) FROM partners WHERE pga_id = ?), ''),
       EXISTS (SELECT 1 FROM partners WHERE pga_id = ?) OR EXISTS (SELECT 1 FROM tier_unlocks_data WHERE pga_id = ?)
