// Package ingest loads landing files (CSV, TSV, JSON lines, Parquet) into the
// raw tables: it detects each file's dataset from its header, validates every
// row, loads the good ones and keeps the bad ones (with file, line, column,
// reason and raw text) in ingest_rejects, all in one transaction per file.
// A ledger keyed by the file's SHA-256 makes re-ingesting a file a no-op, and
// natural keys make a corrected re-delivery replace the rows it corrects; a
// file whose path, size and modification time are those ingest saw when it
// last hashed it is skipped without being read (seen.go).
//
// DuckDB does the parsing and the validation (the SQL is generated from the
// dataset list in schema.go) and inserts each row once, straight from the
// file into its table (load.go); Go only reads headers, hashes files, and,
// when a file has rejects, scans it once more to find their lines and raw
// text, which DuckDB then reads again, those records alone, for the reasons.
package ingest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/marketplace-insights/insights/sql/duckstore"
)

// Options configure a Loader.
type Options struct {
	// Dataset forces every file to load as this dataset; "" detects it per file.
	Dataset string
	// Partner is the publisher of files that name none, when their landing
	// path does not tell it (ingest --partner).
	Partner string
	// LandingDir is the landing folder (config ingest.landing). A file named
	// directly that lies in it is treated as a file found in it: its
	// publisher can come from its path, and quarantine moves it. A file from
	// anywhere else is copied to quarantine and left where it was.
	LandingDir string
	// QuarantineDir receives files that cannot be read at all. "" leaves
	// them in place (they are still recorded in ingest_quarantine).
	QuarantineDir string
	// Progress, when set, shows a progress bar there (a terminal). A
	// *Terminal also keeps log lines written to it above the bar.
	Progress io.Writer
	// CheckpointThreshold is DuckDB's checkpoint_threshold while the run
	// lasts ("" means DefaultCheckpointThreshold). DuckDB's own 16 MB
	// checkpoints after nearly every file, and each checkpoint rewrites the
	// table's last, partly filled row group: a bulk load appending to one
	// table pays that again and again.
	CheckpointThreshold string
	// Limits bound header width, value, row and file size; zero fields take
	// the defaults (DefaultLimits).
	Limits Limits
}

// DefaultCheckpointThreshold bounds the write-ahead log during a run.
const DefaultCheckpointThreshold = "256MB"

// Loader ingests files into one store.
type Loader struct {
	store *duckstore.Store
	log   *slog.Logger
	opts  Options
	now   func() time.Time
	// afterStep, when set (tests), runs after each step of a file's load;
	// an error aborts the load as a crash would.
	afterStep func(step string) error
}

// New returns a Loader. log may be nil.
func New(store *duckstore.Store, log *slog.Logger, opts Options) *Loader {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Loader{store: store, log: log, opts: opts, now: func() time.Time { return time.Now().UTC() }}
}

// Ingest loads every file named by paths (a folder means every supported
// file under it, hidden ones excepted, in sorted order). Files that cannot be
// read are quarantined and reported in the summary; the error is for
// problems that stop the whole run (a missing path, the database failing,
// cancellation).
func (l *Loader) Ingest(ctx context.Context, paths []string) (Summary, error) {
	var sum Summary
	if l.opts.Dataset != "" {
		if _, ok := DatasetByName(l.opts.Dataset); !ok {
			return sum, fmt.Errorf("ingest: unknown dataset %q (want one of %s)", l.opts.Dataset, strings.Join(DatasetNames(), ", "))
		}
	}
	files, err := l.collect(paths)
	if err != nil {
		return sum, err
	}
	// Before anything reads the files: an unchanged one is not even sniffed
	// for the order below, nor hashed ahead.
	if err := l.markUnchanged(ctx, files); err != nil {
		return sum, err
	}
	files = l.referenceFirst(ctx, files)
	restore, err := l.raiseCheckpointThreshold(ctx)
	if err != nil {
		return sum, err
	}
	defer restore()
	bar := newProgress(l.opts.Progress, files)
	defer bar.done()
	lim := l.opts.Limits.withDefaults()
	// The next file is hashed (and its lines counted) while DuckDB loads
	// this one: the pass over its bytes then costs no time of its own.
	var next *hashing
	defer func() {
		if next != nil {
			next.wait()
		}
	}()
	for i, f := range files {
		if err := ctx.Err(); err != nil {
			return sum, err
		}
		bar.start(f.path)
		pre := next
		next = nil
		if i+1 < len(files) {
			next = startHashing(files[i+1], lim)
		}
		res, err := l.ingestFile(ctx, f, pre)
		bar.finish(f.size)
		if err != nil {
			return sum, fmt.Errorf("ingest %s: %w", f.path, err)
		}
		sum.add(res)
	}
	return sum, nil
}

// raiseCheckpointThreshold sets the run's checkpoint threshold and returns
// the function that puts the previous one back.
func (l *Loader) raiseCheckpointThreshold(ctx context.Context) (func(), error) {
	want := l.opts.CheckpointThreshold
	if want == "" {
		want = DefaultCheckpointThreshold
	}
	var prev string
	if err := l.store.QueryRow(ctx, `SELECT current_setting('checkpoint_threshold')`).Scan(&prev); err != nil {
		return nil, fmt.Errorf("ingest: read checkpoint_threshold: %w", err)
	}
	if _, err := l.store.Exec(ctx, `SET checkpoint_threshold = `+duckstore.Literal(want)); err != nil {
		return nil, fmt.Errorf("ingest: checkpoint threshold %q: %w", want, err)
	}
	return func() {
		if _, err := l.store.Exec(context.WithoutCancel(ctx), `SET checkpoint_threshold = `+duckstore.Literal(prev)); err != nil {
			l.log.Warn("could not restore checkpoint_threshold", "value", prev, "err", err)
		}
	}, nil
}

type foundFile struct {
	path  string
	size  int64
	modNs int64 // modification time, ns since the Unix epoch
	// root is the landing folder the file lies in ("" for a file from
	// elsewhere): a folder named on the command line, or LandingDir.
	root string
	// seenAs, when set, is the ledger's path of this file's content: the
	// file's path, size and modification time are those ingest_seen recorded
	// (markUnchanged), so it is skipped without being read.
	seenAs string
}

// collect expands paths into files: named files as they are, folders walked
// for supported extensions, skipping hidden entries and the quarantine folder.
func (l *Loader) collect(paths []string) ([]foundFile, error) {
	var out []foundFile
	quarantine := ""
	if l.opts.QuarantineDir != "" {
		quarantine, _ = filepath.Abs(l.opts.QuarantineDir)
	}
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("ingest: %w", err)
		}
		if !st.IsDir() {
			root := ""
			if l.opts.LandingDir != "" && within(l.opts.LandingDir, p) {
				root = l.opts.LandingDir
			}
			out = append(out, foundFile{path: p, size: st.Size(), modNs: st.ModTime().UnixNano(), root: root})
			continue
		}
		var found []foundFile
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if path == p {
				return nil
			}
			hidden := strings.HasPrefix(d.Name(), ".")
			ext := strings.ToLower(filepath.Ext(path))
			if d.IsDir() {
				abs, _ := filepath.Abs(path)
				switch {
				case quarantine != "" && abs == quarantine:
					l.log.Debug("skipping the quarantine folder", "path", path)
				case hidden:
					l.log.Info("skipping hidden folder", "path", path)
				case supportedExt[ext]:
					l.log.Warn("skipping a folder named like a data file: nothing in it is read (move its files out, or rename it)", "path", path)
				default:
					return nil
				}
				return filepath.SkipDir
			}
			switch t := d.Type(); {
			case hidden:
				l.log.Info("skipping hidden file", "path", path)
				return nil
			case t&fs.ModeSymlink != 0:
				l.log.Warn("skipping a symbolic link: links in a folder are not followed (name its target on the command line to read it)", "path", path)
				return nil
			case !t.IsRegular():
				l.log.Warn("skipping an entry that is not a regular file", "path", path, "type", t.String())
				return nil
			}
			if !supportedExt[ext] {
				l.log.Info("skipping file of unsupported type", "path", path)
				return nil
			}
			info, err := d.Info()
			if err != nil {
				return err
			}
			found = append(found, foundFile{path: path, size: info.Size(), modNs: info.ModTime().UnixNano(), root: p})
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("ingest: %w", err)
		}
		sort.Slice(found, func(i, j int) bool { return found[i].path < found[j].path })
		out = append(out, found...)
	}
	return out, nil
}

// readError is a failure to read the file itself (as opposed to the
// database failing): the file is quarantined and the run goes on.
type readError struct{ err error }

func (e *readError) Error() string { return e.err.Error() }
func (e *readError) Unwrap() error { return e.err }

// ingestFile loads one file. The error is fatal for the run; file problems
// come back as a quarantined FileResult.
func (l *Loader) ingestFile(ctx context.Context, f foundFile, pre *hashing) (FileResult, error) {
	start := time.Now()
	lim := l.opts.Limits.withDefaults()
	path := f.path
	res := FileResult{Path: path}
	owned := f.root != "" // quarantine moves a landing file, copies any other
	st, err := os.Stat(path)
	if err != nil {
		return l.quarantine(ctx, res, "", err, owned)
	}
	res.Bytes = st.Size()
	if st.Size() == 0 {
		res.Status, res.Note = StatusEmpty, "0 bytes, nothing to load"
		l.log.Info("empty file", "path", path)
		return res, nil
	}
	if st.Size() > lim.MaxFileBytes {
		return l.quarantine(ctx, res, "", badFilef("the file is %d bytes, over the %s limit (ingest.max_file_bytes)", st.Size(), byteSize(lim.MaxFileBytes)), owned)
	}
	// Stat data checked again here: the file may have changed since the run
	// began (then it is hashed, as any changed file).
	if stillUnchanged(f, st) {
		res.Status, res.Note = StatusSkipped, "already ingested as "+f.seenAs
		l.log.Debug("not read: path, size and modification time unchanged since it was hashed", "path", path)
		l.log.Info("already ingested", "path", path, "as", f.seenAs)
		return res, nil
	}
	sum, stats, hashStart, err := pre.result(path, lim.MaxRowBytes, st)
	if err != nil {
		return l.quarantine(ctx, res, "", err, owned)
	}
	l.log.Debug("hashed", "path", path, "duration", time.Since(start).Round(time.Millisecond))
	// What to remember of the file once its hash is in the ledger, so that
	// the next run need not read it (the hash hit below: a copy of a file
	// ingested under another name, or one ingested before ingest_seen).
	seen := seenAfterHash(path, st, sum, hashStart)
	var prev string
	err = l.store.QueryRow(ctx, `SELECT path FROM ingest_files WHERE sha256 = ?`, sum).Scan(&prev)
	switch {
	case err == nil:
		if err := recordSeen(ctx, l.store, seen); err != nil {
			return res, err
		}
		res.Status, res.Note = StatusSkipped, "already ingested as "+prev
		l.log.Info("already ingested", "path", path, "as", prev)
		return res, nil
	case !errors.Is(err, sql.ErrNoRows):
		return res, fmt.Errorf("read ledger: %w", err)
	}

	var tmp string // a folder for copies of the file, made when needed
	defer func() {
		if tmp != "" {
			_ = os.RemoveAll(tmp)
		}
	}()
	tempCopy := func(name string) (string, error) {
		if tmp == "" {
			if tmp, err = os.MkdirTemp("", "insights-ingest-"); err != nil {
				return "", err
			}
		}
		return filepath.Join(tmp, name), nil
	}
	info, err := sniff(path, lim)
	if err != nil {
		return l.quarantine(ctx, res, sum, err, owned)
	}
	if info.crOnly {
		// Lines ending with a bare CR (classic Mac OS) are read as lines: a
		// copy with LF line ends is what DuckDB and the reject scan read.
		l.log.Info("reading a file whose lines end with a bare CR (carriage return)", "path", path)
		cp, err := tempCopy(filepath.Base(path))
		if err == nil {
			err = translateCR(path, cp)
		}
		if err != nil {
			return res, fmt.Errorf("copy with LF line ends: %w", err)
		}
		if info, err = sniff(cp, lim); err != nil {
			return l.quarantine(ctx, res, sum, err, owned)
		}
		if info.crOnly {
			return l.quarantine(ctx, res, sum, badFilef("line ends could not be read"), owned)
		}
		if stats, err = countLines(cp, lim.MaxRowBytes); err != nil {
			return res, fmt.Errorf("count lines: %w", err)
		}
	}
	info.origin, info.maxRow, info.maxField = path, lim.MaxRowBytes, lim.MaxFieldBytes
	res.Format = string(info.format)
	if info.format == FormatParquet {
		if info.header, err = l.parquetColumns(ctx, path); err != nil {
			return l.quarantine(ctx, res, sum, err, owned)
		}
		if len(info.header) > lim.MaxColumns {
			return l.quarantine(ctx, res, sum, badFilef("the file has %d columns, over the limit of %d (ingest.max_columns)", len(info.header), lim.MaxColumns), owned)
		}
	} else {
		info.stats = &stats
	}
	m, err := Detect(info.header, l.opts.Dataset)
	if err != nil {
		return l.quarantine(ctx, res, sum, err, owned)
	}
	res.Dataset, res.Shape = m.Dataset.Name, m.Shape.Name
	if len(m.Ignored) > 0 {
		l.log.Warn("ignoring columns that belong to no "+m.Dataset.Name+" column", "path", path, "columns", shorten(strings.Join(m.Ignored, ", "), 2000))
	}
	if info.format != FormatJSONL {
		for i, alts := range m.Alternates {
			for _, j := range alts {
				l.log.Warn("ignoring a second column for the same "+m.Dataset.Name+" column", "path", path,
					"column", info.header[j], "same_as", info.header[m.Source[i]])
			}
		}
	}
	if info.stats != nil && info.stats.overLimit > 0 {
		// Rows over the limit are rejected here, and DuckDB reads a copy
		// without them: its reader drops a row longer than its buffer
		// without a word.
		cp, err := tempCopy("rows-" + filepath.Base(path))
		if err != nil {
			return res, fmt.Errorf("copy without long rows: %w", err)
		}
		if info.preRejects, err = dropLongRecords(info.path, cp, info, lim.MaxRowBytes); err != nil {
			return res, err
		}
		info.path = cp
		l.log.Warn("rejecting rows over the row limit", "path", path, "rows", len(info.preRejects), "limit", byteSize(lim.MaxRowBytes))
	}
	if err := l.load(ctx, info, m, sum, seen, partnerFromPath(f.root, path), &res); err != nil {
		var re *readError
		var bad *badFile
		var pe *publisherError
		switch {
		case ctx.Err() != nil:
		case errors.As(err, &bad):
			return l.quarantine(ctx, res, sum, bad, owned)
		case errors.As(err, &re) && isReadFailure(re.err):
			return l.quarantine(ctx, res, sum, re.err, owned)
		case errors.As(err, &pe):
			return l.quarantine(ctx, res, sum, pe, owned)
		}
		return res, err
	}
	res.Status = StatusLoaded
	switch {
	case res.Loaded == 0 && res.Rejected == 0 && info.format == FormatParquet:
		res.Note = "no rows"
	case res.Loaded == 0 && res.Rejected == 0:
		res.Note = "no rows (header only)"
	case res.Loaded == 0:
		res.Note = "every row rejected"
	}
	res.Duration = time.Since(start)
	l.log.Info("ingested", "path", path, "dataset", res.Dataset, "format", res.Format,
		"rows", res.Loaded, "rejected", res.Rejected, "replaced", res.Replaced, "duration", res.Duration.Round(time.Millisecond))
	return res, nil
}

// parquetColumns reads a Parquet file's column names (and fails on a file
// that is not Parquet or is truncated: the footer is at the end).
func (l *Loader) parquetColumns(ctx context.Context, path string) ([]string, error) {
	rows, err := l.store.Query(ctx, fmt.Sprintf(`SELECT column_name FROM (DESCRIBE SELECT * FROM read_parquet(%s))`, duckstore.Literal(path)))
	if err != nil {
		return nil, cleanDuckError(err)
	}
	defer rows.Close()
	var cols []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		cols = append(cols, c)
	}
	return cols, rows.Err()
}

// quarantine records a file that could not be loaded and moves it to the
// quarantine folder (owned: a file of the landing folder), or copies it there
// and leaves it in place (a file named from elsewhere is not ours to move).
func (l *Loader) quarantine(ctx context.Context, res FileResult, sum string, cause error, owned bool) (FileResult, error) {
	res.Status = StatusQuarantined
	res.Err = safeText(cleanDuckError(cause).Error())
	var ex any
	if e, ok := excerpt(res.Path); ok {
		ex = e
	}
	if l.opts.QuarantineDir != "" {
		to, err := toQuarantine(res.Path, l.opts.QuarantineDir, owned)
		switch {
		case err != nil:
			l.log.Error("could not put the file in quarantine", "path", res.Path, "err", err)
		default:
			res.QuarantinedTo = to
			res.Copied = !owned
		}
	}
	var movedTo, hash any
	if res.QuarantinedTo != "" {
		movedTo = strings.ToValidUTF8(res.QuarantinedTo, "\uFFFD")
	}
	if sum != "" {
		hash = sum
	}
	if _, err := l.store.Exec(ctx, `INSERT INTO ingest_quarantine (path, moved_to, sha256, error, quarantined_at, excerpt) VALUES (?, ?, ?, ?, ?, ?)`,
		strings.ToValidUTF8(absPath(res.Path), "\uFFFD"), movedTo, hash, res.Err, l.now(), ex); err != nil {
		return res, fmt.Errorf("record quarantine: %w", err)
	}
	if res.Copied {
		l.log.Warn("quarantined a copy (the file stays where it is)", "path", res.Path, "copied_to", res.QuarantinedTo, "err", res.Err)
	} else {
		l.log.Warn("quarantined", "path", res.Path, "moved_to", res.QuarantinedTo, "err", res.Err)
	}
	return res, nil
}

// toQuarantine moves (or, move unset, copies) path into dir, never
// overwriting: a name already taken gets a numeric suffix.
func toQuarantine(path, dir string, move bool) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	base := filepath.Base(path)
	ext := filepath.Ext(base)
	stem := strings.TrimSuffix(base, ext)
	for i := 0; i < 10000; i++ {
		name := base
		if i > 0 {
			name = fmt.Sprintf("%s.%d%s", stem, i, ext)
		}
		to := filepath.Join(dir, name)
		if _, err := os.Lstat(to); err == nil {
			continue
		}
		if !move {
			return to, copyFile(path, to)
		}
		if err := os.Rename(path, to); err != nil {
			var le *os.LinkError
			if errors.As(err, &le) {
				if cerr := copyFile(path, to); cerr != nil {
					return "", cerr
				}
				return to, os.Remove(path)
			}
			return "", err
		}
		return to, nil
	}
	return "", fmt.Errorf("quarantine %s: no free name in %s", path, dir)
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

func absPath(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}

// isReadFailure tells DuckDB's errors about the file (it cannot be opened,
// is not valid Parquet, breaks the CSV reader) from errors in our own SQL or
// the database, which must stop the run rather than quarantine a good file.
func isReadFailure(err error) bool {
	msg := err.Error()
	return strings.HasPrefix(msg, "Invalid Input Error") || strings.HasPrefix(msg, "IO Error")
}

// cleanDuckError keeps the first line of DuckDB's multi-line messages (the
// rest is a list of reader options and possible fixes).
func cleanDuckError(err error) error {
	msg := err.Error()
	first, _, multi := strings.Cut(msg, "\n")
	if !multi {
		return err
	}
	if strings.Contains(msg, "state machine reached an invalid state") {
		return errors.New(first + " (mixed line endings, or a carriage return inside an unquoted value)")
	}
	return errors.New(strings.TrimSpace(first))
}
