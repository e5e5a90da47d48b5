-- Tracking IDs as Microsoft's own templates and SDKs write them (docs/attribution.md).

-- pid-<GUID>-<uniqueString> (Azure Landing Zones) and pid-<GUID>_<version>_… (CAF Terraform):
-- the token's GUID, canonical (pid-<lower-case guid>), which attributes when the whole token is
-- not registered but the GUID is; and what followed the GUID.
ALTER TABLE attr_tokens ADD COLUMN guid_key VARCHAR;
ALTER TABLE attr_tokens ADD COLUMN suffix VARCHAR;

-- Step 105 (Go): the platform IDs of the configuration (attribution.platform_ids): Microsoft's
-- own IDs, such as the Terraform azurerm/azapi providers' default partner ID. A deployment
-- carrying one is status platform: never a partner's, never unregistered, never "multiple".
CREATE TABLE attr_platform_ids (
    tracking_id  VARCHAR NOT NULL,   -- canonical pid-<lower-case guid>
    description  VARCHAR
);
