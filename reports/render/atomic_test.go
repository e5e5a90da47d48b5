package render

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func TestWriteFileAtomic(t *testing.T) {
	writeString := func(s string) func(io.Writer) error {
		return func(w io.Writer) error { _, err := io.WriteString(w, s); return err }
	}
	tests := []struct {
		name    string
		old     string // "" = no file before
		write   func(io.Writer) error
		wantErr string
		want    string // content afterwards
	}{
		{name: "new file", write: writeString("fresh"), want: "fresh"},
		{name: "replaces a longer file whole", old: strings.Repeat("old ", 100), write: writeString("new"), want: "new"},
		{name: "failing write keeps the old file", old: "old report",
			write: func(w io.Writer) error {
				if _, err := io.WriteString(w, "half a rep"); err != nil {
					return err
				}
				return errors.New("query failed")
			},
			wantErr: "query failed", want: "old report"},
		{name: "failing write leaves nothing new", write: func(io.Writer) error { return errors.New("boom") }, wantErr: "boom"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "report.csv")
			if tc.old != "" {
				if err := os.WriteFile(path, []byte(tc.old), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			err := WriteFileAtomic(path, tc.write)
			if tc.wantErr == "" && err != nil {
				t.Fatalf("err = %v", err)
			}
			if tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
				t.Fatalf("err = %v, want %q", err, tc.wantErr)
			}
			got, rerr := os.ReadFile(path)
			switch {
			case tc.want == "" && !errors.Is(rerr, os.ErrNotExist):
				t.Errorf("file exists (%q, %v), want none", got, rerr)
			case tc.want != "" && string(got) != tc.want:
				t.Errorf("content = %q, %v; want %q", got, rerr, tc.want)
			}
			names := dirNames(t, dir)
			if (tc.want == "" && len(names) != 0) || (tc.want != "" && (len(names) != 1 || names[0] != "report.csv")) {
				t.Errorf("directory holds %q, want only the report (no temp file)", names)
			}
			if tc.want != "" {
				if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o644 {
					t.Errorf("mode = %v, %v; want 0644", fi.Mode(), err)
				}
			}
		})
	}
	t.Run("panic in write leaves no temp file", func(t *testing.T) {
		dir := t.TempDir()
		func() {
			defer func() { _ = recover() }()
			_ = WriteFileAtomic(filepath.Join(dir, "x.xlsx"), func(io.Writer) error { panic("bug") })
		}()
		if names := dirNames(t, dir); len(names) != 0 {
			t.Errorf("directory holds %q after a panic", names)
		}
	})
	t.Run("missing directory", func(t *testing.T) {
		err := WriteFileAtomic(filepath.Join(t.TempDir(), "nope", "x.csv"), writeString("x"))
		if err == nil || !strings.Contains(err.Error(), "x.csv") {
			t.Errorf("err = %v, want an error naming the file", err)
		}
	})
	t.Run("a whole workbook", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "book.xlsx")
		book := fullBook(t)
		for range 2 { // the second run replaces the first
			if err := WriteFileAtomic(path, func(w io.Writer) error { _, err := WriteXLSX(w, book, Options{}); return err }); err != nil {
				t.Fatal(err)
			}
		}
		f, err := openXLSX(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if got := f.GetSheetList(); len(got) != 4 {
			t.Errorf("sheets = %q", got)
		}
	})
}

// TestTemp: a file written by WriteTemp is not at its path until Commit, a
// pending one is not taken for a stale one, and Discard leaves the old file.
func TestTemp(t *testing.T) {
	for _, tc := range []struct {
		name   string
		commit bool
		want   string
	}{
		{name: "commit replaces the old file", commit: true, want: "new"},
		{name: "discard keeps the old file", commit: false, want: "old"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "r.csv")
			if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
				t.Fatal(err)
			}
			tmp, err := WriteTemp(path, func(w io.Writer) error { _, err := io.WriteString(w, "new"); return err })
			if err != nil {
				t.Fatal(err)
			}
			if got, _ := os.ReadFile(path); string(got) != "old" {
				t.Fatalf("before commit the path holds %q, want the old file", got)
			}
			if removed, err := RemoveStaleTemps(dir); err != nil || len(removed) != 0 {
				t.Fatalf("a pending temporary file was taken for a stale one: %v %v", removed, err)
			}
			fi, err := tmp.Stat()
			if err != nil || fi.Size() != 3 {
				t.Fatalf("stat = %v, %v; want 3 bytes", fi, err)
			}
			if tc.commit {
				if err := tmp.Commit(); err != nil {
					t.Fatal(err)
				}
				if after, err := os.Stat(path); err != nil || !after.ModTime().Equal(fi.ModTime()) {
					t.Errorf("modification time %v after the rename, %v before", after.ModTime(), fi.ModTime())
				}
			} else {
				tmp.Discard()
			}
			tmp.Discard() // a second discard (or one after commit) does nothing
			if got, _ := os.ReadFile(path); string(got) != tc.want {
				t.Errorf("path holds %q, want %q", got, tc.want)
			}
			if names := dirNames(t, dir); len(names) != 1 {
				t.Errorf("directory holds %q, want the report alone", names)
			}
			if err := tmp.Commit(); err == nil {
				t.Error("a second commit succeeded")
			}
		})
	}
}

// TestRemoveStaleTemps: the temporary files a killed or cancelled write left
// are removed, and nothing else: not reports, not other dot files, not the
// temporary file of a write still in progress.
func TestRemoveStaleTemps(t *testing.T) {
	root := t.TempDir()
	sub := filepath.Join(root, "2025-06-30", "p1")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	keep := []string{
		filepath.Join(sub, "orders_2025-06.csv"),
		filepath.Join(sub, ".hidden"),
		filepath.Join(sub, ".orders.csv.tmp-abc"), // not CreateTemp's digits
		filepath.Join(root, "notes.tmp-1"),        // no leading dot
	}
	stale := []string{
		filepath.Join(sub, ".orders_2025-06.csv.tmp-123456"),
		filepath.Join(sub, ".insights_2025-06_6m.xlsx.tmp-42"),
		filepath.Join(root, ".review_pack.xlsx.tmp-7"),
	}
	for _, p := range append(append([]string{}, keep...), stale...) {
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// A write in progress in the same folder keeps its temporary file.
	inside := make(chan struct{})
	release := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- WriteFileAtomic(filepath.Join(sub, "live.csv"), func(w io.Writer) error {
			close(inside)
			<-release
			_, err := io.WriteString(w, "live")
			return err
		})
	}()
	<-inside

	removed, err := RemoveStaleTempsUnder(root)
	if err != nil {
		t.Fatal(err)
	}
	if len(removed) != len(stale) {
		t.Fatalf("removed %v, want %v", removed, stale)
	}
	for _, p := range stale {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("%s left behind", p)
		}
	}
	for _, p := range keep {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s removed: %v", p, err)
		}
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatalf("the write in progress failed: %v", err)
	}
	if b, err := os.ReadFile(filepath.Join(sub, "live.csv")); err != nil || string(b) != "live" {
		t.Fatalf("live.csv = %q %v", b, err)
	}
	if r, err := RemoveStaleTemps(filepath.Join(root, "missing")); err != nil || len(r) != 0 {
		t.Fatalf("missing folder: %v %v", r, err)
	}
}
