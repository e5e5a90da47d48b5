-- The raw tables: the ingest datasets (one table each, named after the dataset, with _file_id: the
-- ledger file of each row; ingest/schema.go). Their rows per ledger file are the transform's
-- inputs. A new dataset belongs here (cmd/internal/app/incremental_test.go checks that every
-- dataset of ingest is listed). Tables derived from them that copy _file_id are not inputs.
SELECT t.table_name
FROM information_schema.tables t
WHERE t.table_catalog = current_database() AND t.table_schema = 'main' AND t.table_type = 'BASE TABLE'
  AND t.table_name IN ('orders', 'usage', 'customers', 'deployments', 'clicks', 'partners', 'offers',
                       'tracking_ids', 'contacts', 'opt_outs', 'fx_rates', 'qos', 'marketplace_insights',
                       'revenue')
ORDER BY t.table_name;
