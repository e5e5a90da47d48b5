-- Keep the first secret generated under a name ($1 name, $2 value, $3 now).
INSERT INTO service_secrets (name, value, created_at) VALUES ($1, $2, $3)
ON CONFLICT DO NOTHING;
