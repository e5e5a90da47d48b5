-- auth/tenant_insert: associates a tenant with a company (again: nothing changes).
-- Parameters: pga_id, tenant_id, added_at, added_by.
INSERT INTO company_tenants (pga_id, tenant_id, added_at, added_by) VALUES (?, ?, ?, ?)
ON CONFLICT DO NOTHING
