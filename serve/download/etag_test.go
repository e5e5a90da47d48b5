package download

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestETagMatchesBytesServed: the ETag of a download is the SHA-256 of the
// bytes served, even when the manifest row is stale (a run killed between
// replacing the file and recording it), so a stale If-None-Match never gets
// a 304 for new content (issue 15 item 3).
func TestETagMatchesBytesServed(t *testing.T) {
	e := startEnv(t)
	ctx := context.Background()
	rel := "2025-06-30/P1/orders_2025-06.xlsx"
	full := filepath.Join(e.out, filepath.FromSlash(rel))
	info, err := os.Stat(full)
	if err != nil {
		t.Fatal(err)
	}
	oldSum := sha256Hex(e.xlsx)
	setRow := func(sum string, size, mtime int64) {
		t.Helper()
		if _, err := e.store.Exec(ctx, `UPDATE report_files SET sha256 = ?, size_bytes = ?, mtime_ns = ? WHERE report_id = ?`,
			sum, size, mtime, idP1); err != nil {
			t.Fatal(err)
		}
		e.cat.Invalidate()
	}

	// The row describes the file: its hash is trusted (no need to read the file).
	setRow(oldSum, info.Size(), info.ModTime().UnixNano())
	res := e.get(t, "/v1/reports/"+idP1, e.tokP1)
	if got := res.header.Get("Etag"); got != `"`+oldSum+`"` {
		t.Fatalf("ETag %s, want the manifest's %s", got, oldSum)
	}

	// The file is replaced, the run dies before recording it: the row keeps
	// the old hash, size and time.
	fresh := []byte("PK\\x03\\x04 the new workbook, a little longer")
	if err := os.WriteFile(full, fresh, 0o644); err != nil {
		t.Fatal(err)
	}
	later := info.ModTime().Add(time.Second)
	if err := os.Chtimes(full, later, later); err != nil {
		t.Fatal(err)
	}
	res = e.get(t, "/v1/reports/"+idP1, e.tokP1)
	if res.status != http.StatusOK || string(res.body) != string(fresh) {
		t.Fatalf("download %d %q", res.status, res.body)
	}
	if got, want := res.header.Get("Etag"), `"`+sha256Hex(fresh)+`"`; got != want {
		t.Fatalf("ETag %s after the file changed, want the served bytes' %s", got, want)
	}
	if !strings.Contains(e.logs.String(), "differs from its manifest row") {
		t.Error("the stale row was not logged")
	}
	// A client holding the old ETag gets the new content, not 304.
	req, _ := http.NewRequest(http.MethodGet, e.base+"/v1/reports/"+idP1, nil)
	req.Header.Set("Authorization", "Bearer "+e.tokP1)
	req.Header.Set("If-None-Match", `"`+oldSum+`"`)
	r, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	if r.StatusCode != http.StatusOK {
		t.Fatalf("stale If-None-Match: %d, want 200", r.StatusCode)
	}
	// The current ETag does get 304.
	req.Header.Set("If-None-Match", `"`+sha256Hex(fresh)+`"`)
	if r, err = http.DefaultClient.Do(req); err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	if r.StatusCode != http.StatusNotModified {
		t.Fatalf("current If-None-Match: %d, want 304", r.StatusCode)
	}
}
