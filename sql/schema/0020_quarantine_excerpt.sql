-- A quarantined file's first bytes, escaped (Go-quoted: \x.. for bytes that are
-- not printable UTF-8), so an operator sees what the file holds (a gzip header,
-- UTF-16 text, binary) without opening it. NULL when the file could not be read.
ALTER TABLE ingest_quarantine ADD COLUMN excerpt VARCHAR;
