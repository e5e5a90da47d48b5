-- One API token by its public id (the server compares the hash itself, in constant time).
SELECT token_id, token_sha256, role, coalesce(partner_id, ''), revoked_at IS NOT NULL
FROM api_tokens
WHERE token_id = $1;
