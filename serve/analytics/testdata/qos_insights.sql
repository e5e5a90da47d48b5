-- Quality of service rows and Marketplace Insights counts beside the shared report fixtures
-- (reports/testdata/fixtures has neither), as file 100 and 101.
INSERT INTO ingest_files VALUES (100, 'qos-fixture', 'qos.csv', 'qos', 'csv', 0, 0, 0, 0, TIMESTAMP '2025-07-05 00:00:00');
INSERT INTO ingest_files VALUES (101, 'mi-fixture', 'marketplace_insights.csv', 'marketplace_insights', 'csv', 0, 0, 0, 0, TIMESTAMP '2025-07-05 00:00:00');

INSERT INTO qos (offer_id, sku, deployment_status, deployment_correlation_id, subscription_id, customer_tenant_id,
                 template_type, start_time, end_time, deployment_duration_ms, deployment_region, resource_provider,
                 resource_group, resource_type, resource_name, error_code, deep_error_code, publisher_id, _file_id)
VALUES
    ('contoso-backup', 'pro', 'Succeeded', 'Q-1', 'az-sub-acme', 'tenant-acme', 'SolutionTemplate',
     TIMESTAMP '2025-06-10 09:00:00', TIMESTAMP '2025-06-10 09:04:00', 240000, 'eastus', 'Microsoft.Storage',
     'rg-q1', 'storageAccounts', 'st1', NULL, NULL, 'p-contoso', 100),
    ('contoso-backup', 'pro', 'Succeeded', 'Q-1', 'az-sub-acme', 'tenant-acme', 'SolutionTemplate',
     TIMESTAMP '2025-06-10 09:00:00', TIMESTAMP '2025-06-10 09:04:00', 240000, 'eastus', 'Microsoft.Web',
     'rg-q1', 'sites', 'web1', NULL, NULL, 'p-contoso', 100),
    ('contoso-backup', 'pro', 'Failed', 'Q-2', 'az-sub-acme', 'tenant-acme', 'SolutionTemplate',
     TIMESTAMP '2025-06-20 10:00:00', TIMESTAMP '2025-06-20 10:01:00', 60000, 'eastus', 'Microsoft.Web',
     'rg-q2', 'sites', 'web2', 'DeploymentFailed', 'Conflict', 'p-contoso', 100),
    ('fabrikam-crm', 'std', 'Succeeded', 'Q-FABRIKAM', 'az-sub-wayne', 'tenant-wayne', 'ManagedApplication',
     TIMESTAMP '2025-06-21 11:00:00', TIMESTAMP '2025-06-21 11:02:00', 120000, 'centralus', 'Microsoft.Web',
     'rg-crm', 'sites', 'crm1', NULL, NULL, 'p-fabrikam', 100);

INSERT INTO marketplace_insights ("date", offer_name, referral_domain, country_name, page_visits, get_it_now,
                                  contact_me, test_drive, free_trial, consent_given, site, campaign, offer_id,
                                  publisher_id, _file_id)
VALUES
    (DATE '2025-06-15', 'Backup Vault', 'Bing.com', 'France', 7, 1, 2, 0, 0, 1, 'AZUREMARKETPLACE', 'summer', 'contoso-backup', 'p-contoso', 101),
    (DATE '2025-06-04', 'Backup Vault', 'bing.com', 'France', 99, 9, 9, 0, 0, 9, 'AZUREMARKETPLACE', NULL, 'contoso-backup', 'p-contoso', 101),
    (DATE '2025-06-15', 'CRM Connector', 'fabrikam-referrer.example', 'Germany', 5, 0, 1, 0, 0, 0, 'APPSOURCE', NULL, 'fabrikam-crm', 'p-fabrikam', 101),
    -- Microsoft's "no campaign" as the real download writes it
    (DATE '2025-06-16', 'CRM Connector', 'fabrikam-referrer.example', 'Germany', 3, 0, 0, 0, 0, 0, 'APPSOURCE', '_NoCampaign', 'fabrikam-crm', 'p-fabrikam', 101);
