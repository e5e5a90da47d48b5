-- A secret the service generated for itself ($1 = name).
SELECT value FROM service_secrets WHERE name = $1;
