package download

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
)

// reportIDPattern is what a report id may look like (the manifest uses hex
// digests). Anything else (dots, slashes, encoded or not) is refused before
// it reaches the database or the disk.
var reportIDPattern = regexp.MustCompile(`^[0-9a-f]{16,64}$`)

var errUnsafePath = errors.New("report path leaves the out root")

// openUnder opens rel (a '/'-separated path from the manifest) inside root.
// os.Root refuses to leave root by "..", absolute paths or symlinks, so a bad
// manifest row cannot serve a file from elsewhere.
func openUnder(root, rel string) (*os.File, fs.FileInfo, error) {
	local := filepath.FromSlash(rel)
	if rel == "" || !filepath.IsLocal(local) {
		return nil, nil, fmt.Errorf("%q: %w", rel, errUnsafePath)
	}
	r, err := os.OpenRoot(root)
	if err != nil {
		return nil, nil, fmt.Errorf("open out root: %w", err)
	}
	defer r.Close() // files opened from it stay open
	f, err := r.Open(local)
	if err != nil {
		return nil, nil, err
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	if !info.Mode().IsRegular() {
		f.Close()
		return nil, nil, fmt.Errorf("%q is not a regular file", rel)
	}
	return f, info, nil
}

var contentTypes = map[string]string{
	"xlsx":    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	"csv":     "text/csv; charset=utf-8",
	"parquet": "application/vnd.apache.parquet",
}

func contentType(format string) string {
	if ct, ok := contentTypes[format]; ok {
		return ct
	}
	return "application/octet-stream"
}

var unsafeNameChars = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// safeFilename is the name offered in Content-Disposition: the base name with
// anything but letters, digits, '.', '_' and '-' replaced, no leading dot,
// bounded, ending in the format's extension.
func safeFilename(name, format string) string {
	base := path.Base(strings.ReplaceAll(name, `\`, "/"))
	base = unsafeNameChars.ReplaceAllString(base, "_")
	base = strings.TrimLeft(base, "._")
	if base == "" {
		base = "report"
	}
	if len(base) > 150 {
		base = base[:150]
	}
	if _, known := contentTypes[format]; known && !strings.HasSuffix(strings.ToLower(base), "."+format) {
		base += "." + format
	}
	return base
}
