-- auth/changes_table: the history as `insights people list --history` prints it.
-- Parameters: person_id ('' = everyone's).
SELECT change_id, changed_at, changed_by, action, person_id, coalesce(before, '') AS before, coalesce(after, '') AS after
FROM people_changes
WHERE $1 = '' OR person_id = $1
ORDER BY change_id
