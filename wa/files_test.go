//go:build unix

package wa

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"law/store"
)

// TestDatabasesInOddFolderArePrivate opens both databases in a folder named law#2 under a lax
// umask: each must land in that folder (a '#' once cut the path short, opening a file named
// "law"), and each file, with its -wal and -shm, must be readable by its owner only.
func TestDatabasesInOddFolderArePrivate(t *testing.T) {
	// No t.Parallel: the umask is the process's.
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	parent := t.TempDir()
	dir := filepath.Join(parent, "law#2")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	session, err := OpenSession(ctx, filepath.Join(dir, "whatsapp.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer session.Close()
	db, err := store.Open(ctx, filepath.Join(dir, "law.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if entries, _ := os.ReadDir(parent); len(entries) != 1 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("files beside the data folder: %v; want only law#2", names)
	}
	for _, name := range []string{"whatsapp.db", "whatsapp.db-wal", "whatsapp.db-shm", "law.db", "law.db-wal", "law.db-shm"} {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v, want 0600", name, fi.Mode().Perm())
		}
	}
}
