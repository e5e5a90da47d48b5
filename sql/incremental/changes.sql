-- What changed in the raw tables since the last successful run: per dataset and month (NULL for
-- the datasets not partitioned by month), the ledger files whose rows there differ (new, replaced
-- in part by a later file, quarantined or removed), from transform_inputs (the last run) and
-- transform_inputs_now (this run, a temp table). Ordered by dataset, then month.
WITH changed AS (
    (SELECT dataset, month, file_id, row_count FROM transform_inputs_now
     EXCEPT ALL
     SELECT dataset, month, file_id, row_count FROM transform_inputs)
    UNION ALL
    (SELECT dataset, month, file_id, row_count FROM transform_inputs
     EXCEPT ALL
     SELECT dataset, month, file_id, row_count FROM transform_inputs_now)
)
SELECT dataset, month, count(DISTINCT file_id) AS files
FROM changed
GROUP BY dataset, month
ORDER BY dataset, month NULLS FIRST;
