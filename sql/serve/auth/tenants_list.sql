-- auth/tenants_list: every company's identity-provider tenants.
SELECT pga_id, tenant_id, added_at, added_by
FROM company_tenants
ORDER BY tenant_id, pga_id
