package ingest

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/marketplace-insights/insights/sql/duckstore"
)

// load reads one file into its dataset's table in one transaction. Any
// failure rolls all of it back.
//
// The usual way is one pass (loadDirect): read + convert + validate, in
// DuckDB, inserting every row straight into the table, the good ones once and
// the others as placeholders that give their ordinals and are deleted; then
// the publisher check, the in-file duplicate keys and the replacement of the
// earlier rows, on the file's rows in the table. writeRejects finds the
// rejected records in the file by their ordinals. A file that repeats a
// natural key (rare: a re-delivery replaces across files) is taken back and
// loaded through a stage instead (loadStaged), which knows the file order
// that decides which of the repeated rows wins; so is a file of a row group
// or more records, from the start (see rowGroupRows).
func (l *Loader) load(ctx context.Context, info *fileInfo, m *Mapping, sum string, seen *seenRecord, pathPartner string, res *FileResult) error {
	path := info.recordedPath()
	steps := &stepTimer{last: time.Now(), hook: l.afterStep}
	defer func() { l.log.Debug("ingest steps", append([]any{"path", info.path}, steps.log...)...) }()
	err := l.store.Tx(ctx, func(ctx context.Context, tx *duckstore.Tx) error {
		// Timestamps with an offset are converted to UTC through TIMESTAMPTZ,
		// which uses the connection's time zone.
		if _, err := tx.Exec(ctx, `SET TimeZone = 'UTC'`); err != nil {
			return err
		}
		var fid int64
		if err := tx.QueryRow(ctx, `SELECT nextval('ingest_file_id_seq')`).Scan(&fid); err != nil {
			return fmt.Errorf("next file id: %w", err)
		}
		pub, err := l.publisher(ctx, tx, info.path, m, pathPartner)
		if err != nil {
			return err
		}
		var c loadCounts
		if most, _ := recordsExpected(info); most >= rowGroupRows {
			l.log.Debug("a file of a row group or more: loading it through a stage", "path", info.path, "records", most)
			c, err = l.loadStaged(ctx, tx, info, m, fid, pub, steps)
		} else {
			c, err = l.loadDirect(ctx, tx, info, m, fid, pub, steps)
			if errors.Is(err, errInFileDuplicates) {
				l.log.Debug("the file repeats natural keys: loading it through a stage", "path", info.path)
				c, err = l.loadStaged(ctx, tx, info, m, fid, pub, steps)
			}
		}
		if err != nil {
			return err
		}
		rejected, err := l.writeRejects(ctx, tx, info, m, fid, path, c)
		if err != nil {
			return fmt.Errorf("record rejects: %w", err)
		}
		if err := steps.done("rejects"); err != nil {
			return err
		}
		if err := checkRecordCount(info, c.loaded+rejected); err != nil {
			return err
		}
		reasons, err := rejectReasons(ctx, tx, m.Dataset.Name, fid)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO ingest_files VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			fid, sum, path, m.Dataset.Name, string(info.format), res.Bytes, c.loaded, rejected, c.replaced, l.now()); err != nil {
			return fmt.Errorf("record in ledger: %w", err)
		}
		// With the ledger row, in its transaction: an entry of ingest_seen
		// never stands for a load that was rolled back.
		if err := recordSeen(ctx, tx, seen); err != nil {
			return err
		}
		if err := dropTemp(ctx, tx); err != nil {
			return err
		}
		if err := steps.done("ledger"); err != nil {
			return err
		}
		res.FileID, res.Loaded, res.Rejected, res.Replaced, res.Rejects = fid, c.loaded, rejected, c.replaced, reasons
		return nil
	})
	steps.record("commit")
	return err
}

// rowGroupRows is DuckDB's row group size. A transaction that appends at
// least that many rows to a table (or appends to an empty one) keeps at
// commit the row groups its insert wrote, unless it deleted any row it had
// appended: then the rows are appended again. The one-pass load deletes its
// placeholders, so a file of that many records goes through the stage,
// whose insert into the table deletes nothing (measured at scale 30: the
// one-pass load cost 2.2 times DuckDB's own load there, the stage 1.5).
const rowGroupRows = 122880

// loadCounts is what loading a file's rows did: rows loaded, earlier rows
// replaced, and where the file's rejected rows are: ord is the stage table's
// column (or expression) giving each one's ordinal among the records DuckDB
// read; ordPlaceholders when there is no stage, only the ordinals (ords) of
// the rows the one-pass load did not load; "" when the file has no rejected
// rows beyond the reader's own.
type loadCounts struct {
	loaded, replaced int64
	ord              string
	// ords are the ordinals of the rows the one-pass load did not load
	// (ord is ordPlaceholders).
	ords []int64
}

// errInFileDuplicates: the file's good rows repeat a natural key, and only
// the staged load knows which of them comes last in the file.
var errInFileDuplicates = errors.New("the file repeats natural keys")

// loadDirect is the one-pass load (see load). On errInFileDuplicates it has
// taken back what it inserted.
func (l *Loader) loadDirect(ctx context.Context, tx *duckstore.Tx, info *fileInfo, m *Mapping, fid int64, pub pubSource, steps *stepTimer) (loadCounts, error) {
	var c loadCounts
	t := duckstore.Ident(m.Dataset.Name)
	n, err := tx.Exec(ctx, directInsertSQL(info, m, fid))
	if err != nil {
		return c, &readError{cleanDuckError(err)}
	}
	if c.ords, err = placeholders(ctx, tx, t, fid); err != nil {
		return c, err
	}
	if len(c.ords) > 0 {
		c.ord = ordPlaceholders
	}
	others, err := tx.Exec(ctx, fmt.Sprintf(`DELETE FROM %s WHERE _file_id IN (%d, %d)`, t, -fid, blankID(fid)))
	if err != nil {
		return c, fmt.Errorf("delete the placeholders of rejected rows: %w", err)
	}
	c.loaded = n - others
	ofFile := fmt.Sprintf("%s WHERE _file_id = %d", t, fid)
	if err := checkPublisher(ctx, tx, m, pub, ofFile); err != nil {
		return c, err
	}
	if err := steps.done("insert"); err != nil {
		return c, err
	}
	var dups int64
	if err := tx.QueryRow(ctx, hasDuplicateKeysSQL(m, ofFile)).Scan(&dups); err != nil {
		return c, fmt.Errorf("find duplicate keys: %w", err)
	}
	if dups > 0 {
		if _, err := tx.Exec(ctx, fmt.Sprintf(`DELETE FROM %s WHERE _file_id = %d`, t, fid)); err != nil {
			return c, fmt.Errorf("take back the rows of a file that repeats keys: %w", err)
		}
		if err := dropTemp(ctx, tx); err != nil {
			return c, err
		}
		return c, errInFileDuplicates
	}
	if err := steps.done("duplicates"); err != nil {
		return c, err
	}
	if c.replaced, err = tx.Exec(ctx, deleteReplacedSQL(m, fmt.Sprintf(`(SELECT %s FROM %s)`, keyList(m), ofFile), fid)); err != nil {
		return c, fmt.Errorf("replace earlier rows: %w", err)
	}
	if err := steps.done("replace"); err != nil {
		return c, err
	}
	return c, nil
}

// blankID is the _file_id of the placeholders of file fid's blank JSON
// lines (rows that are no record, neither loaded nor rejected): a negative
// id no other file's rows or placeholders have.
func blankID(fid int64) int64 { return -fid - 1<<40 }

// placeholders returns the ordinals in the file of the placeholder rows of
// file fid (see directInsertSQL): their row ids less the first row id of the
// file's rows.
func placeholders(ctx context.Context, tx *duckstore.Tx, table string, fid int64) ([]int64, error) {
	rows, err := tx.Query(ctx, fmt.Sprintf(`SELECT rowid - (SELECT min(rowid) FROM %[1]s WHERE _file_id IN (%[2]d, %[3]d, %[4]d)) FROM %[1]s WHERE _file_id = %[3]d ORDER BY rowid`,
		table, fid, -fid, blankID(fid)))
	if err != nil {
		return nil, fmt.Errorf("find rejected rows: %w", err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var o int64
		if err := rows.Scan(&o); err != nil {
			return nil, fmt.Errorf("find rejected rows: %w", err)
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// loadStaged loads through a stage table: read + convert + validate into the
// stage, reject in-file duplicate keys (all but the last of each), delete
// the rows the file's keys replace, insert the good rows.
func (l *Loader) loadStaged(ctx context.Context, tx *duckstore.Tx, info *fileInfo, m *Mapping, fid int64, pub pubSource, steps *stepTimer) (loadCounts, error) {
	c := loadCounts{ord: ordColumn(info)}
	if _, err := tx.Exec(ctx, stageSQL(info, m)); err != nil {
		return c, &readError{cleanDuckError(err)}
	}
	good := duckstore.Ident(stageTable) + " WHERE _err IS NULL"
	if err := checkPublisher(ctx, tx, m, pub, good); err != nil {
		return c, err
	}
	if err := steps.done("stage"); err != nil {
		return c, err
	}
	var dups int64
	if err := tx.QueryRow(ctx, hasDuplicateKeysSQL(m, good)).Scan(&dups); err != nil {
		return c, fmt.Errorf("find duplicate keys: %w", err)
	}
	if dups > 0 {
		if _, err := tx.Exec(ctx, duplicateKeysSQL(info, m)); err != nil {
			return c, fmt.Errorf("mark duplicate keys: %w", err)
		}
	}
	if err := steps.done("duplicates"); err != nil {
		return c, err
	}
	var err error
	if c.replaced, err = tx.Exec(ctx, deleteReplacedSQL(m, fmt.Sprintf(`(SELECT %s FROM %s)`, keyList(m), good), -1)); err != nil {
		return c, fmt.Errorf("replace earlier rows: %w", err)
	}
	if err := steps.done("replace"); err != nil {
		return c, err
	}
	if c.loaded, err = tx.Exec(ctx, insertSQL(m, fid)); err != nil {
		return c, fmt.Errorf("insert into %s: %w", m.Dataset.Name, err)
	}
	if err := steps.done("insert"); err != nil {
		return c, err
	}
	return c, nil
}

// stepTimer times the steps of a file's load for the debug log, and runs the
// test hook after each.
type stepTimer struct {
	last time.Time
	log  []any
	hook func(step string) error
}

// done ends a step inside the transaction; an error (from the hook) aborts it.
func (s *stepTimer) done(step string) error {
	s.record(step)
	if s.hook != nil {
		return s.hook(step)
	}
	return nil
}

func (s *stepTimer) record(step string) {
	now := time.Now()
	s.log = append(s.log, step, now.Sub(s.last).Round(time.Millisecond))
	s.last = now
}

func dropTemp(ctx context.Context, tx *duckstore.Tx) error {
	for _, t := range []string{stageTable, rejectsTable, rejectScanTable} {
		if _, err := tx.Exec(ctx, "DROP TABLE IF EXISTS temp.main."+duckstore.Ident(t)); err != nil {
			return fmt.Errorf("drop %s: %w", t, err)
		}
	}
	return nil
}

// ordColumn is the stage column that orders rows as the file does.
func ordColumn(f *fileInfo) string {
	if f.format == FormatParquet {
		return "_ord"
	}
	return "rowid"
}

// hasDuplicateKeysSQL counts the keys that more than one good row of the
// file carries (rows: a relation and its condition, "t WHERE …"): a cheap
// aggregate that usually finds none, sparing the window of duplicateKeysSQL.
func hasDuplicateKeysSQL(m *Mapping, rows string) string {
	return fmt.Sprintf(`SELECT count(*) FROM (SELECT 1 FROM %s GROUP BY %s HAVING count(*) > 1)`, rows, keyList(m))
}

// keyList is the file's natural key columns, quoted, comma-separated.
func keyList(m *Mapping) string {
	keys := make([]string, len(m.Key()))
	for i, k := range m.Key() {
		keys[i] = duckstore.Ident(k)
	}
	return strings.Join(keys, ", ")
}

// duplicateKeysSQL rejects every good row whose natural key appears again
// further down the same file: the last one wins, as it would across files.
func duplicateKeysSQL(f *fileInfo, m *Mapping) string {
	d := m.Dataset
	keys := make([]string, len(m.Key()))
	exports := make([]string, len(m.Key()))
	for i, k := range m.Key() {
		keys[i] = duckstore.Ident(k)
		c, _ := d.Column(k)
		exports[i] = c.Export
	}
	reason := errSep + "duplicate key: a later row of this file has the same " + strings.Join(exports, ", ")
	ord := ordColumn(f)
	// The raw text of delimited and JSON lines rejects is read back from the
	// file; a Parquet row is shown as JSON, here of its loaded values.
	raw := ""
	if f.format == FormatParquet {
		var cols []string
		for i, c := range d.Columns {
			if m.Source[i] >= 0 {
				cols = append(cols, fmt.Sprintf("%[1]s := %[1]s", duckstore.Ident(c.Name)))
			}
		}
		raw = fmt.Sprintf(", _raw = CAST(to_json(struct_pack(%s)) AS VARCHAR)", strings.Join(cols, ", "))
	}
	return fmt.Sprintf(`UPDATE %[1]s SET _err = %[2]s%[5]s WHERE _err IS NULL AND %[3]s IN (
  SELECT o FROM (SELECT %[3]s AS o, row_number() OVER (PARTITION BY %[4]s ORDER BY %[3]s DESC) AS n
                 FROM %[1]s WHERE _err IS NULL) WHERE n > 1)`,
		duckstore.Ident(stageTable), duckstore.Literal(reason), ord, strings.Join(keys, ", "), raw)
}

// deleteReplacedSQL deletes the rows of the table whose natural key a good
// row of the file carries (keys: a relation of the file's keys): a corrected
// re-delivery replaces, never doubles. fid >= 0: the file's own rows are in
// the table already, as file fid, and stay.
func deleteReplacedSQL(m *Mapping, keys string, fid int64) string {
	d := m.Dataset
	t := duckstore.Ident(d.Name)
	conds := make([]string, len(m.Key()))
	for i, k := range m.Key() {
		// Plain equality where the key column is never NULL: it lets DuckDB
		// push the file's key range into the table scan and skip row groups
		// by their min/max, which IS NOT DISTINCT FROM does not.
		op := "="
		if c, _ := d.Column(k); !c.Required && c.Default == "" {
			op = "IS NOT DISTINCT FROM"
		}
		conds[i] = fmt.Sprintf("s.%[1]s %[3]s %[2]s.%[1]s", duckstore.Ident(k), t, op)
	}
	if fid >= 0 {
		conds = append(conds, fmt.Sprintf("%s._file_id <> %d", t, fid))
	}
	// USING (a join on the file's keys, which are unique after the
	// duplicates step) rather than a correlated EXISTS, which DuckDB plans as
	// a grouping of the whole table.
	return fmt.Sprintf(`DELETE FROM %s USING %s AS s WHERE %s`, t, keys, strings.Join(conds, " AND "))
}

// insertSQL inserts the stage's good rows as file fid.
func insertSQL(m *Mapping, fid int64) string {
	cols := filledColumns(m)
	return fmt.Sprintf(`INSERT INTO %s (%s, _file_id) SELECT %s, %d FROM %s WHERE _err IS NULL`,
		duckstore.Ident(m.Dataset.Name), strings.Join(cols, ", "), strings.Join(cols, ", "), fid, duckstore.Ident(stageTable))
}

// rejectReasons counts the file's rejects per column and kind of reason (the
// reason without the quoted value).
func rejectReasons(ctx context.Context, tx *duckstore.Tx, dataset string, fid int64) ([]ReasonCount, error) {
	rows, err := tx.Query(ctx, `SELECT coalesce(column_name, ''), split_part(reason, ': "', 1) AS kind, count(*)
		FROM ingest_rejects WHERE file_id = ? GROUP BY ALL ORDER BY 3 DESC, 1, 2`, fid)
	if err != nil {
		return nil, fmt.Errorf("count rejects: %w", err)
	}
	defer rows.Close()
	var out []ReasonCount
	for rows.Next() {
		rc := ReasonCount{Dataset: dataset}
		if err := rows.Scan(&rc.Column, &rc.Reason, &rc.Count); err != nil {
			return nil, fmt.Errorf("count rejects: %w", err)
		}
		out = append(out, rc)
	}
	return out, rows.Err()
}

// appendRejects writes reject rows through the appender.
func appendRejects(ctx context.Context, tx *duckstore.Tx, fid int64, path, dataset string, rs []rejectRow) error {
	if len(rs) == 0 {
		return nil
	}
	return tx.Append(ctx, "ingest_rejects", func(add func(values ...driver.Value) error) error {
		for _, r := range rs {
			var line, col any
			if r.line > 0 {
				line = r.line
			}
			if r.column != "" {
				col = r.column
			}
			if err := add(fid, path, dataset, line, col, r.reason, r.raw); err != nil {
				return err
			}
		}
		return nil
	})
}
