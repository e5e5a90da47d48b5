package reports

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math/big"
	"os"
	"path"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"github.com/marketplace-insights/insights/reports/render"
	sqlfiles "github.com/marketplace-insights/insights/sql"
	"github.com/marketplace-insights/insights/sql/duckstore"
)

// Keeping a partner's files: a day's batch renders only the partners whose
// files would show something new. Most days nothing in a partner's report
// window changes (a day of November does not move October's report), so
// its files for the new as-of date are the ones of the day before,
// hard-linked into the new folder and recorded for the new date with the
// same size and SHA-256; they still say the as-of and data-through dates
// their figures were computed at, which is true: the figures have not
// changed since (docs/reports.md).

// renderVersion changes when the renderers change what they write for the
// same rows, so that a new release renders every partner again. The build's
// VCS revision (when known) is part of the fingerprint too.
const renderVersion = "partner-files-2"

// fingerprint hashes everything that decides what a partner's files show,
// except what only says when they were computed (the as-of date, how far the
// data reaches, the run id and its time), which a kept file keeps from the
// run that rendered it: the partner (id, name, PGA, company), the period,
// the formats and limits, the workbook's language, the partner's own
// coverage problems for the period, the build, and each report's query,
// columns and rows (digests: their count and hash, in report order).
func (g *Generator) fingerprint(pt PartnerInfo, p Period, digests []string) string {
	h := sha256.New()
	part := func(kind, s string) { fmt.Fprintf(h, "%s %d\n%s\n", kind, len(s), s) }
	part("version", renderVersion)
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" || s.Key == "vcs.modified" {
				part(s.Key, s.Value)
			}
		}
	}
	part("build", g.opt.Build)
	part("partner", fmt.Sprintf("%q %q %q %q", pt.ID, pt.Name, pt.PGA, pt.Company))
	part("period", p.Label()+"\n"+p.Describe())
	part("options", fmt.Sprintf("%v %d", g.opt.Formats, g.opt.MaxRows))
	part("coverage", g.opt.Coverage.partnerProblems(p, pt.ID))
	// The language is an input of the workbook: a company that changes its
	// language gets its files rendered again (and --lang renders them).
	part("language", string(g.langFor(pt)))
	for i, r := range partnerCatalog {
		part("report", fmt.Sprintf("%s %+v", r.Name, r.Columns))
		part("rows", digests[i])
	}
	return hex.EncodeToString(h.Sum(nil))
}

// digests returns, for each partner of list (every partner of the run: one
// query per report for all of them), one digest per partner report (in
// catalog order) of the rows the report shows it for p: the count of
// the rows and the sum of their hashes, computed by the database over the
// report's own query, so that deciding whether a partner's files changed
// neither sorts nor fetches its rows (fetching the usage detail alone cost
// two thirds of the report queries at scale 30). The sum is a multiset hash:
// the rows' order is the query's total ORDER BY, decided by the rows
// themselves. The query's text is hashed too: a changed report query
// renders every partner again.
func (g *Generator) digests(ctx context.Context, list []PartnerInfo, p Period) (map[string][]string, error) {
	ids := make([]string, len(list))
	for i, pt := range list {
		ids[i] = pt.ID
	}
	out := make(map[string][]string, len(ids))
	for _, id := range ids {
		out[id] = make([]string, len(partnerCatalog))
	}
	args := p.args(ids[0], ids[len(ids)-1])
	for i, r := range partnerCatalog {
		t0 := time.Now()
		q, err := sqlfiles.Report(r.Name)
		if err != nil {
			return nil, err
		}
		sum := sha256.Sum256([]byte(q))
		for _, id := range ids {
			out[id][i] = hex.EncodeToString(sum[:8]) + " 0 0"
		}
		dq, err := digestQuery(r, q)
		if err != nil {
			return nil, err
		}
		rows, err := g.store.Query(ctx, dq, args...)
		if err != nil {
			return nil, fmt.Errorf("report %s: digest: %w", r.Name, err)
		}
		for rows.Next() {
			var id, h string
			var n int64
			if err := rows.Scan(&id, &n, &h); err != nil {
				rows.Close()
				return nil, fmt.Errorf("report %s: digest: %w", r.Name, err)
			}
			if d, ok := out[id]; ok {
				d[i] = fmt.Sprintf("%x %d %s", sum[:8], n, h)
			}
		}
		err = rows.Err()
		if cerr := rows.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return nil, fmt.Errorf("report %s: digest: %w", r.Name, err)
		}
		g.log.Debug("report digested", "report", r.Name, "partners", len(ids), "duration", time.Since(t0))
		g.addStats(func(s *Stats) { s.DigestTime += time.Since(t0) })
	}
	return out, nil
}

// digestQuery is the digest per partner of a partner report whose query is
// q (reporting_partner_digest.sql; the Summary's through
// reporting_partner_digest_summary.sql, which leaves the as-of date out of
// its tier note).
//
// The query's closing ORDER BY (at the start of a line, as in every report
// file) is left out: a sum does not depend on the order, and DuckDB does not
// drop a sort inside a subquery (sorting the usage detail was four fifths
// of its digest at scale 30). A query whose ORDER BY is followed by a LIMIT
// or OFFSET keeps it. TestDigestWithoutOrderBy checks the digests are the
// same with it.
func digestQuery(r Report, q string) (string, error) {
	q = strings.TrimRight(strings.TrimSpace(q), ";")
	if i := strings.LastIndex(q, "\nORDER BY "); i >= 0 {
		tail := strings.ToUpper(q[i:])
		if !strings.Contains(tail, "LIMIT") && !strings.Contains(tail, "OFFSET") && strings.Count(tail, "(") == strings.Count(tail, ")") {
			q = q[:i]
		}
	}
	wrap := func(name, q string) (string, error) {
		w, err := sqlfiles.Report(name)
		if err != nil {
			return "", err
		}
		if strings.Count(w, digestMarker) != 1 {
			return "", fmt.Errorf("%s: want one line %s", name, digestMarker)
		}
		return strings.Replace(w, digestMarker, q, 1), nil
	}
	if r.Name == "summary" {
		var err error
		if q, err = wrap("reporting_partner_digest_summary", q); err != nil {
			return "", err
		}
	}
	return wrap("reporting_partner_digest", q)
}

// digestMarker is the line of the digest queries where the report's query
// goes (on a line of its own: a comment on the query's last line then ends
// there).
const digestMarker = "\n--report--\n"

// partnerProblems is what the Metadata sheet's coverage line says of one
// partner's report of p ("" when nothing), without the global data-through
// date that the problems quote: a partner whose problem stays the same keeps
// its files as another day's data arrives.
func (c *Coverage) partnerProblems(p Period, partner string) string {
	if c == nil {
		return ""
	}
	k := *c
	k.Reports.DataThrough = time.Time{}
	return strings.Join(k.Problems(p, []string{partner}), "\n")
}

// action is what a run does with one partner's files.
type action int

const (
	actRender action = iota // render them from the report rows
	actKeep                 // the files of this as-of date are those of the same fingerprint
	actLink                 // link those of the latest earlier as-of date
	actLinked               // linked by the producer (linkGroup): files are the linked files
)

// plan is what a run does with one partner's files, decided before the
// report rows are queried.
type plan struct {
	action action
	fp     string   // the fingerprint of the partner's files now
	files  []File   // actKeep: the files kept; actLink: the earlier files to link, in paths' order; actLinked: the linked files
	paths  []string // actLink: where they go
}

// plans decides, for each partner of group, whether its files are kept,
// linked from an earlier as-of date or rendered (RenderAll: rendered). A
// partner whose files cannot be checked is rendered: rendering is always
// right.
func (g *Generator) plans(ctx context.Context, run Run, group []PartnerInfo, p Period, digests map[string][]string) ([]plan, error) {
	plans := make([]plan, len(group))
	for k, pt := range group {
		fp := g.fingerprint(pt, p, digests[pt.ID])
		plans[k] = plan{action: actRender, fp: fp}
		if g.opt.RenderAll {
			continue
		}
		base := File{PartnerID: pt.ID, Audience: Partner, AsOf: run.AsOf, Period: p.Label()}
		paths := g.partnerPaths(run, pt, p)
		kept, ok, err := g.keptFiles(ctx, base, paths, fp)
		if err == nil && ok {
			plans[k] = plan{action: actKeep, fp: fp, files: kept}
			continue
		}
		var from []File
		if err == nil {
			from, ok, err = g.earlierFiles(ctx, base, paths, fp)
		}
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			g.log.Warn("checking a partner's earlier files failed; rendering them", "partner", pt.ID, "err", err)
			continue
		}
		if ok {
			plans[k] = plan{action: actLink, fp: fp, files: from, paths: paths}
		}
	}
	return plans, nil
}

// keptFiles returns the files a partner keeps: those at paths (what write
// would write, in its order), recorded for its as-of date and period when
// they were rendered from the same fingerprint, and all still on disk as
// recorded. ok is false when the partner must be rendered (or linked).
func (g *Generator) keptFiles(ctx context.Context, base File, paths []string, fp string) (files []File, ok bool, err error) {
	var prev string
	err = duckstore.QueryRowNamed(ctx, g.store, "reports/reporting_partner_render", []any{base.PartnerID, base.AsOf, base.Period}, &prev)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && prev != fp) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	recorded, err := g.recordedFiles(ctx, base)
	if err != nil {
		return nil, false, err
	}
	for _, rel := range paths {
		f, ok := recorded[rel]
		if !ok || !g.onDisk(f) {
			return nil, false, nil // not recorded, gone or changed on disk: render again
		}
		files = append(files, f)
	}
	return files, len(files) > 0, nil
}

// earlierFiles returns the files of the partner's latest earlier as-of date
// for the same period that go to paths (the same names), when they were
// rendered from the same fingerprint and are all still on disk as recorded.
// ok is false when the partner must be rendered.
func (g *Generator) earlierFiles(ctx context.Context, base File, paths []string, fp string) (from []File, ok bool, err error) {
	var prevAsOf time.Time
	var prevFP string
	err = duckstore.QueryRowNamed(ctx, g.store, "reports/reporting_partner_render_earlier",
		[]any{base.PartnerID, base.Period, base.AsOf}, &prevAsOf, &prevFP)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && prevFP != fp) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	prev := base
	prev.AsOf = day(prevAsOf)
	recorded, err := g.recordedFiles(ctx, prev)
	if err != nil {
		return nil, false, err
	}
	prevDir := partnerDir(prev.AsOf, base.PartnerID)
	for _, rel := range paths {
		f, ok := recorded[path.Join(prevDir, path.Base(rel))]
		if !ok || !g.onDisk(f) {
			return nil, false, nil // an earlier file is gone or changed: render
		}
		from = append(from, f)
	}
	return from, len(from) > 0, nil
}

// linkGroup gives every partner of group whose plan is actLink the earlier
// files of its plan: each is hard-linked (copied where the file system
// refuses links) to its path in the run's as-of folder, and all of them are
// recorded for the run's as-of date with the same size and SHA-256, with the
// partners' fingerprints, in one manifest statement for the group (one per
// partner cost 40–60 ms each: most of a day's reports). The next day then
// links from this one and a rerun keeps them. Hard links, not manifest rows
// pointing at the old folder, so that removing an old as-of folder never
// breaks a later date's files. A partner whose files cannot be linked is
// rendered instead (its plan becomes actRender); a linked one's becomes
// actLinked.
func (g *Generator) linkGroup(ctx context.Context, run Run, group []PartnerInfo, p Period, plans []plan) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	t0 := time.Now()
	defer func() { g.addStats(func(s *Stats) { s.CommitTime += time.Since(t0) }) }()
	var files []File
	var linked []int
	for k, pl := range plans {
		if pl.action != actLink {
			continue
		}
		base := File{PartnerID: group[k].ID, Audience: Partner, AsOf: run.AsOf, Period: p.Label()}
		got, err := g.linkFiles(base, pl)
		if err != nil {
			g.log.Warn("linking a partner's earlier files failed; rendering them", "partner", group[k].ID, "err", err)
			plans[k] = plan{action: actRender, fp: pl.fp}
			continue
		}
		plans[k].action, plans[k].files = actLinked, got
		files = append(files, got...)
		linked = append(linked, k)
	}
	if len(linked) == 0 {
		return nil
	}
	// Recorded even when ctx is cancelled by now, as a batch of written
	// files (batch.commit): the links are in place.
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
	defer cancel()
	if err := g.record(rctx, files); err != nil {
		return err
	}
	g.addStats(func(s *Stats) { s.Files += len(files) })
	ids, fps := make([]string, len(linked)), make([]string, len(linked))
	for i, k := range linked {
		ids[i], fps[i] = group[k].ID, plans[k].fp
	}
	return g.rememberRenders(rctx, ids, run.AsOf, p.Label(), fps)
}

// linkFiles links one partner's earlier files (pl.files) to pl.paths and
// returns them as files of base's as-of date.
func (g *Generator) linkFiles(base File, pl plan) (files []File, err error) {
	dirs := map[string]bool{}
	for i, rel := range pl.paths {
		full := filepath.Join(g.out, filepath.FromSlash(rel))
		dir := filepath.Dir(full)
		if !dirs[dir] {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return nil, fmt.Errorf("link %s: %w", full, err)
			}
			g.cleanOnce(dir)
			dirs[dir] = true
		}
		from := pl.files[i]
		if err := linkOrCopy(filepath.Join(g.out, filepath.FromSlash(from.Path)), full); err != nil {
			return nil, err
		}
		info, err := os.Stat(full)
		if err != nil {
			return nil, fmt.Errorf("link %s: %w", full, err)
		}
		f := base
		f.ReportID, f.Name, f.Format, f.Path = ReportID(rel), path.Base(rel), from.Format, rel
		f.Size, f.SHA256, f.ModTime = from.Size, from.SHA256, info.ModTime()
		files = append(files, f)
	}
	for dir := range dirs {
		if err := render.SyncDir(dir); err != nil {
			return nil, err
		}
	}
	return files, nil
}

// recordedFiles are the manifest rows of a partner's files for base's as-of
// date and period, by path.
func (g *Generator) recordedFiles(ctx context.Context, base File) (map[string]File, error) {
	recorded := map[string]File{}
	err := duckstore.QueryNamed(ctx, g.store, "reports/reporting_partner_files", func(rows *sql.Rows) error {
		f := base
		var audience string
		var mtime int64
		if err := rows.Scan(&f.ReportID, &audience, &f.Name, &f.Format, &f.Path, &f.Size, &f.SHA256, &mtime); err != nil {
			return err
		}
		f.Audience = Audience(audience)
		if mtime != 0 {
			f.ModTime = time.Unix(0, mtime).UTC()
		}
		recorded[f.Path] = f
		return nil
	}, base.PartnerID, base.AsOf, base.Period)
	return recorded, err
}

// onDisk reports whether f's file is on disk as its manifest row says: a
// regular file of the recorded size and modification time, or, when the
// time differs (a copy, a restore), of the recorded SHA-256.
func (g *Generator) onDisk(f File) bool {
	local := filepath.FromSlash(f.Path)
	if !filepath.IsLocal(local) || len(f.SHA256) != 64 {
		return false
	}
	full := filepath.Join(g.out, local)
	info, err := os.Lstat(full)
	if err != nil || !info.Mode().IsRegular() || info.Size() != f.Size {
		return false
	}
	if !f.ModTime.IsZero() && info.ModTime().Equal(f.ModTime) {
		return true
	}
	sum, size, _, err := HashFile(full)
	return err == nil && sum == f.SHA256 && size == f.Size
}

// linkOrCopy puts the file at from also at to: a hard link when the file
// system allows it, else a copy with from's modification time. It goes
// through a temporary name and a rename, so a reader of to sees the old file
// or the new one, and a stale temporary file is cleaned like WriteTemp's.
// When to already is from (a rerun after an interrupted one), nothing is done.
func linkOrCopy(from, to string) error {
	src, err := os.Stat(from)
	if err != nil {
		return fmt.Errorf("link %s: %w", to, err)
	}
	if dst, err := os.Lstat(to); err == nil && os.SameFile(src, dst) {
		return nil
	}
	n, err := rand.Int(rand.Reader, big.NewInt(1<<62))
	if err != nil {
		return fmt.Errorf("link %s: %w", to, err)
	}
	tmp := filepath.Join(filepath.Dir(to), "."+filepath.Base(to)+".tmp-"+n.String())
	if err := os.Link(from, tmp); err != nil {
		if err := copyFile(from, tmp, src.ModTime()); err != nil {
			_ = os.Remove(tmp)
			return fmt.Errorf("link %s (a link was refused, so copied): %w", to, err)
		}
	}
	if err := os.Rename(tmp, to); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("link %s: %w", to, err)
	}
	return nil
}

// copyFile copies from to a new file to (synced), with modification time mtime.
func copyFile(from, to string, mtime time.Time) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		_ = out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		_ = out.Close()
		return err
	}
	if err := out.Close(); err != nil {
		return err
	}
	return os.Chtimes(to, mtime, mtime)
}

// rememberRenders records, for as-of date asOf and period, the fingerprint
// each partner of ids was given files from (rendered or linked; fps in ids'
// order), in one statement.
func (g *Generator) rememberRenders(ctx context.Context, ids []string, asOf time.Time, period string, fps []string) error {
	g.recordMu.Lock() // one manifest statement at a time, as record
	defer g.recordMu.Unlock()
	_, err := duckstore.ExecNamed(ctx, g.store, "reports/reporting_partner_renders_record", ids, asOf, period, fps, time.Now().UTC())
	if err != nil {
		return fmt.Errorf("record the fingerprints of %d partners: %w", len(ids), err)
	}
	return nil
}
