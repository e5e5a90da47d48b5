-- Revoke an active token ($1 = token id, $2 = now). Revoked rows stay, for the audit trail.
UPDATE api_tokens SET revoked_at = $2
WHERE token_id = $1 AND revoked_at IS NULL;
