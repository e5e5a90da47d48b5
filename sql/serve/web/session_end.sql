-- web_session_end: ends sessions: the one of a key (sign-out, a new sign-in), every one of a
-- token (revoked), and every one expired by now. Parameters: session_key ('' = none), token_id
-- ('' = none), the idle bound's cut-off (seen before it: expired), the lifetime's cut-off
-- (created before it: expired).
DELETE FROM web_sessions
WHERE session_key = $1 OR token_id = $2 OR seen_at < $3 OR created_at < $4
