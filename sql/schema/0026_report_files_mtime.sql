-- The report manifest records each file's modification time (Unix nanoseconds)
-- next to its size and SHA-256. A file whose size or time differs from its row
-- was replaced without its row being updated (a run killed between the rename
-- and the manifest write): the server then hashes the file it serves instead
-- of trusting the row, and the next start repairs the row.
ALTER TABLE report_files ADD COLUMN mtime_ns BIGINT;
