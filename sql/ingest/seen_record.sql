-- Records what ingest saw of a file it hashed and found in the ledger (loaded now, or before):
-- $1 path (absolute), $2 size in bytes, $3 modification time in ns, $4 SHA-256.
INSERT INTO ingest_seen (path, size_bytes, modified_ns, sha256) VALUES ($1, $2, $3, $4)
ON CONFLICT (path) DO UPDATE SET
    size_bytes = excluded.size_bytes,
    modified_ns = excluded.modified_ns,
    sha256 = excluded.sha256;
