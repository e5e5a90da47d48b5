-- Record what this run read, for the next run to compare with (transform/incremental.go).
DELETE FROM transform_inputs;
INSERT INTO transform_inputs SELECT dataset, month, file_id, row_count FROM transform_inputs_now;
DROP TABLE transform_inputs_now;
DELETE FROM transform_state;
