package store

import (
	"context"
	"path/filepath"
	"testing"
)

// openInternal opens a fresh database in the test's temporary folder for the tests inside the
// package (storetest, which imports store, serves the others), closed at the test's end.
func openInternal(t *testing.T) *DB {
	t.Helper()
	d, err := Open(context.Background(), filepath.Join(t.TempDir(), "law.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}
