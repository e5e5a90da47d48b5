-- analytics: a partner's queries, oldest first. $1 partner_id, $2 query_id or '', $3 name or ''
-- (case-insensitive).
SELECT query_id, name, coalesce(description, ''), query, coalesce(created_by, ''), created_at
FROM analytics_queries
WHERE partner_id = $1
  AND ($2 = '' OR query_id = $2)
  AND ($3 = '' OR lower(name) = lower($3))
ORDER BY created_at, query_id
