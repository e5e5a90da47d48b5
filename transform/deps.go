package transform

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strings"

	sqlfiles "github.com/marketplace-insights/insights/sql"
	"github.com/marketplace-insights/insights/sql/duckstore"
)

// What a step reads and writes, found in its SQL, so that an incremental run
// can skip a step none of whose inputs changed (as dbt's state:modified or a
// Dagster asset whose upstream did not materialise): its tables then hold what
// the last successful run wrote, which is what it would write again.
//
// The reading is deliberately generous. A step reads every relation whose name
// appears as a word in its SQL (comments and string literals removed), and,
// through them, whatever the views and macros of the schema migrations read:
// a word that is a column named like a table only makes the step run more
// often. A step runs in every run when
//   - it is a Go step (its reads are in code);
//   - its SQL reads the run variables (getvariable: the as-of date, the run id);
//   - it reads a relation that no step writes and no ingest dataset is (a table
//     that people change between runs, such as the review decisions);
//   - it hands a temp table to a later step.

var (
	lineComment = regexp.MustCompile(`--[^\n]*`)
	stringLit   = regexp.MustCompile(`'(?:[^']|'')*'`)
	word        = regexp.MustCompile(`[A-Za-z_][A-Za-z0-9_]*`)
	writeRe     = regexp.MustCompile(`(?i)\b(?:CREATE\s+(?:OR\s+REPLACE\s+)?(?:TEMP\s+|TEMPORARY\s+)?(?:TABLE|VIEW)(?:\s+IF\s+NOT\s+EXISTS)?|INSERT\s+(?:OR\s+REPLACE\s+)?INTO|DELETE\s+FROM|UPDATE|DROP\s+(?:TABLE|VIEW)(?:\s+IF\s+EXISTS)?)\s+(?:[A-Za-z_][A-Za-z0-9_]*\.)*([A-Za-z_][A-Za-z0-9_]*)`)
	tempRe      = regexp.MustCompile(`(?i)\bCREATE\s+(?:OR\s+REPLACE\s+)?TEMP(?:ORARY)?\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?([A-Za-z_][A-Za-z0-9_]*)`)
	schemaDefRe = regexp.MustCompile(`(?i)\bCREATE\s+(?:OR\s+REPLACE\s+)?(?:TEMP\s+)?(TABLE|VIEW|MACRO)\s+(?:IF\s+NOT\s+EXISTS\s+)?([A-Za-z_][A-Za-z0-9_]*)`)
)

// stripSQL removes comments and string literals.
func stripSQL(text string) string {
	return stringLit.ReplaceAllString(lineComment.ReplaceAllString(text, ""), "''")
}

// words is the set of lower-cased identifiers in SQL text.
func words(text string) map[string]bool {
	out := map[string]bool{}
	for _, w := range word.FindAllString(text, -1) {
		out[strings.ToLower(w)] = true
	}
	return out
}

// stepWrites are the relations a step's SQL creates, fills, empties or drops.
func stepWrites(text string) []string {
	seen := map[string]bool{}
	var out []string
	for _, m := range writeRe.FindAllStringSubmatch(stripSQL(text), -1) {
		name := strings.ToLower(m[1])
		if !seen[name] {
			seen[name] = true
			out = append(out, name)
		}
	}
	return out
}

// schemaRelations maps every table, view and macro the migrations create to
// the relations its definition reads (none for a table), and names the tables.
func schemaRelations() (reads map[string][]string, tables map[string]bool, err error) {
	migrations, err := sqlfiles.Migrations()
	if err != nil {
		return nil, nil, err
	}
	tables = map[string]bool{}
	defs := map[string]string{} // name → definition text (views and macros: every version)
	for _, m := range migrations {
		for _, stmt := range strings.Split(stripSQL(m.Text), ";") {
			d := schemaDefRe.FindStringSubmatch(stmt)
			if d == nil {
				continue
			}
			name := strings.ToLower(d[2])
			if !strings.EqualFold(d[1], "TABLE") {
				defs[name] += "\n" + stmt[len(d[0]):]
			} else {
				tables[name] = true
				if _, ok := defs[name]; !ok {
					defs[name] = ""
				}
			}
		}
	}
	out := make(map[string][]string, len(defs))
	for name, body := range defs {
		var reads []string
		for w := range words(body) {
			if _, ok := defs[w]; ok && w != name {
				reads = append(reads, w)
			}
		}
		sort.Strings(reads)
		out[name] = reads
	}
	return out, tables, nil
}

// stepDeps is what each step of a pipeline reads and writes.
type stepDeps struct {
	always bool     // runs in every run (see above)
	reads  []string // relations whose change makes it run
	writes []string
}

// dependencies works out stepDeps for every step. raw names the ingest
// datasets' tables. A relation read by a step counts as that step's input
// unless the step itself is its first writer; the relations behind a view or
// macro the step names count too.
func dependencies(steps []Step, raw []string) (map[string]stepDeps, error) {
	schema, schemaTables, err := schemaRelations()
	if err != nil {
		return nil, err
	}
	known := map[string]bool{}
	for name := range schema {
		known[name] = true
	}
	isRaw := map[string]bool{}
	for _, r := range raw {
		known[r], isRaw[r] = true, true
	}
	writer := map[string]string{} // relation → the first step that writes it
	for _, s := range steps {
		writes := lower(s.Writes)
		if s.Go == nil {
			writes = stepWrites(s.SQL)
		}
		for _, w := range writes {
			known[w] = true
			if _, ok := writer[w]; !ok {
				writer[w] = s.Name
			}
		}
	}
	// expand adds name and what it reads through views and macros.
	var expand func(name string, into map[string]bool)
	expand = func(name string, into map[string]bool) {
		if into[name] {
			return
		}
		into[name] = true
		for _, r := range schema[name] {
			expand(r, into)
		}
	}
	out := map[string]stepDeps{}
	for _, s := range steps {
		var d stepDeps
		var named []string
		if s.Go != nil {
			d = stepDeps{always: len(s.Reads) == 0, writes: lower(s.Writes)}
			named = lower(s.Reads)
		} else {
			// What the step reads to compute its tables is what its full
			// rendering reads: an incremental run gives the same rows (the
			// equality test holds it to that), and what its incremental part
			// reads more only decides which partitions to replace.
			full, err := render(s, false)
			if err != nil {
				return nil, err
			}
			text := stripSQL(full)
			d = stepDeps{writes: stepWrites(s.SQL), always: strings.Contains(strings.ToLower(text), "getvariable")}
			for w := range words(text) {
				if known[w] {
					named = append(named, w)
				}
			}
		}
		reads := map[string]bool{}
		for _, w := range named {
			if writer[w] != s.Name {
				expand(w, reads)
			}
		}
		delete(reads, "transform_scope") // the incremental mechanism: its contents follow the inputs
		for r := range reads {
			if writer[r] == s.Name {
				continue // read back what the step itself wrote (through a view)
			}
			d.reads = append(d.reads, r)
			_, fromStep := writer[r]
			if !fromStep && !isRaw[r] && schemaTables[r] {
				d.always = true // changed by people between runs: cannot tell
			}
		}
		sort.Strings(d.reads)
		out[s.Name] = d
	}
	// A temp table lives for one run: a step that hands one to a later step
	// (220 → 240: the months whose billed sales changed) runs whenever that
	// step may, that is in every run.
	for _, s := range steps {
		if s.Go != nil {
			continue
		}
		for _, m := range tempRe.FindAllStringSubmatch(stripSQL(s.SQL), -1) {
			temp := strings.ToLower(m[1])
			for _, later := range steps {
				if later.Name > s.Name && later.Go == nil && words(stripSQL(later.SQL))[temp] {
					d := out[s.Name]
					d.always = true
					out[s.Name] = d
				}
			}
		}
	}
	return out, nil
}

// skipper returns, for an incremental run, whether a step can be skipped:
// none of its inputs changed — neither an ingest dataset with changes (the
// plan's) nor a relation written by a step that runs before it in this run.
// The steps must be asked in order.
func skipper(ctx context.Context, tx *duckstore.Tx, steps []Step, changes []Change) (func(Step) bool, error) {
	raw, err := rawTables(ctx, tx)
	if err != nil {
		return nil, err
	}
	deps, err := dependencies(steps, raw)
	if err != nil {
		return nil, fmt.Errorf("transform dependencies: %w", err)
	}
	datasets := make([]string, len(changes))
	for i, c := range changes {
		datasets[i] = c.Dataset
	}
	return skipBy(deps, datasets), nil
}

// skipBy is skipper's decision for the given dependencies and changed
// datasets; a step that runs adds what it writes to what changed.
func skipBy(deps map[string]stepDeps, datasets []string) func(Step) bool {
	changed := map[string]bool{}
	for _, d := range datasets {
		changed[d] = true
	}
	return func(s Step) bool {
		d := deps[s.Name]
		run := d.always
		for _, r := range d.reads {
			run = run || changed[r]
		}
		if !run {
			return true
		}
		for _, w := range d.writes {
			changed[w] = true
		}
		return false
	}
}

func lower(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = strings.ToLower(n)
	}
	return out
}
