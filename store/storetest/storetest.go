// Package storetest is the test kit of LAW's database, in the manner of net/http/httptest: one
// opener of a fresh database in the test's temporary folder, and one quiet logger.
package storetest

import (
	"bytes"
	"context"
	"database/sql"
	"io"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"

	"law/bot"
	"law/store"
)

// OpenTemp opens a fresh bot database in the test's temporary folder, closed at the test's end,
// and returns it with its path.
func OpenTemp(tb testing.TB) (*store.DB, string) {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "law.db")
	return OpenPath(tb, path), path
}

// Open opens a fresh bot database in the test's temporary folder, closed at the test's end.
func Open(tb testing.TB) *store.DB {
	tb.Helper()
	return OpenPath(tb, filepath.Join(tb.TempDir(), "law.db"))
}

// OpenPath opens (creating or migrating) the bot database at path, closed at the test's end.
func OpenPath(tb testing.TB, path string) *store.DB {
	tb.Helper()
	db, err := store.Open(context.Background(), path)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// Update runs fn in one write transaction and fails the test on error.
func Update(tb testing.TB, db *store.DB, fn func(bot.Tx) error) {
	tb.Helper()
	if err := db.Update(context.Background(), fn); err != nil {
		tb.Fatal(err)
	}
}

// Quiet returns a logger that writes nothing, for code under test that must log somewhere.
func Quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// LogBuffer collects log lines written from many goroutines, for tests that read the log.
type LogBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

// Write appends p.
func (l *LogBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// String returns everything written so far.
func (l *LogBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// Logger returns a debug-level logger writing into the buffer.
func (l *LogBuffer) Logger() *slog.Logger {
	return slog.New(slog.NewTextHandler(l, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// PlainSQLite creates a SQLite file at path that is not LAW's, with the statements run on it: the
// file of another program, or WhatsApp's session, given where LAW's database belongs.
func PlainSQLite(tb testing.TB, path string, stmts ...string) {
	tb.Helper()
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			tb.Fatalf("%s: %v", s, err)
		}
	}
}
