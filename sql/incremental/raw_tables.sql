-- The raw tables: the datasets of the ingest ledger (a dataset's table has its name and a _file_id
-- column, the ledger file of each row), and those the last run read (all of whose files may have
-- left the ledger since), in name order. Their rows per ledger file are the transform's inputs.
SELECT c.table_name
FROM information_schema.columns c
JOIN information_schema.tables t
  ON t.table_catalog = c.table_catalog AND t.table_schema = c.table_schema AND t.table_name = c.table_name
 AND t.table_type = 'BASE TABLE'
WHERE c.table_catalog = current_database() AND c.table_schema = 'main' AND c.column_name = '_file_id'
  AND c.table_name IN (SELECT dataset FROM ingest_files UNION SELECT dataset FROM transform_inputs)
ORDER BY c.table_name;
