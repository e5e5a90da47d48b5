-- rewards/activation_insert: one activation (append-only; benefit_key is unique).
INSERT INTO benefit_activations (benefit_key, pga_id, unlock_id, tier, period, listing_type, benefit,
                                 activated_by, activated_at, contact_email, contact_language)
VALUES (?, ?, nullif(?, ''), nullif(?, ''), ?, ?, ?, ?, ?, ?, ?)
RETURNING activation_id
