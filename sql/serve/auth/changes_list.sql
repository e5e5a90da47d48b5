-- auth/changes_list: the recorded changes, oldest first. Parameters: person_id ('' = everyone's).
SELECT change_id, person_id, action, changed_by, changed_at, coalesce(before, ''), coalesce(after, '')
FROM people_changes
WHERE $1 = '' OR person_id = $1
ORDER BY change_id
