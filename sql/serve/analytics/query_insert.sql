-- analytics: store a partner's query. $1 query_id, $2 partner_id, $3 name, $4 description,
-- $5 query, $6 created_by, $7 created_at.
INSERT INTO analytics_queries (query_id, partner_id, name, description, query, created_by, created_at)
VALUES ($1, $2, $3, $4, $5, $6, $7)
