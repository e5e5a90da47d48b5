-- Every API token (hashes only), for the download service's in-memory token table.
SELECT token_id, token_sha256, role, coalesce(partner_id, ''), revoked_at IS NOT NULL
FROM api_tokens
ORDER BY token_id;
