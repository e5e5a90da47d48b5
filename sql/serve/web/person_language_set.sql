-- web_person_language_set: a person's own choice of language, made with the switch on any portal
-- page (one row per person: the latest choice).
-- Parameters: person_id, language, changed_at.
INSERT INTO person_languages (person_id, language, changed_at)
VALUES (?, ?, ?)
ON CONFLICT (person_id) DO UPDATE SET language = excluded.language, changed_at = excluded.changed_at
