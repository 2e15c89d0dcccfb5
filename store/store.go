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

// DSN returns the modernc DSN for path. Pragmas go in the DSN because a pragma run on a pool
// reaches one connection only. synchronous(FULL): a commit is on disk before it returns, because
// an incoming message is acknowledged to WhatsApp right after its commit and is never delivered
// again; group commit (writer.go) pays that sync once per batch. _txlock=immediate makes the
// pool's transactions (the migrations) take the write lock at BEGIN.
func DSN(path string) string {
	q := url.Values{}
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(FULL)")
	q.Set("_txlock", "immediate")
	// A '#', '?' or '%' in the path would otherwise start the DSN's query or an escape.
	path = strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(path)
	return "file:" + path + "?" + q.Encode()
}

// Open opens (creating if needed) and migrates the database at path. It returns ErrTooNew for a
// database newer than this binary, and a wrapped error when the file cannot be opened or migrated.
func Open(ctx context.Context, path string) (*DB, error) {
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
