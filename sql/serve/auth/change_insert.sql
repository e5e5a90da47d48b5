-- auth/change_insert: records one change to a person, numbered after the last one (the caller
-- runs it in the change's transaction). Parameters: person_id, action, changed_by, changed_at,
-- before (JSON text or NULL), after.
INSERT INTO people_changes (change_id, person_id, action, changed_by, changed_at, before, after)
SELECT coalesce(max(change_id), 0) + 1, $1, $2, $3, $4, $5, $6 FROM people_changes
