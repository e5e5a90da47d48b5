-- rewards/account_emails: the account emails of every publisher profile of a company
-- (lower-case, trimmed): a marketing contact must differ from each.
-- Parameters: pga_id.
SELECT DISTINCT lower(trim(account_email)) AS email
FROM partners
WHERE pga_id = ? AND nullif(trim(account_email), '') IS NOT NULL
ORDER BY email
