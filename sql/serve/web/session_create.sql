-- web_session_create: records a new session. Parameters: session_key, token_id ('' for a
-- person's), role, partner_id (NULL for the rewards team), csrf, created_at (also its first
-- seen_at), person_id ('' for a token's), id_token ('' = none).
INSERT INTO web_sessions (session_key, token_id, role, partner_id, csrf, created_at, seen_at, person_id, id_token)
VALUES (?, nullif(?, ''), ?, ?, ?, ?, ?, nullif(?, ''), nullif(?, ''))
