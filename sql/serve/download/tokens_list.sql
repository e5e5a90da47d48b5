-- Every API token (never the token itself), for `insights tokens list`.
SELECT token_id,
       role,
       coalesce(partner_id, '')                               AS partner_id,
       coalesce(note, '')                                     AS note,
       strftime(created_at, '%Y-%m-%d %H:%M:%S')              AS created_utc,
       coalesce(strftime(revoked_at, '%Y-%m-%d %H:%M:%S'), '') AS revoked_utc
FROM api_tokens
ORDER BY created_at, token_id;
