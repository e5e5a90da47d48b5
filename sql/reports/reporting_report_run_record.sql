-- reporting_report_run_record: records what one run of the partners' reports did (report_runs).
-- Parameters: started_at, ended_at, as_of, period, partners, rendered, linked, kept_in_place, failed, files.
INSERT INTO report_runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?);
