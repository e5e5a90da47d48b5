-- analytics: delete a partner's query. $1 partner_id, $2 query_id.
DELETE FROM analytics_queries WHERE partner_id = $1 AND query_id = $2
