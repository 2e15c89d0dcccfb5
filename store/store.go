// Package store is LAW's own SQLite database (modernc.org/sqlite, no cgo): migrations, the queue,
// conversations, the inbox and the outbox. WhatsApp's session keys live in another file.
package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

//go:embed migrations/*.sql
var migrations embed.FS

// ErrTooNew is returned by Open for a database written by a newer LAW.
var ErrTooNew = errors.New("database was written by a newer version of LAW")

// DB is the bot's database.
type DB struct {
	db     *sql.DB // readers, and the migrations before the writer starts
	w      *writer
	notify chan struct{}
	office hub // the board's subscribers, in office.go
}

// DSN returns the modernc DSN for the bot's database at path. synchronous(FULL): a commit is on
// disk before it returns, because an incoming message is acknowledged to WhatsApp right after its
// commit and is never delivered again; group commit (writer.go) pays that sync once per batch.
func DSN(path string) string { return DSNFor(path, "FULL") }

// DSNFor returns the modernc DSN for the SQLite file at path with the given synchronous level
// (FULL, NORMAL); both LAW's databases are opened with it. Pragmas go in the DSN because a pragma
// run on a pool reaches one connection only. _txlock=immediate makes the pool's transactions (the
// migrations) take the write lock at BEGIN.
func DSNFor(path, synchronous string) string {
	q := url.Values{}
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous("+synchronous+")")
	q.Set("_txlock", "immediate")
	// A '#', '?' or '%' in the path would otherwise start the DSN's query or an escape.
	return "file:" + escapePath(path) + "?" + q.Encode()
}

// readOnlyDSN is the DSN that reads the SQLite file at path and never writes it (a backup's
// source and its check, a file looked at before it is opened as LAW's), waiting for a writer as
// LAW's own connections do.
func readOnlyDSN(path string) string {
	return "file:" + escapePath(path) + "?mode=ro&_pragma=busy_timeout(10000)"
}

// CreatePrivate creates the database file at path, empty and readable by its owner only (0600,
// whatever the umask), unless it exists; SQLite gives its -wal and -shm files the same mode. It
// returns the error of creating it.
func CreatePrivate(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	if err := f.Chmod(0o600); err != nil { // the umask may have taken bits away, never added
		f.Close()
		return fmt.Errorf("create %s: %w", path, err)
	}
	return f.Close()
}

// MakePrivate makes the database file at path and its -wal and -shm files readable by their owner
// only (0600); files that do not exist are skipped. It returns the first error of changing a mode.
func MakePrivate(path string) error {
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if err := os.Chmod(p, 0o600); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("restrict %s to its owner: %w", p, err)
		}
	}
	return nil
}

// Open opens (creating if needed) and migrates the database at path, and marks it as LAW's
// (ApplicationID). It returns ErrTooNew for a database newer than this binary, ErrNotLAW for a file
// that holds another program's tables (WhatsApp's session file among them), and a wrapped error
// when the file cannot be opened, migrated or written.
func Open(ctx context.Context, path string) (*DB, error) {
	// Before the DSN's pragmas touch it: another program's file is left as it was.
	if err := checkLAW(ctx, path); err != nil {
		return nil, err
	}
	if err := CreatePrivate(path); err != nil {
		return nil, err
	}
	sqldb, err := sql.Open("sqlite", DSN(path))
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	// One connection writes (the writer); the others read, which WAL lets them do meanwhile.
	sqldb.SetMaxOpenConns(4)
	d := &DB{db: sqldb, notify: make(chan struct{}, 1)}
	if err := d.migrate(ctx); err != nil {
		sqldb.Close()
		return nil, fmt.Errorf("migrate %s: %w", path, err)
	}
	if err := d.startWriter(ctx); err != nil {
		sqldb.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	// The mark is also the probe: a database that cannot be written (a read-only file or mount, a
	// full disk) stops the start here, with the reason, instead of failing every message later.
	if err := d.write(ctx, func(t *tx) error {
		_, err := t.exec(fmt.Sprintf("PRAGMA application_id = %d", ApplicationID))
		return err
	}); err != nil {
		d.Close()
		return nil, fmt.Errorf("%s cannot be written: %w", path, err)
	}
	if err := MakePrivate(path); err != nil {
		d.Close()
		return nil, err
	}
	return d, nil
}

// Close stops the writer and closes the database. Writes after Close return ErrClosed.
func (d *DB) Close() error {
	d.stopWriter()
	return d.db.Close()
}

// SQL returns the underlying handle, for tests and benchmarks.
func (d *DB) SQL() *sql.DB { return d.db }

// Notify is signalled after a commit that queued outgoing messages.
func (d *DB) Notify() <-chan struct{} { return d.notify }

func (d *DB) poke() {
	select {
	case d.notify <- struct{}{}:
	default:
	}
}

type migration struct {
	version int
	name    string
	sql     string
}

func loadMigrations() ([]migration, error) {
	entries, err := fs.ReadDir(migrations, "migrations")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, e := range entries {
		n, _, ok := strings.Cut(e.Name(), "-")
		v, err := strconv.Atoi(n)
		if !ok || err != nil {
			return nil, fmt.Errorf("migration %s: name must start with its number", e.Name())
		}
		b, err := migrations.ReadFile("migrations/" + e.Name())
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{v, e.Name(), string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for i, m := range ms {
		if m.version != i+1 {
			return nil, fmt.Errorf("migration %s: expected number %d", m.name, i+1)
		}
	}
	return ms, nil
}

// Version is the schema version this binary writes.
func Version() int {
	ms, err := loadMigrations()
	if err != nil {
		return 0
	}
	return len(ms)
}

func (d *DB) migrate(ctx context.Context) error {
	ms, err := loadMigrations()
	if err != nil {
		return err
	}
	var fk int
	if err := d.db.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk); err != nil {
		return err
	}
	if fk != 1 {
		return errors.New("foreign keys are off; refusing to run without them")
	}
	var cur int
	if err := d.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&cur); err != nil {
		return err
	}
	if cur > len(ms) {
		return fmt.Errorf("%w: schema version %d, this binary knows %d", ErrTooNew, cur, len(ms))
	}
	for _, m := range ms[cur:] {
		// Each migration and its version bump in one transaction: a crash leaves the old version.
		tx, err := d.db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, m.sql); err != nil {
			tx.Rollback()
			return fmt.Errorf("%s: %w", m.name, err)
		}
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", m.version)); err != nil {
			tx.Rollback()
			return fmt.Errorf("%s: %w", m.name, err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("%s: %w", m.name, err)
		}
	}
	return nil
}

// NewMessageID returns a fresh id in WhatsApp's own form (3EB0 and upper-case hex).
func NewMessageID() string {
	var b [9]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
	return "3EB0" + strings.ToUpper(hex.EncodeToString(b[:]))
}

func ms(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

func fromMS(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return time.UnixMilli(v)
}
