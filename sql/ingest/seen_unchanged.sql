-- The files of this run (absolute paths, $1 VARCHAR[]) that ingest has seen before and whose content
-- is still in the ledger: what it recorded of each (size, modification time in ns) and the ledger's
-- path, for "already ingested as <path>". The loader skips, without reading it, a file whose size and
-- time are these. The join drops an entry whose hash left the ledger (a file removed from it, as an
-- operator withdrawing a delivery does): that file is hashed and treated as new.
SELECT s.path, s.size_bytes, s.modified_ns, f.path AS ingested_as
FROM ingest_seen s
JOIN ingest_files f ON f.sha256 = s.sha256
WHERE s.path IN (SELECT unnest($1::VARCHAR[]))
ORDER BY s.path;
