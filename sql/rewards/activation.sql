-- rewards/activation: one activation by id.
-- Parameters: activation_id.
SELECT activation_id, pga_id, coalesce(benefit, 'every benefit of the unlock'), activated_at
FROM benefit_activations WHERE activation_id = ?
ORDER BY activation_id
