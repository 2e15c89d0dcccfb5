//go:build unix

package wa

import (
	"errors"
	"testing"
)

func TestLockDir(t *testing.T) {
	dir := t.TempDir()
	first, err := LockDirs(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := LockDirs(dir); !errors.Is(err, ErrLocked) {
		t.Fatalf("second lock: %v, want ErrLocked", err)
	}
	if err := first.Release(); err != nil {
		t.Fatal(err)
	}
	again, err := LockDirs(dir)
	if err != nil {
		t.Fatalf("lock after release: %v", err)
	}
	again.Release()
}
