package wa

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// TestMain makes one device before the tests run in parallel: libsignal sets up its package
// logger lazily on first use, without a lock, and parallel first uses race.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "wa-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	session, err := OpenSession(context.Background(), filepath.Join(dir, "whatsapp.db"), nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	session.NewDevice()
	session.Close()
	os.RemoveAll(dir)
	os.Exit(m.Run())
}
