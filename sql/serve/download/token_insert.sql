-- Store a new API token: its public id and the SHA-256 of the whole token, never the token.
INSERT INTO api_tokens (token_id, token_sha256, role, partner_id, note, created_at)
VALUES ($1, $2, $3, $4, $5, $6);
