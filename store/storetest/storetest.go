// Package storetest is the test kit of LAW's database, in the manner of net/http/httptest: one
// opener of a fresh database in the test's temporary folder, and one quiet logger.
package storetest

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"testing"

	"law/bot"
	"law/store"
)

// Open opens a fresh bot database in the test's temporary folder, closed at the test's end.
func Open(tb testing.TB) *store.DB {
	tb.Helper()
	db, _ := OpenPath(tb, filepath.Join(tb.TempDir(), "law.db"))
	return db
}

// OpenPath opens (creating or migrating) the bot database at path, closed at the test's end, and
// returns it with its path.
func OpenPath(tb testing.TB, path string) (*store.DB, string) {
	tb.Helper()
	db, err := store.Open(context.Background(), path)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db, path
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
