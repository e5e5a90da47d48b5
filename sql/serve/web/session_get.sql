-- web_session_get: one session by its key, for a service that started after the sign-in.
-- Parameters: session_key.
SELECT coalesce(token_id, ''), role, coalesce(partner_id, ''), csrf, created_at, seen_at, coalesce(reviewer, ''),
       coalesce(person_id, ''), coalesce(id_token, '')
FROM web_sessions
WHERE session_key = ?
ORDER BY session_key
