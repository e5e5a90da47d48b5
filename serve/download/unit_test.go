package download

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSafeFilename(t *testing.T) {
	tests := []struct{ name, format, want string }{
		{"orders_2025-06.xlsx", "xlsx", "orders_2025-06.xlsx"},
		{"../../etc/passwd", "csv", "passwd.csv"},
		{`..\..\boot.ini`, "csv", "boot.ini.csv"},
		{"evil\"; filename=x.exe", "csv", "evil_filename_x.exe.csv"},
		{"Résumé juin.csv", "csv", "R_sum_juin.csv"},
		{".hidden", "parquet", "hidden.parquet"},
		{"", "xlsx", "report.xlsx"},
		{"data.bin", "weird", "data.bin"},
		{strings.Repeat("a", 400), "csv", strings.Repeat("a", 150) + ".csv"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := safeFilename(tc.name, tc.format); got != tc.want {
				t.Fatalf("safeFilename(%q) = %q, want %q", tc.name, got, tc.want)
			}
		})
	}
}

func TestOpenUnderRefusesEscapes(t *testing.T) {
	dir := t.TempDir()
	root := filepath.Join(dir, "out")
	if err := os.MkdirAll(filepath.Join(root, "p"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "outside.txt"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "p", "ok.csv"), []byte("ok"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(dir, "outside.txt"), filepath.Join(root, "p", "link.csv")); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		rel string
		ok  bool
	}{
		{"p/ok.csv", true},
		{"../outside.txt", false},
		{"p/../../outside.txt", false},
		{filepath.Join(dir, "outside.txt"), false},
		{"p/link.csv", false}, // symlink leaving the root
		{"p", false},          // a directory
		{"", false},
	}
	for _, tc := range tests {
		t.Run(tc.rel, func(t *testing.T) {
			f, _, err := openUnder(root, tc.rel)
			if tc.ok {
				if err != nil {
					t.Fatal(err)
				}
				b := make([]byte, 2)
				if _, err := f.Read(b); err != nil || string(b) != "ok" {
					t.Fatalf("read after the root closed: %q %v", b, err)
				}
				f.Close()
				return
			}
			if err == nil {
				f.Close()
				t.Fatal("opened a path outside the out root")
			}
		})
	}
}
