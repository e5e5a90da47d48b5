// Package duckstore owns the embedded DuckDB database: opening it with explicit
// resource limits, applying the numbered schema migrations, transactions on a
// pinned connection, bulk appends, Arrow queries, the named-query helpers that
// run an embedded query of sql/ and scan its rows (named.go), one read-only
// statement for analysts (readonly.go), and identifier/literal quoting.
// It is the only package that imports the DuckDB driver.
package duckstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	duckdb "github.com/duckdb/duckdb-go/v2"

	sqlfiles "github.com/marketplace-insights/insights/sql"
)

// Config says where the database lives and what it may use of the machine.
type Config struct {
	Path        string // database file; ":memory:" for a throw-away database
	Threads     int    // DuckDB worker threads; 0 means 2
	MemoryLimit string // DuckDB memory_limit, e.g. "4GB"; "" means "4GB"
	TempDir     string // spill directory; "" means "<Path>.tmp"
	ReadOnly    bool   // open for reading only (analyst queries)
	// NoFiles turns DuckDB's enable_external_access off: no COPY … TO, no
	// read_csv/read_parquet/glob of paths, no ATTACH, no extension loading.
	// Only the database file itself (and its spill directory) is used. It
	// cannot be turned back on for the life of the store.
	NoFiles bool
	// MigrateThrough applies only the migrations up to this version (0: all).
	// The upgrade tests use it to build a database as an earlier release made it.
	MigrateThrough int
}

// Store is an open database.
type Store struct {
	db   *sql.DB
	cfg  Config
	log  *slog.Logger
	path string
}

// ErrLocked is returned (wrapped) when another process holds the database file.
var ErrLocked = errors.New("database is in use by another process")

// Open opens (creating if needed) the database and, unless read-only, applies
// pending migrations.
func Open(ctx context.Context, cfg Config, log *slog.Logger) (*Store, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if cfg.Path == "" {
		return nil, errors.New("open store: no database path")
	}
	if cfg.Threads <= 0 {
		cfg.Threads = 2
	}
	if cfg.MemoryLimit == "" {
		cfg.MemoryLimit = "4GB"
	}
	inMemory := cfg.Path == ":memory:"
	if !inMemory {
		if cfg.ReadOnly {
			if _, err := os.Stat(cfg.Path); err != nil {
				return nil, fmt.Errorf("open store %s: no database there yet (run `insights ingest` first)", cfg.Path)
			}
		} else if err := os.MkdirAll(filepath.Dir(cfg.Path), 0o755); err != nil {
			return nil, fmt.Errorf("open store %s: %w", cfg.Path, err)
		}
	}
	if cfg.TempDir == "" {
		if inMemory {
			cfg.TempDir = filepath.Join(os.TempDir(), "insights-duckdb-tmp")
		} else {
			cfg.TempDir = cfg.Path + ".tmp"
		}
	}

	q := url.Values{}
	q.Set("threads", strconv.Itoa(cfg.Threads))
	q.Set("memory_limit", cfg.MemoryLimit)
	q.Set("temp_directory", cfg.TempDir)
	q.Set("autoinstall_known_extensions", "false")
	q.Set("autoload_known_extensions", "true")
	if cfg.ReadOnly {
		q.Set("access_mode", "READ_ONLY")
	}
	dsn := cfg.Path + "?" + q.Encode()
	if inMemory {
		dsn = "?" + q.Encode()
	}
	connector, err := duckdb.NewConnector(dsn, nil)
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", cfg.Path, describeOpenError(err))
	}
	db := sql.OpenDB(connector)
	s := &Store{db: db, cfg: cfg, log: log, path: cfg.Path}
	if err := db.PingContext(ctx); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("open store %s: %w", cfg.Path, describeOpenError(err))
	}
	if cfg.NoFiles {
		// Set after opening, not in the DSN: once it is off DuckDB refuses
		// the temp_directory option. It is global and cannot be turned back on.
		if _, err := db.ExecContext(ctx, `SET GLOBAL enable_external_access = false`); err != nil {
			_ = db.Close()
			return nil, fmt.Errorf("open store %s: turn external access off: %w", cfg.Path, err)
		}
	}
	if !cfg.ReadOnly {
		if err := s.migrate(ctx); err != nil {
			_ = db.Close()
			return nil, err
		}
	}
	return s, nil
}

// lockHolder matches DuckDB's "Conflicting lock is held in /path/prog (PID 123)".
var lockHolder = regexp.MustCompile(`Conflicting lock is held in (.*?) \(PID (\d+)\)`)

// describeOpenError turns DuckDB's multi-line lock message into one line that
// names the process holding the file.
func describeOpenError(err error) error {
	msg := err.Error()
	if m := lockHolder.FindStringSubmatch(msg); m != nil {
		return fmt.Errorf("%w: held by PID %s (%s); stop it or point --db elsewhere", ErrLocked, m[2], m[1])
	}
	if strings.Contains(msg, "Could not set lock on file") {
		return fmt.Errorf("%w; stop it or point --db elsewhere", ErrLocked)
	}
	return err
}

// Path is the database file this store was opened on.
func (s *Store) Path() string { return s.path }

// DB exposes the pool for plain queries; prefer the helpers below.
func (s *Store) DB() *sql.DB { return s.db }

// Close closes the database, checkpointing the write-ahead log.
func (s *Store) Close() error {
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("close store %s: %w", s.path, err)
	}
	return nil
}

// migrate applies every embedded migration not yet recorded, each in its own
// transaction together with its record, so a failed migration leaves nothing.
func (s *Store) migrate(ctx context.Context) error {
	if _, err := s.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)`); err != nil {
		return fmt.Errorf("migrate: create schema_migrations: %w", err)
	}
	files, err := sqlfiles.Migrations()
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	applied := map[int]bool{}
	rows, err := s.db.QueryContext(ctx, `SELECT version FROM schema_migrations`)
	if err != nil {
		return fmt.Errorf("migrate: read applied versions: %w", err)
	}
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			rows.Close()
			return fmt.Errorf("migrate: read applied versions: %w", err)
		}
		applied[v] = true
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("migrate: read applied versions: %w", err)
	}
	rows.Close()
	for _, f := range files {
		v, err := migrationVersion(f.Name)
		if err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		if applied[v] || (s.cfg.MigrateThrough > 0 && v > s.cfg.MigrateThrough) {
			continue
		}
		err = s.Tx(ctx, func(ctx context.Context, tx *Tx) error {
			if _, err := tx.Exec(ctx, f.Text); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, `INSERT INTO schema_migrations VALUES (?, ?, ?)`, v, f.Name, time.Now().UTC())
			return err
		})
		if err != nil {
			return fmt.Errorf("migrate %s: %w", f.Name, err)
		}
		s.log.Info("applied migration", "name", f.Name)
	}
	return nil
}

func migrationVersion(name string) (int, error) {
	head, _, ok := strings.Cut(name, "_")
	v, err := strconv.Atoi(head)
	if !ok || err != nil {
		return 0, fmt.Errorf("migration %s: name must start with a number and '_'", name)
	}
	return v, nil
}
