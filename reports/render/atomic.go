package render

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sync"
)

// WriteFileAtomic writes path through write so that readers see either the
// old file or the complete new one, never a part: it writes a temporary file
// in the same directory, syncs it, and renames it over path. On any error
// (or a panic in write) the temporary file is removed and an existing file
// at path is left untouched. The new file is readable by all (0644).
func WriteFileAtomic(path string, write func(w io.Writer) error) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	inProgress.add(tmp.Name())
	defer inProgress.remove(tmp.Name())
	committed := false
	defer func() {
		if !committed {
			_ = tmp.Close() // already failed; the first error is the one to report
			_ = os.Remove(tmp.Name())
		}
	}()
	bw := bufio.NewWriterSize(tmp, 256<<10)
	if err := write(bw); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Chmod(0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("write %s: sync: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: close: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	committed = true
	// Make the rename itself durable. Some file systems refuse to sync a
	// directory; the file is in place either way, so only real failures count.
	if d, err := os.Open(dir); err == nil {
		serr := d.Sync()
		cerr := d.Close()
		if serr != nil && !errors.Is(serr, os.ErrInvalid) && !errors.Is(serr, errors.ErrUnsupported) {
			return fmt.Errorf("write %s: sync directory: %w", path, serr)
		}
		if cerr != nil {
			return fmt.Errorf("write %s: close directory: %w", path, cerr)
		}
	}
	return nil
}

// tempPattern is the name WriteFileAtomic gives its temporary files
// (os.CreateTemp replaces the * by digits).
var tempPattern = regexp.MustCompile(`^\..+\.tmp-[0-9]+$`)

// IsTempName reports whether name is one of WriteFileAtomic's temporary files.
func IsTempName(name string) bool { return tempPattern.MatchString(name) }

// inProgress holds the temporary files this process is writing now, so that a
// clean-up never removes the file of a write still going on (another job of
// the same service writing the same folder). Another process cannot be
// writing: the report manifest's database admits one writer.
var inProgress = &tempSet{m: map[string]struct{}{}}

type tempSet struct {
	mu sync.Mutex
	m  map[string]struct{}
}

func (s *tempSet) add(p string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[filepath.Clean(p)] = struct{}{}
}

func (s *tempSet) remove(p string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.m, filepath.Clean(p))
}

func (s *tempSet) has(p string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.m[filepath.Clean(p)]
	return ok
}

// RemoveStaleTemps removes the temporary files that a cancelled, crashed or
// killed WriteFileAtomic left in dir (not in its subfolders), except those
// this process is writing now, and returns what it removed. A missing dir
// has nothing to clean.
func RemoveStaleTemps(dir string) (removed []string, err error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("clean temporary files in %s: %w", dir, err)
	}
	var errs []error
	for _, e := range entries {
		if !e.Type().IsRegular() || !IsTempName(e.Name()) {
			continue
		}
		p := filepath.Join(dir, e.Name())
		if inProgress.has(p) {
			continue
		}
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
			continue
		}
		removed = append(removed, p)
	}
	if err := errors.Join(errs...); err != nil {
		return removed, fmt.Errorf("clean temporary files in %s: %w", dir, err)
	}
	return removed, nil
}

// RemoveStaleTempsUnder is RemoveStaleTemps for root and every folder below
// it (symbolic links are not followed).
func RemoveStaleTempsUnder(root string) (removed []string, err error) {
	var errs []error
	walkErr := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && p == root {
				return filepath.SkipDir
			}
			errs = append(errs, err)
			return nil
		}
		if !d.IsDir() {
			return nil
		}
		r, err := RemoveStaleTemps(p)
		removed = append(removed, r...)
		if err != nil {
			errs = append(errs, err)
		}
		return nil
	})
	if walkErr != nil {
		errs = append(errs, walkErr)
	}
	return removed, errors.Join(errs...)
}
