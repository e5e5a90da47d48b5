-- A small marketplace for the attribution and campaign tests. Every deployment, usage row and click
-- is one case; the comment says what it should become.
-- GUIDs: g1 0a1b2c3d-4e5f-6789-abcd-ef0123456789 (registered P1, edited later)
--        g2 11111111-2222-3333-4444-555555555555 (registered P2 as a bare GUID)
--        g4 44444444-4444-4444-4444-444444444444 (registered P3 in braces)
--        g5 55555555-5555-5555-5555-555555555555 (never registered)

INSERT INTO partners VALUES
    ('P1', 'G1', 'Contoso EU', 'Contoso', 'ops@contoso.example', 0),
    ('P2', 'G1', 'Contoso US', 'Contoso', 'ops@contoso.example', 0),
    ('P3', 'G2', 'Fabrikam', 'Fabrikam', 'it@fabrikam.example', 0);

INSERT INTO offers VALUES
    ('O1', 'P1', 'Widget', 'Transact', 'AZUREMARKETPLACE', DATE '2025-01-01', 0),
    ('O2', 'P2', 'Gadget', 'Trial', 'AZUREMARKETPLACE', DATE '2025-01-01', 0),
    ('O3', 'P3', 'Gizmo', 'List', 'APPSOURCE', DATE '2025-01-01', 0);

INSERT INTO tracking_ids VALUES
    -- g1, upper case as registered; first registered mid-afternoon on 10 March...
    ('pid-0A1B2C3D-4E5F-6789-ABCD-EF0123456789', 'P1', 'O1', 'arm', NULL, TIMESTAMP '2025-03-10 15:00:00', 0),
    -- ...and edited on 1 May (new channel and plan): deployments from 1 May on use the edit.
    ('pid-0a1b2c3d-4e5f-6789-abcd-ef0123456789', 'P1', 'O1', 'terraform', 'gold', TIMESTAMP '2025-05-01 09:00:00', 0),
    ('11111111-2222-3333-4444-555555555555', 'P2', 'O2', 'cli', NULL, TIMESTAMP '2025-01-01 00:00:00', 0),
    ('pid-contoso-myoffer-partnercenter', 'P3', 'O3', 'partner_center', NULL, TIMESTAMP '2025-01-01 00:00:00', 0),
    ('pid-{44444444-4444-4444-4444-444444444444}', 'P3', 'O3', 'sdk', NULL, TIMESTAMP '2025-01-01 00:00:00', 0);

INSERT INTO fx_rates VALUES ('EUR', DATE '2025-04-01', 1.1, 0);

INSERT INTO opt_outs (kind, id, opted_out_at, _file_id) VALUES
    ('subscription', 'SUB-OPTOUT', TIMESTAMP '2025-01-01 00:00:00', 0),
    ('tenant', 'tenant-optout', NULL, 0);

-- deployment_id, timestamp, subscription_id, customer_tenant_id, resource_group, deployment_name,
-- user_agent, partner_id (Terraform), status, region, _file_id
INSERT INTO deployments VALUES
    -- same UTC day as g1's registration (registered 15:00, deployed 08:00): attributed, version 1
    ('d01', TIMESTAMP '2025-03-10 08:00:00', 'sub-1', 't1', 'rg', 'pid-0a1b2c3d-4e5f-6789-abcd-ef0123456789', NULL, NULL, 'Succeeded', 'westeurope', 0),
    -- one day before: before_registration
    ('d02', TIMESTAMP '2025-03-09 23:59:59', 'sub-1', 't1', 'rg', 'pid-0a1b2c3d-4e5f-6789-abcd-ef0123456789', NULL, NULL, 'Succeeded', 'westeurope', 0),
    -- the day of the edit: attributed to version 2 (channel terraform, plan gold)
    ('d03', TIMESTAMP '2025-05-01 00:00:00', 'sub-1', 't1', 'rg', 'pid-0a1b2c3d-4e5f-6789-abcd-ef0123456789', NULL, NULL, 'Succeeded', 'westeurope', 0),
    -- user agent with two registered pid tokens: both attributed, each multiple
    ('d04', TIMESTAMP '2025-06-01 10:00:00', 'sub-multi', 't1', NULL, 'azuredeploy', 'AzureCLI/2.61.0 (DEB) pid-0a1b2c3d-4e5f-6789-abcd-ef0123456789 azsdk-python/1.0 PID-11111111-2222-3333-4444-555555555555', NULL, 'Succeeded', 'eastus', 0),
    -- one registered and one unregistered token: the registered one is attributed, not multiple
    ('d05', TIMESTAMP '2025-06-02 10:00:00', 'sub-5', 't1', NULL, NULL, 'Go/1.22 pid-11111111-2222-3333-4444-555555555555 pid-55555555-5555-5555-5555-555555555555', NULL, 'Succeeded', 'eastus', 0),
    -- GUID in braces, upper case: attributed to g1
    ('d06', TIMESTAMP '2025-06-03 10:00:00', 'sub-6', 't1', NULL, 'pid-{0A1B2C3D-4E5F-6789-ABCD-EF0123456789}', NULL, NULL, 'Succeeded', 'eastus', 0),
    -- a 35-character GUID: malformed, never matched to g1
    ('d07', TIMESTAMP '2025-06-04 10:00:00', 'sub-7', 't1', NULL, NULL, 'Tool/1.0 pid-0a1b2c3d-4e5f-6789-abcd-ef012345678', NULL, 'Succeeded', 'eastus', 0),
    -- pid- with no GUID: malformed
    ('d08', TIMESTAMP '2025-06-05 10:00:00', 'sub-8', 't1', NULL, NULL, 'Tool/1.0 pid-', NULL, 'Succeeded', 'eastus', 0),
    -- Partner Center id, exactly as registered: attributed to P3
    ('d09', TIMESTAMP '2025-06-06 10:00:00', 'sub-9', 't1', NULL, 'pid-contoso-myoffer-partnercenter', NULL, NULL, 'Succeeded', 'eastus', 0),
    -- Partner Center id in another case: unregistered (matched exactly only)
    ('d10', TIMESTAMP '2025-06-07 10:00:00', 'sub-10', 't1', NULL, 'pid-Contoso-MyOffer-PartnerCenter', NULL, NULL, 'Succeeded', 'eastus', 0),
    -- Terraform bare GUID: attributed to P2
    ('d11', TIMESTAMP '2025-06-08 10:00:00', 'sub-11', 't1', NULL, 'main', 'Terraform/1.9.0 terraform-provider-azurerm/4.0', '11111111-2222-3333-4444-555555555555', 'Succeeded', 'eastus', 0),
    -- no tracking id: none
    ('d12', TIMESTAMP '2025-06-09 10:00:00', 'sub-12', 't1', NULL, 'azuredeploy-20250609', 'Mozilla/5.0', NULL, 'Succeeded', 'eastus', 0),
    -- opted out by subscription (case differs from opt_outs): opted_out, masked in the view
    ('d13', TIMESTAMP '2025-06-10 10:00:00', 'sub-optout', 't1', NULL, 'pid-0a1b2c3d-4e5f-6789-abcd-ef0123456789', 'x pid-55555555-5555-5555-5555-555555555555', NULL, 'Succeeded', 'eastus', 0),
    -- opted out by tenant
    ('d14', TIMESTAMP '2025-06-11 10:00:00', 'sub-tenant-out', 'TENANT-OPTOUT', NULL, 'pid-0a1b2c3d-4e5f-6789-abcd-ef0123456789', NULL, NULL, 'Succeeded', 'eastus', 0),
    -- the same GUID in the name and (upper case) in the user agent: one row, source deployment_name
    ('d15', TIMESTAMP '2025-06-12 10:00:00', 'sub-15', 't1', NULL, 'pid-11111111-2222-3333-4444-555555555555', 'x PID-11111111-2222-3333-4444-555555555555', NULL, 'Succeeded', 'eastus', 0),
    -- a failed deployment: attributed, but tags no usage
    ('d16', TIMESTAMP '2025-06-01 10:00:00', 'sub-failed', 't1', NULL, 'pid-0a1b2c3d-4e5f-6789-abcd-ef0123456789', NULL, NULL, 'Failed', 'eastus', 0),
    -- registered in braces (g4), deployed without braces: attributed to P3
    ('d17', TIMESTAMP '2025-06-13 10:00:00', 'sub-17', 't1', NULL, 'pid-44444444-4444-4444-4444-444444444444', NULL, NULL, 'Succeeded', 'eastus', 0),
    -- an ARM deployment name with a date stamp after the GUID: attributed to g2
    ('d18', TIMESTAMP '2025-06-14 10:00:00', 'sub-18', 't1', NULL, 'pid-11111111-2222-3333-4444-555555555555-20250614', NULL, NULL, 'Succeeded', 'eastus', 0),
    -- usage attribution in subscription sub-a (see the usage rows)
    ('dA1', TIMESTAMP '2025-04-01 10:00:00', 'SUB-A', 't1', 'RG-1', 'pid-11111111-2222-3333-4444-555555555555', NULL, NULL, 'Succeeded', 'eastus', 0),
    ('dA2', TIMESTAMP '2025-04-15 10:00:00', 'sub-a', 't1', 'rg-2', 'pid-contoso-myoffer-partnercenter', NULL, NULL, 'Succeeded', 'eastus', 0),
    ('dA3', TIMESTAMP '2025-04-20 10:00:00', 'sub-a', 't1', NULL, 'pid-0a1b2c3d-4e5f-6789-abcd-ef0123456789', NULL, NULL, 'Succeeded', 'eastus', 0),
    -- usage in a subscription known only by its marketplace subscription id
    ('dB1', TIMESTAMP '2025-04-01 10:00:00', 'mkt-b', 't1', NULL, 'pid-11111111-2222-3333-4444-555555555555', NULL, NULL, 'Succeeded', 'eastus', 0);

INSERT INTO usage (marketplace_subscription_id, usage_date, offer_id, meter_id, normalized_usage,
                   metered_usage, estimated_extended_charge_pc, payout_currency_pc, reference_id,
                   azure_subscription_id, resource_group, _file_id) VALUES
    ('m-a', DATE '2025-03-31', 'O1', 'vm', 1, 1, 1.10, 'USD', 'u1', 'sub-a', 'rg-1', 0),  -- before any deployment: not attributed
    ('m-a', DATE '2025-04-01', 'O1', 'vm', 2, 2, 2.20, 'USD', 'u2', 'sub-a', 'rg-1', 0),  -- same day as dA1: g2
    ('m-a', DATE '2025-04-16', 'O1', 'vm', 3, 3, 3.30, 'USD', 'u3', 'sub-a', 'rg-1', 0),  -- rg-1 preferred over newer dA2 in rg-2: g2
    ('m-a', DATE '2025-04-16', 'O1', 'vm', 4, 4, 4.40, 'USD', 'u4', 'sub-a', 'RG-2', 0),  -- rg-2: contoso (P3)
    ('m-a', DATE '2025-04-16', 'O1', 'vm', 5, 5, 5.50, 'USD', 'u5', 'sub-a', NULL, 0),    -- no resource group: most recent in sub: contoso
    ('m-a', DATE '2025-04-21', 'O1', 'vm', 6, 6, 6.60, 'USD', 'u6', 'sub-a', 'rg-3', 0),  -- rg-3 unknown: subscription-level dA3: g1
    ('m-a', DATE '2025-04-21', 'O1', 'vm', 7, 7, 7.70, 'USD', 'u7', 'sub-a', 'rg-1', 0),  -- rg-1 still dA1: g2
    ('mkt-b', DATE '2025-04-02', 'O2', 'vm', 1, 1, 1.00, 'EUR', 'u8', NULL, NULL, 0),     -- marketplace subscription fallback: g2
    ('m-m', DATE '2025-06-01', 'O1', 'vm', 1, 1, 9.99, 'USD', 'u9', 'sub-multi', NULL, 0), -- two IDs: g1 and g2, multiple
    ('m-o', DATE '2025-06-20', 'O1', 'vm', 1, 1, 1.00, 'USD', 'u10', 'sub-optout', NULL, 0),     -- opted out (subscription)
    ('m-t', DATE '2025-06-20', 'O1', 'vm', 1, 1, 1.00, 'USD', 'u11', 'sub-tenant-out', NULL, 0), -- opted out (tenant)
    ('m-f', DATE '2025-06-20', 'O1', 'vm', 1, 1, 1.00, 'USD', 'u12', 'sub-failed', NULL, 0);     -- only a failed deployment

-- timestamp, session_id, offer_id, site, action, landing_url, referral_domain, country, _file_id
INSERT INTO clicks VALUES
    (TIMESTAMP '2025-06-01 09:00:00', 's1', 'O1', 'AZUREMARKETPLACE', 'PageVisit', 'https://m.example/apps/o1?mktcmpid=spring&src=LinkedIn', 'www.linkedin.com', 'US', 0),
    (TIMESTAMP '2025-06-01 09:01:00', 's1', 'O1', 'AZUREMARKETPLACE', 'ContactMe', 'https://m.example/apps/o1?mktcmpid=spring&src=LinkedIn', 'www.linkedin.com', 'US', 0),
    (TIMESTAMP '2025-06-01 09:02:00', 's1', 'O1', 'AZUREMARKETPLACE', 'Consent', 'https://m.example/apps/o1?mktcmpid=spring&src=LinkedIn', 'www.linkedin.com', 'US', 0),
    (TIMESTAMP '2025-06-01 11:00:00', 's2', 'O1', 'AZUREMARKETPLACE', 'PageVisit', 'https://m.example/apps/o1?SRC=linkedin&MKTCMPID=spring', 'WWW.LinkedIn.com', 'DE', 0),
    (TIMESTAMP '2025-06-02 09:00:00', 's3', 'O1', 'AZUREMARKETPLACE', 'page_visit', 'https://m.example/apps/o1?mktcmpid=spring&src=LinkedIn', 'www.linkedin.com', 'FR', 0),
    (TIMESTAMP '2025-06-02 09:01:00', 's3', 'O1', 'AZUREMARKETPLACE', 'Free Trial', 'https://m.example/apps/o1?mktcmpid=spring&src=LinkedIn', 'www.linkedin.com', 'FR', 0),
    (TIMESTAMP '2025-06-02 09:02:00', 's3', 'O1', 'AZUREMARKETPLACE', 'FreeTrial', 'https://m.example/apps/o1?mktcmpid=spring&src=LinkedIn', 'www.linkedin.com', 'FR', 0),
    (TIMESTAMP '2025-06-02 10:00:00', 's4', 'O1', 'AZUREMARKETPLACE', 'PageVisit', 'https://m.example/apps/o1', 'bing.com', 'US', 0),
    (TIMESTAMP '2025-06-02 11:00:00', 's5', 'O1', 'AZUREMARKETPLACE', 'PageVisit', 'https://m.example/apps/o1?mktcmpid=abcdefghij1234567', NULL, 'US', 0),
    (TIMESTAMP '2025-06-02 12:00:00', 's6', 'O3', 'APPSOURCE', 'PageVisit', NULL, NULL, 'US', 0);
