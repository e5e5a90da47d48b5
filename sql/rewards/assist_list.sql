-- rewards/assist_list: technical assistance requests with their status in force (the latest
-- update; new without one) and its note, of one company ("" = all) and one status ("" = all).
-- Parameters: pga_id, pga_id, status, status.
WITH latest AS (
    SELECT request_id, arg_max(status, (updated_at, update_id)) AS status,
           arg_max(note, (updated_at, update_id)) AS note,
           arg_max(updated_by, (updated_at, update_id)) AS updated_by,
           max(updated_at) AS updated_at
    FROM assist_updates GROUP BY request_id
),
companies AS (SELECT pga_id, min(company_name) AS company_name FROM partners GROUP BY pga_id)
SELECT r.request_id, r.pga_id, coalesce(c.company_name, '') AS company_name, r.phase,
       coalesce(r.offer_id, '') AS offer_id, r.description, r.contact_name, r.contact_email,
       r.requested_by, r.requested_at, coalesce(l.status, 'new') AS status, coalesce(l.note, '') AS note,
       coalesce(l.updated_by, '') AS updated_by, l.updated_at
FROM assist_requests r
LEFT JOIN latest l USING (request_id)
LEFT JOIN companies c USING (pga_id)
WHERE (? = '' OR r.pga_id = ?) AND (? = '' OR coalesce(l.status, 'new') = ?)
ORDER BY CASE coalesce(l.status, 'new') WHEN 'new' THEN 0 WHEN 'in-progress' THEN 1 ELSE 2 END,
         r.requested_at, r.request_id
