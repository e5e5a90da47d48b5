-- rewards/contact_record_insert: the rewards team reached a company (append-only).
INSERT INTO contact_records (pga_id, activation_id, contacted_by, contacted_at, note, recorded_at)
VALUES (?, ?, ?, ?, ?, ?)
RETURNING record_id
