-- relation_kinds: the tables and views of the main schema with the given names, so that a step that
-- turns a table into a view (or back) can drop the old kind first: DuckDB's CREATE OR REPLACE VIEW
-- refuses to replace a table, and DROP TABLE IF EXISTS refuses a view.
-- Parameters: names (VARCHAR[]).
SELECT table_name AS name, 'TABLE' AS kind
FROM duckdb_tables()
WHERE database_name = current_database() AND schema_name = 'main' AND NOT temporary
  AND list_contains(?::VARCHAR[], table_name)
UNION ALL
SELECT view_name, 'VIEW'
FROM duckdb_views()
WHERE database_name = current_database() AND schema_name = 'main' AND NOT temporary AND NOT internal
  AND list_contains(?::VARCHAR[], view_name)
ORDER BY name, kind;
