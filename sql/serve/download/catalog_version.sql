-- A fingerprint of everything the download service keeps in memory (tokens and the report
-- manifest): it changes whenever a row is added, removed or changed, so the service can
-- notice a change made by other code with one cheap query instead of reloading.
SELECT (SELECT count(*)::VARCHAR || ':' || coalesce(bit_xor(hash(token_id, token_sha256, role, partner_id, revoked_at)), 0)::VARCHAR
        FROM api_tokens)
    || '|' ||
       (SELECT count(*)::VARCHAR || ':' || coalesce(bit_xor(hash(report_id, partner_id, audience, path, size_bytes, sha256,
                                                                 created_at, mtime_ns, as_of, period, name, format)), 0)::VARCHAR
        FROM report_files);
