-- rewards/activation_by_key: the activation recorded for a benefit key, if any.
-- Parameters: benefit_key.
SELECT activation_id, activated_by, activated_at FROM benefit_activations WHERE benefit_key = ? ORDER BY activation_id LIMIT 1
