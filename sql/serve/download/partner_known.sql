-- Whether a partner id is in the reference data ($1), to warn when a token is made for a typo.
SELECT EXISTS (SELECT 1 FROM partners WHERE partner_id = $1);
