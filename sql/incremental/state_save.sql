-- Record the definitions, run id and as-of date of this (successful) run: transform_state, one
-- row (save.sql emptied it).
INSERT INTO transform_state VALUES (?, ?, ?);
