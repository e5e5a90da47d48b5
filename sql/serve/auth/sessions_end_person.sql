-- auth/sessions_end_person: ends every session of a person (removed). Parameters: person_id.
DELETE FROM web_sessions WHERE person_id = ?
