-- What ingest last saw of each landing file it hashed: its path, size and modification time, and
-- the SHA-256 of its bytes then. A daily run finds every earlier delivery still in the landing
-- folder (6.7 GB at scale 100), and hashing all of it to look each file up in the ledger
-- (ingest_files.sha256) took nearly all of a day's 9.4 s. As make and git's index do, ingest trusts
-- the file system: a file whose path, size and modification time are those recorded here is
-- skipped without being read, provided its hash is still in the ledger (a file removed from the
-- ledger is hashed and loaded again). The trade-off: a file rewritten in place to the same size
-- and given back the same modification time (to the nanosecond; a copy that keeps the time, or a
-- clock that stands still) is not noticed. Ingest records a file only when its time is well before
-- the hash began, so two writes within the file system's clock tick cannot share a time unseen.
-- Ingest keeps this table itself (ingest/loader.go); it is not part of the ledger, and deleting its
-- rows only costs the next run one more read of each file.
CREATE TABLE ingest_seen (
    path        VARCHAR PRIMARY KEY,  -- absolute, as ingest_files.path
    size_bytes  BIGINT NOT NULL,
    modified_ns BIGINT NOT NULL,      -- modification time, nanoseconds since 1970-01-01 UTC
    sha256      VARCHAR NOT NULL      -- the bytes' hash when this was recorded (ingest_files.sha256)
);
