-- auth/person_insert: a new person. Parameters: person_id, email, display_name, pga_id (NULL for
-- the rewards team), role, created_at.
INSERT INTO people (person_id, email, display_name, pga_id, role, created_at)
VALUES (?, ?, ?, ?, ?, ?)
