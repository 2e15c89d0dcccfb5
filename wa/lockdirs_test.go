//go:build unix

package wa

import (
	"errors"
	"path/filepath"
	"testing"
)

// Two copies whose databases are in different folders but share the session's folder: the second
// is refused, and holds nothing afterwards.
func TestLockDirsCoversTheSessionFolder(t *testing.T) {
	t.Parallel()
	dbA, dbB, session := t.TempDir(), t.TempDir(), t.TempDir()
	first, err := LockDirs(dbA, session, dbA)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := LockDirs(dbB, session); !errors.Is(err, ErrLocked) {
		t.Fatalf("second copy on the same session folder: %v, want ErrLocked", err)
	}
	// The refused copy released the folder it had taken first.
	b, err := LockDirs(dbB)
	if err != nil {
		t.Fatalf("the refused copy kept its database folder locked: %v", err)
	}
	b.Release()
	if err := first.Release(); err != nil {
		t.Fatal(err)
	}
	again, err := LockDirs(dbB, filepath.Join(session, "."))
	if err != nil {
		t.Fatalf("lock after release: %v", err)
	}
	again.Release()
}
