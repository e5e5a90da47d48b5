package download

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/marketplace-insights/insights/serve/auth"
	"github.com/marketplace-insights/insights/sql/duckstore/testkit"
)

// TestCachedCatalog: tokens and the manifest are served from memory, changes
// made in this process hold from the next request, changes made by other
// code are picked up within the poll interval, and an unknown token costs no
// database read (issue 15 item 6).
func TestCachedCatalog(t *testing.T) {
	e := startEnv(t)
	ctx := context.Background()
	status := func(path, token string) int {
		t.Helper()
		return e.get(t, path, token).status
	}
	if got := status("/v1/reports", e.tokP1); got != http.StatusOK {
		t.Fatalf("warm-up: %d", got)
	}

	t.Run("unknown tokens cost no database read", func(t *testing.T) {
		before := e.cat.Loads()
		for i := 0; i < 50; i++ {
			tok := "mi_" + strings.Repeat("0", 15) + string(rune('a'+i%6)) + "_" + strings.Repeat("A", 43)
			if got := status("/v1/reports", tok); got != http.StatusUnauthorized {
				t.Fatalf("unknown token: %d", got)
			}
		}
		if e.cat.Loads() != before {
			t.Fatalf("unknown tokens caused %d loads", e.cat.Loads()-before)
		}
	})

	t.Run("a revocation in this process holds from the next request", func(t *testing.T) {
		tok, info, err := NewDBCatalog(e.store).CreateToken(ctx, auth.RolePartner, "P2", "") // another DBCatalog, as a CLI command in the service would use
		if err != nil {
			t.Fatal(err)
		}
		if got := status("/v1/reports", tok); got != http.StatusOK {
			t.Fatalf("new token at once: %d, want 200", got)
		}
		if err := NewDBCatalog(e.store).RevokeToken(ctx, info.ID); err != nil {
			t.Fatal(err)
		}
		if got := status("/v1/reports", tok); got != http.StatusUnauthorized {
			t.Fatalf("revoked token on the next request: %d, want 401", got)
		}
	})

	t.Run("a change made outside is picked up within the poll interval", func(t *testing.T) {
		// Plain SQL, as another process would have done while the service was down.
		testkit.Exec(t, e.store, `UPDATE api_tokens SET revoked_at = TIMESTAMP '2025-07-01 10:00:00' WHERE token_id = ?`, e.tokP2[3:19])
		testkit.Exec(t, e.store, `INSERT INTO report_files VALUES ('0123456789abcdef0123abcd', 'P1', 'partner', DATE '2025-07-31',
			'2025-07', 'new.csv', 'csv', '2025-07-31/P1/new.csv', 1, '', TIMESTAMP '2025-08-01 02:00:00', NULL)`)
		deadline := time.Now().Add(5 * time.Second)
		for {
			revoked := status("/v1/reports", e.tokP2) == http.StatusUnauthorized
			listed := strings.Contains(string(e.get(t, "/v1/reports", e.tokP1).body), "0123456789abcdef0123abcd")
			if revoked && listed {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("after 5s: revoked=%v listed=%v", revoked, listed)
			}
			time.Sleep(20 * time.Millisecond)
		}
	})

	t.Run("Invalidate reloads the manifest at once", func(t *testing.T) {
		testkit.Exec(t, e.store, `DELETE FROM report_files WHERE report_id = '0123456789abcdef0123abcd'`)
		e.cat.Invalidate()
		if strings.Contains(string(e.get(t, "/v1/reports", e.tokP1).body), "0123456789abcdef0123abcd") {
			t.Fatal("a removed report is still listed after Invalidate")
		}
	})
}
