-- web_session_create: records a new session. Parameters: session_key, token_id, role,
-- partner_id (NULL for the rewards team), csrf, created_at (also its first seen_at).
INSERT INTO web_sessions (session_key, token_id, role, partner_id, csrf, created_at, seen_at)
VALUES (?, ?, ?, ?, ?, ?, ?)
