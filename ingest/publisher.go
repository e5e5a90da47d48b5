package ingest

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/marketplace-insights/insights/sql/duckstore"
)

// Partner Center hands each publisher only its own data, so its downloads
// carry no PublisherId. The publisher of a row is, in order: the row's own
// PublisherId; the partner folder it landed in (landing/<partner_id>/…); the
// --partner flag; its offer (resolved by the transform from the offers
// reference data). A file whose rows none of these resolve is refused with
// an error naming it: rows that belong to nobody would be silently lost from
// every partner's reports.

// publisherError refuses a file whose publisher cannot be told.
type publisherError struct{ msg string }

func (e *publisherError) Error() string { return e.msg }

// within reports whether path lies inside dir.
func within(dir, path string) bool {
	rel, err := filepath.Rel(absPath(dir), absPath(path))
	return err == nil && rel != "." && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// partnerFromPath is the first folder of path below the landing folder root
// (landing/<partner_id>/…); "" when the file lies directly in root or root is "".
func partnerFromPath(root, path string) string {
	if root == "" {
		return ""
	}
	rel, err := filepath.Rel(absPath(root), absPath(path))
	if err != nil || strings.HasPrefix(rel, "..") {
		return ""
	}
	parts := strings.Split(filepath.ToSlash(rel), "/")
	if len(parts) < 2 {
		return ""
	}
	return parts[0]
}

// pubSource is the publisher a file's rows get when they name none.
type pubSource struct {
	partner string // "" when neither the path nor --partner tells it
	ignored string // a landing subfolder that is not a known partner
}

// publisher decides the publisher of a file's rows that name none, and sets
// up the mapping to fill it in: the landing folder's partner when it is a
// known partner, else --partner.
func (l *Loader) publisher(ctx context.Context, tx *duckstore.Tx, path string, m *Mapping, pathPartner string) (pubSource, error) {
	d := m.Dataset
	var src pubSource
	if d.Publisher == "" {
		return src, nil
	}
	if pathPartner != "" {
		var n int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM partners WHERE partner_id = ?`, pathPartner).Scan(&n); err != nil {
			return src, fmt.Errorf("look up partner %q: %w", pathPartner, err)
		}
		if n > 0 {
			src.partner = pathPartner
		} else {
			src.ignored = pathPartner
			l.log.Warn("the landing subfolder is not a known partner id; not taking the publisher from it", "path", path, "folder", pathPartner)
		}
	}
	if src.partner == "" {
		src.partner = l.opts.Partner
	}
	if src.partner == "" {
		return src, nil
	}
	i := m.index(d.Publisher)
	if m.Source[i] >= 0 {
		m.Fill[i] = duckstore.Literal(src.partner)
	} else {
		m.Const[i] = duckstore.Literal(src.partner)
	}
	return src, nil
}

// checkPublisher refuses the file when good rows of it (rows: a relation and
// its condition, "t WHERE …") name no publisher and their offer is not in the
// offers reference data (loaded before the other files of a run).
func checkPublisher(ctx context.Context, tx *duckstore.Tx, m *Mapping, src pubSource, rows string) error {
	d := m.Dataset
	if d.Publisher == "" || src.partner != "" {
		return nil
	}
	conds := []string{"true"}
	if i := m.index(d.Publisher); m.Source[i] >= 0 {
		conds = append(conds, duckstore.Ident(d.Publisher)+" IS NULL")
	}
	// A row resolves through its offer id, or a unique offer name; a row
	// with neither resolves to nobody.
	var has, offerExprs []string
	if i := m.index("offer_id"); i >= 0 && m.Source[i] >= 0 {
		conds = append(conds, "coalesce(offer_id NOT IN (SELECT offer_id FROM offers), true)")
		has, offerExprs = append(has, "OfferId"), append(offerExprs, "offer_id")
	}
	if i := m.index("offer_name"); i >= 0 && m.Source[i] >= 0 {
		conds = append(conds, "coalesce(offer_name NOT IN (SELECT offer_name FROM offers GROUP BY offer_name HAVING count(*) = 1), true)")
		has, offerExprs = append(has, "OfferName"), append(offerExprs, "offer_name")
	}
	offer := "NULL::VARCHAR"
	if len(offerExprs) > 0 {
		offer = "coalesce(" + strings.Join(offerExprs, ", ") + ")"
	}
	var n int64
	var example *string
	q := fmt.Sprintf(`SELECT count(*), min(%s) FROM %s AND %s`, offer, rows, strings.Join(conds, " AND "))
	if err := tx.QueryRow(ctx, q).Scan(&n, &example); err != nil {
		return fmt.Errorf("check publishers: %w", err)
	}
	if n == 0 {
		return nil
	}
	var why string
	switch {
	case len(has) == 0:
		why = fmt.Sprintf("its %d row(s) name no PublisherId and the file has no OfferId or OfferName column to tell it", n)
	case example == nil:
		why = fmt.Sprintf("%d row(s) name neither a PublisherId nor an offer", n)
	default:
		why = fmt.Sprintf("%d row(s) name no PublisherId and their offer (e.g. %q) is not in the offers reference data", n, *example)
	}
	hint := "put the file under the landing folder as <landing>/<partner_id>/…, or pass ingest --partner ID"
	if src.ignored != "" {
		hint = fmt.Sprintf("its folder %q is not a known partner id; ", src.ignored) + hint
	}
	return &publisherError{msg: "cannot tell whose data this is: " + why + "; " + hint}
}

// referenceFirst orders the files so that reference data (partners, offers,
// …) loads before the downloads whose publisher it tells; otherwise the
// order is kept. A file whose header cannot be read keeps its place (its
// load quarantines it).
func (l *Loader) referenceFirst(ctx context.Context, files []foundFile) []foundFile {
	isRef := make([]bool, len(files))
	any := false
	for i, f := range files {
		if f.seenAs != "" {
			continue // skipped unread: its place does not matter
		}
		info, err := sniff(f.path, l.opts.Limits.withDefaults())
		if err != nil {
			continue
		}
		if info.format == FormatParquet {
			if info.header, err = l.parquetColumns(ctx, f.path); err != nil {
				continue
			}
		}
		if m, err := Detect(info.header, l.opts.Dataset); err == nil && m.Dataset.Reference {
			isRef[i], any = true, true
		}
	}
	if !any {
		return files
	}
	idx := make([]int, len(files))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return isRef[idx[a]] && !isRef[idx[b]] })
	out := make([]foundFile, len(files))
	for i, j := range idx {
		out[i] = files[j]
	}
	return out
}
