package duckstore

import (
	"context"
	"path/filepath"
	"testing"
)

// TestMigration0120OnAFilledDatabase: a database of the release before
// migration 0120 (its tables dropped, the version unrecorded), with people in
// it, upgrades in place: the people stay, and the language tables take a
// person's and a company's choice, refusing a language the program does not
// offer.
func TestMigration0120OnAFilledDatabase(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.duckdb")
	s, err := Open(ctx, Config{Path: path, Threads: 1, MemoryLimit: "512MB"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`DROP TABLE person_languages`,
		`DROP TABLE company_languages`,
		`DELETE FROM schema_migrations WHERE version = 120`,
		`INSERT INTO people (person_id, email, display_name, pga_id, role, created_at) VALUES
			('p-1', 'ana@contoso.example', 'Ana', 'PGA-1', 'partner_admin', TIMESTAMP '2026-11-01 09:00:00'),
			('p-2', 'rev@rewards.example', 'Rev', NULL, 'reviewer', TIMESTAMP '2026-11-01 09:00:00')`,
	} {
		if _, err := s.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s, err = Open(ctx, Config{Path: path, Threads: 1, MemoryLimit: "512MB"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var people int
	if err := s.QueryRow(ctx, `SELECT count(*) FROM people`).Scan(&people); err != nil || people != 2 {
		t.Fatalf("people after the upgrade: %d, %v", people, err)
	}
	for _, tc := range []struct {
		name, q string
		ok      bool
	}{
		{"person", `INSERT INTO person_languages VALUES ('p-1', 'fr', TIMESTAMP '2026-12-01 10:00:00')`, true},
		{"company", `INSERT INTO company_languages VALUES ('PGA-1', 'zh-Hans', 'p-1', TIMESTAMP '2026-12-01 10:00:00')`, true},
		{"unknown language", `INSERT INTO company_languages VALUES ('PGA-2', 'de', 'p-1', TIMESTAMP '2026-12-01 10:00:00')`, false},
		{"one choice per person", `INSERT INTO person_languages VALUES ('p-1', 'en', TIMESTAMP '2026-12-01 11:00:00')`, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.Exec(ctx, tc.q)
			if (err == nil) != tc.ok {
				t.Fatalf("%s: err = %v, want ok %v", tc.q, err, tc.ok)
			}
		})
	}
}
