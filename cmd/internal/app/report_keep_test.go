package app

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/marketplace-insights/insights/serve/auth"
	"github.com/marketplace-insights/insights/serve/download"
	"github.com/marketplace-insights/insights/sql/duckstore"
)

// TestReportsOfANewAsOfDateLinkUnchangedPartners: the scheduled reports of a
// new as-of date whose partners' figures did not change render nobody: the
// files of the day before are linked, the download API serves the new date's
// files with the same bytes and the same ETag, and `insights runs` says how
// many partners were rendered and how many kept.
func TestReportsOfANewAsOfDateLinkUnchangedPartners(t *testing.T) {
	db := tiersDB(t)
	cfg, out := reportsConfig(t, "")
	mustRun(t, "--db", db, "transform", "--as-of", "2026-03-05")
	mustRun(t, "--config", cfg, "--db", db, "run", "reports", "--as-of", "2026-03-05")
	mustRun(t, "--db", db, "transform", "--as-of", "2026-03-06")
	mustRun(t, "--config", cfg, "--db", db, "run", "reports", "--as-of", "2026-03-06")

	var jobs []map[string]any
	if err := json.Unmarshal([]byte(mustRun(t, "--db", db, "runs", "--job", "reports", "--format", "json")), &jobs); err != nil {
		t.Fatal(err)
	}
	if len(jobs) != 2 {
		t.Fatalf("%d runs of the reports job, want 2: %v", len(jobs), jobs)
	}
	for _, tc := range []struct {
		name, got, want string
	}{
		{"the first date renders every partner", jobs[1]["recomputed"].(string),
			"reports 2026-02 (6m): 3 partners, 3 rendered, 0 kept (0 linked from an earlier as-of date, 0 in place)"},
		{"the next date links every partner", jobs[0]["recomputed"].(string),
			"reports 2026-02 (6m): 3 partners, 0 rendered, 3 kept (3 linked from an earlier as-of date, 0 in place)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.got != tc.want {
				t.Errorf("recomputed %q, want %q", tc.got, tc.want)
			}
		})
	}

	t.Run("the download API serves the same bytes with the same ETag", func(t *testing.T) {
		withStore(t, db, func(s *duckstore.Store) {
			ctx := context.Background()
			cat := download.NewDBCatalog(s)
			tok, _, err := cat.CreateToken(ctx, auth.RolePartner, "P1", "test")
			if err != nil {
				t.Fatal(err)
			}
			api, err := download.New(download.Config{OutRoot: out, LinkSecret: bytes.Repeat([]byte("k"), 32), LinkTTL: time.Hour}, cat, nil)
			if err != nil {
				t.Fatal(err)
			}
			mux := http.NewServeMux()
			api.Register(mux)
			get := func(id string) (string, []byte) {
				req := httptest.NewRequest(http.MethodGet, "/v1/reports/"+id, nil)
				req.Header.Set("Authorization", "Bearer "+tok)
				rec := httptest.NewRecorder()
				mux.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					t.Fatalf("GET /v1/reports/%s: %d %s", id, rec.Code, rec.Body)
				}
				return rec.Header().Get("ETag"), rec.Body.Bytes()
			}
			rows, err := s.Query(ctx, `SELECT a.report_id, b.report_id, a.name FROM report_files a
				JOIN report_files b ON b.partner_id = a.partner_id AND b.name = a.name AND b.as_of = DATE '2026-03-06'
				WHERE a.partner_id = 'P1' AND a.as_of = DATE '2026-03-05' ORDER BY a.name`)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			n := 0
			for rows.Next() {
				var before, after, name string
				if err := rows.Scan(&before, &after, &name); err != nil {
					t.Fatal(err)
				}
				etag1, body1 := get(before)
				etag2, body2 := get(after)
				if before == after || etag1 == "" || etag1 != etag2 || !bytes.Equal(body1, body2) {
					t.Errorf("%s: ids %s/%s, ETag %s then %s, bodies equal %v", name, before, after, etag1, etag2, bytes.Equal(body1, body2))
				}
				n++
			}
			if err := rows.Err(); err != nil {
				t.Fatal(err)
			}
			if n != 23 { // 69 files for 3 partners
				t.Errorf("%d files of P1 on both dates, want 23", n)
			}
		})
	})
}
