-- auth/oidc_logins_expire: drops the sign-ins in flight started before the cut-off. Parameters: cut-off.
DELETE FROM oidc_logins WHERE created_at < ?
