package ingest

import (
	"context"
	"database/sql/driver"
	"fmt"
	"strings"
	"time"

	"github.com/marketplace-insights/insights/sql/duckstore"
)

// load reads one file into its dataset's table in one transaction: stage
// (read + convert + validate, in DuckDB), reject in-file duplicate keys,
// delete the rows the file's keys replace, insert the good rows, record the
// rejects and the ledger row. Any failure rolls all of it back.
func (l *Loader) load(ctx context.Context, info *fileInfo, m *Mapping, sum, pathPartner string, res *FileResult) error {
	d := m.Dataset
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
		if _, err := tx.Exec(ctx, stageSQL(info, m)); err != nil {
			return &readError{cleanDuckError(err)}
		}
		if err := checkPublisher(ctx, tx, m, pub); err != nil {
			return err
		}
		if err := steps.done("stage"); err != nil {
			return err
		}
		var dups int64
		if err := tx.QueryRow(ctx, hasDuplicateKeysSQL(m)).Scan(&dups); err != nil {
			return fmt.Errorf("find duplicate keys: %w", err)
		}
		if dups > 0 {
			if _, err := tx.Exec(ctx, duplicateKeysSQL(info, m)); err != nil {
				return fmt.Errorf("mark duplicate keys: %w", err)
			}
		}
		if err := steps.done("duplicates"); err != nil {
			return err
		}
		replaced, err := tx.Exec(ctx, deleteReplacedSQL(m))
		if err != nil {
			return fmt.Errorf("replace earlier rows: %w", err)
		}
		if err := steps.done("replace"); err != nil {
			return err
		}
		loaded, err := tx.Exec(ctx, insertSQL(m, fid))
		if err != nil {
			return fmt.Errorf("insert into %s: %w", d.Name, err)
		}
		if err := steps.done("insert"); err != nil {
			return err
		}
		rejected, err := l.writeRejects(ctx, tx, info, m, fid, path)
		if err != nil {
			return fmt.Errorf("record rejects: %w", err)
		}
		if err := steps.done("rejects"); err != nil {
			return err
		}
		if err := checkRecordCount(info, loaded+rejected); err != nil {
			return err
		}
		reasons, err := rejectReasons(ctx, tx, d.Name, fid)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO ingest_files VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			fid, sum, path, d.Name, string(info.format), res.Bytes, loaded, rejected, replaced, l.now()); err != nil {
			return fmt.Errorf("record in ledger: %w", err)
		}
		if err := dropTemp(ctx, tx); err != nil {
			return err
		}
		if err := steps.done("ledger"); err != nil {
			return err
		}
		res.FileID, res.Loaded, res.Rejected, res.Replaced, res.Rejects = fid, loaded, rejected, replaced, reasons
		return nil
	})
	steps.record("commit")
	return err
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
// file carries: a cheap aggregate that usually finds none, sparing the window
// of duplicateKeysSQL.
func hasDuplicateKeysSQL(m *Mapping) string {
	keys := make([]string, len(m.Key()))
	for i, k := range m.Key() {
		keys[i] = duckstore.Ident(k)
	}
	return fmt.Sprintf(`SELECT count(*) FROM (SELECT 1 FROM %s WHERE _err IS NULL GROUP BY %s HAVING count(*) > 1)`,
		duckstore.Ident(stageTable), strings.Join(keys, ", "))
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
// row of the file carries: a corrected re-delivery replaces, never doubles.
func deleteReplacedSQL(m *Mapping) string {
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
	// USING (a join on the file's keys, which are unique after the
	// duplicates step) rather than a correlated EXISTS, which DuckDB plans as
	// a grouping of the whole table.
	keys := make([]string, len(m.Key()))
	for i, k := range m.Key() {
		keys[i] = duckstore.Ident(k)
	}
	return fmt.Sprintf(`DELETE FROM %s USING (SELECT %s FROM %s WHERE _err IS NULL) AS s WHERE %s`,
		t, strings.Join(keys, ", "), duckstore.Ident(stageTable), strings.Join(conds, " AND "))
}

func insertSQL(m *Mapping, fid int64) string {
	var cols []string
	for i, c := range m.Dataset.Columns {
		if m.filled(i) {
			cols = append(cols, duckstore.Ident(c.Name))
		}
	}
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
