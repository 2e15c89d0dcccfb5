//go:build unix

package wa

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// ErrLocked is returned by LockDirs when another LAW holds the data folder.
var ErrLocked = errors.New("another copy of LAW is running on this data folder")

// Lock is a held lock on one data folder or more.
type Lock struct{ files []*os.File }

// LockName is the lock file's name, beside the bot's database.
const LockName = "law.lock"

// LockDirs takes the lock of each folder in dirs (law.lock, created when missing), once per folder:
// the bot's database's and the WhatsApp session's, when the session is configured elsewhere. A
// second LAW on the same data or the same session stops before it starts: two copies on one
// WhatsApp session throw each other out ("stream replaced") and would send every reply twice. It
// returns ErrLocked, naming the holder's process id, when another process has one of them, holding
// nothing then. The kernel releases the locks when the process dies.
func LockDirs(dirs ...string) (*Lock, error) {
	l := &Lock{}
	seen := make(map[string]bool)
	for _, dir := range dirs {
		key := filepath.Clean(dir)
		if abs, err := filepath.Abs(dir); err == nil {
			key = abs
		}
		if seen[key] {
			continue
		}
		seen[key] = true
		f, err := lockFile(dir)
		if err != nil {
			_ = l.Release()
			return nil, err
		}
		l.files = append(l.files, f)
	}
	return l, nil
}

// lockFile takes dir's lock file.
func lockFile(dir string) (*os.File, error) {
	path := filepath.Join(dir, LockName)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("lock the data folder: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		holder, _ := os.ReadFile(path)
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			pid := strings.TrimSpace(string(holder))
			if pid == "" {
				pid = "unknown"
			}
			return nil, fmt.Errorf("%w (%s is held by process %s); stop it first", ErrLocked, path, pid)
		}
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	// The pid is for the operator's error message only; the lock itself is the flock.
	if err := f.Truncate(0); err == nil {
		_, _ = f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	return f, nil
}

// Release drops the lock. The file stays: removing it would let a third process lock a new file
// while a second still waits on the old one.
func (l *Lock) Release() error {
	if l == nil {
		return nil
	}
	var errs []error
	for _, f := range l.files {
		_ = f.Truncate(0)
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("release the data folder lock %s: %w", f.Name(), err))
		}
	}
	l.files = nil
	return errors.Join(errs...)
}
