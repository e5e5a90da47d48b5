-- rewards/assist_insert: a technical assistance request (append-only).
INSERT INTO assist_requests (pga_id, partner_id, phase, offer_id, description, contact_name, contact_email,
                             requested_by, requested_at)
VALUES (?, nullif(?, ''), ?, nullif(?, ''), ?, ?, ?, ?, ?)
RETURNING request_id
