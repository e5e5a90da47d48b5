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
