-- auth/oidc_login_insert: a sign-in sent to the provider.
-- Parameters: state_key, nonce, code_verifier, next_path, created_at.
INSERT INTO oidc_logins (state_key, nonce, code_verifier, next_path, created_at) VALUES ($1, $2, $3, $4, $5)
