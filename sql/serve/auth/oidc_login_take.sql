-- auth/oidc_login_take: takes a sign-in in flight by its state (deleted in the same statement, so a
-- state is good once). Parameters: state_key.
DELETE FROM oidc_logins WHERE state_key = ? RETURNING nonce, code_verifier, next_path, created_at
