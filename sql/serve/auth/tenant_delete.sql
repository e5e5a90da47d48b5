-- auth/tenant_delete: removes a company's tenant. Parameters: pga_id, tenant_id.
DELETE FROM company_tenants WHERE pga_id = ? AND tenant_id = ?
