package ingest

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"time"
	"unicode/utf8"

	"github.com/marketplace-insights/insights/sql/duckstore"
)

// A landing folder keeps every earlier delivery, and a run used to hash all
// of them to look each up in the ledger: at scale 100, 6.7 GB read to load
// one new file. ingest_seen remembers each file's path, size and
// modification time when ingest hashed it and found (or put) its hash in the
// ledger; a file whose stat data are still those is skipped without being
// read, as make and git's index trust the file system. The cost: a file
// rewritten in place to the same size and the same modification time is not
// noticed (see sql/schema/0160_ingest_seen.sql).

// settleTime is how long before its hash began a file must have been last
// modified for ingest to record it in ingest_seen. File systems stamp times
// from a clock that ticks coarsely (a jiffy on Linux, 2 s on FAT, another
// host's clock over a network share): a file written again within the tick in
// which it was hashed could keep its time and size with new bytes. A file
// that fresh is hashed again by the next run, which then records it (git's
// index treats such "racy" entries the same way).
const settleTime = 2 * time.Second

// markUnchanged sets seenAs on each file whose path, size and modification
// time are those ingest_seen recorded for it with a hash the ledger still
// holds: such a file is neither sniffed, nor hashed ahead, nor read by
// ingestFile, which only checks its stat data once more.
func (l *Loader) markUnchanged(ctx context.Context, files []foundFile) error {
	var paths []string
	byPath := make(map[string][]int, len(files))
	for i, f := range files {
		p := absPath(f.path)
		if !utf8.ValidString(p) {
			continue // never recorded (see seenAfterHash)
		}
		if byPath[p] == nil {
			paths = append(paths, p)
		}
		byPath[p] = append(byPath[p], i)
	}
	if len(paths) == 0 {
		return nil
	}
	err := duckstore.QueryNamed(ctx, l.store, "ingest/seen_unchanged", func(rows *sql.Rows) error {
		var path, as string
		var size, modNs int64
		if err := rows.Scan(&path, &size, &modNs, &as); err != nil {
			return err
		}
		for _, i := range byPath[path] {
			if f := &files[i]; f.size == size && f.modNs == modNs {
				f.seenAs = as
			}
		}
		return nil
	}, paths)
	if err != nil {
		return fmt.Errorf("ingest: look up files seen before: %w", err)
	}
	return nil
}

// stillUnchanged tells whether a file marked unchanged at the start of the
// run is so still, now that it is its turn (st: its stat data now).
func stillUnchanged(f foundFile, st os.FileInfo) bool {
	return f.seenAs != "" && st.Size() == f.size && st.ModTime().UnixNano() == f.modNs
}

// seenRecord is a row of ingest_seen to write.
type seenRecord struct {
	path        string
	size, modNs int64
	sum         string
}

// seenAfterHash is the ingest_seen row of a file whose bytes, described by st
// before they were read, hashed to sum in a read that began at hashStart; nil
// when the file was modified too close to that read to be trusted later (see
// settleTime).
func seenAfterHash(path string, st os.FileInfo, sum string, hashStart time.Time) *seenRecord {
	abs := absPath(path)
	// A path that is not UTF-8 could only be stored altered, and two such
	// paths could then share a row: those files are hashed every time.
	if !st.ModTime().Before(hashStart.Add(-settleTime)) || !utf8.ValidString(abs) {
		return nil
	}
	return &seenRecord{path: abs, size: st.Size(), modNs: st.ModTime().UnixNano(), sum: sum}
}

// recordSeen writes r (nil: nothing) on q: the store after a hash hit, the
// file's load transaction after a load.
func recordSeen(ctx context.Context, q duckstore.Querier, r *seenRecord) error {
	if r == nil {
		return nil
	}
	if _, err := duckstore.ExecNamed(ctx, q, "ingest/seen_record", r.path, r.size, r.modNs, r.sum); err != nil {
		return fmt.Errorf("record what was seen of the file: %w", err)
	}
	return nil
}
