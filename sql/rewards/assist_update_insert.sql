-- rewards/assist_update_insert: a request's new status with a note (append-only).
INSERT INTO assist_updates (request_id, status, note, updated_by, updated_at) VALUES (?, ?, ?, ?, ?)
RETURNING update_id
