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
// old file or the complete new one, never a part, and the new one survives a
// crash once it returns: WriteTemp, Commit, then SyncDir of path's folder.
func WriteFileAtomic(path string, write func(w io.Writer) error) error {
	tmp, err := WriteTemp(path, write)
	if err != nil {
		return err
	}
	if err := tmp.Commit(); err != nil {
		return err
	}
	if err := SyncDir(filepath.Dir(path)); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// Temp is a complete new file for a path, written next to it under a
// temporary name and not yet in its place: Commit puts it there, Discard
// removes it. It is split from the rename so that a caller can render the
// next file while this one is synced (syncing waits on the disk, not the CPU).
type Temp struct {
	f    *os.File
	path string
	done bool
}

// WriteTemp writes a temporary file in path's folder through write, readable
// by all (0644). On any error (or a panic in write) the temporary file is
// removed and an existing file at path is left untouched.
func WriteTemp(path string, write func(w io.Writer) error) (_ *Temp, err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return nil, fmt.Errorf("write %s: %w", path, err)
	}
	inProgress.add(f.Name())
	t := &Temp{f: f, path: path}
	ok := false
	defer func() {
		if !ok {
			t.Discard()
		}
	}()
	bw := bufio.NewWriterSize(f, 256<<10)
	if err := write(bw); err != nil {
		return nil, fmt.Errorf("write %s: %w", path, err)
	}
	if err := bw.Flush(); err != nil {
		return nil, fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Chmod(0o644); err != nil {
		return nil, fmt.Errorf("write %s: %w", path, err)
	}
	ok = true
	return t, nil
}

// Path is where Commit puts the file.
func (t *Temp) Path() string { return t.path }

// Stat describes the temporary file; its size and modification time are the
// ones the file has at Path after Commit (a rename keeps both).
func (t *Temp) Stat() (fs.FileInfo, error) { return t.f.Stat() }

// Commit syncs the file and renames it over Path, so readers see the old file
// or this one, whole. On failure the temporary file is removed. The rename
// is durable only once the folder is synced (SyncDir): callers writing many
// files into one folder sync it once after the last.
func (t *Temp) Commit() error {
	if t.done {
		return fmt.Errorf("write %s: already committed or discarded", t.path)
	}
	committed := false
	defer func() {
		if !committed {
			t.Discard()
		}
	}()
	if err := t.f.Sync(); err != nil {
		return fmt.Errorf("write %s: sync: %w", t.path, err)
	}
	if err := t.f.Close(); err != nil {
		return fmt.Errorf("write %s: close: %w", t.path, err)
	}
	if err := os.Rename(t.f.Name(), t.path); err != nil {
		return fmt.Errorf("write %s: %w", t.path, err)
	}
	committed = true
	t.done = true
	inProgress.remove(t.f.Name())
	return nil
}

// Discard removes the temporary file; the file at Path stays as it was.
// Discarding a committed file does nothing.
func (t *Temp) Discard() {
	if t.done {
		return
	}
	t.done = true
	_ = t.f.Close() // may be closed already; the removal is what counts
	_ = os.Remove(t.f.Name())
	inProgress.remove(t.f.Name())
}

// SyncDir makes the renames into dir durable. Some file systems refuse to
// sync a directory; the files are in place either way, so only real failures
// count.
func SyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("sync directory %s: %w", dir, err)
	}
	serr := d.Sync()
	cerr := d.Close()
	if serr != nil && !errors.Is(serr, os.ErrInvalid) && !errors.Is(serr, errors.ErrUnsupported) {
		return fmt.Errorf("sync directory %s: %w", dir, serr)
	}
	if cerr != nil {
		return fmt.Errorf("close directory %s: %w", dir, cerr)
	}
	return nil
}

// tempPattern is the name WriteTemp gives its temporary files
// (os.CreateTemp replaces the * by digits).
var tempPattern = regexp.MustCompile(`^\..+\.tmp-[0-9]+$`)

// IsTempName reports whether name is one of WriteTemp's temporary files.
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
// killed run left in dir (not in its subfolders), except those
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
