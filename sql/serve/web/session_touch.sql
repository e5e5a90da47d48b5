-- web_session_touch: a session's last use and the reviewer name it remembers.
-- Parameters: session_key, seen_at, reviewer ('' = none).
UPDATE web_sessions SET seen_at = $2, reviewer = nullif($3, '') WHERE session_key = $1
