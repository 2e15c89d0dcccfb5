//go:build !unix

package wa

import "errors"

// ErrLocked is returned by LockDirs when another LAW holds the data folder.
var ErrLocked = errors.New("another copy of LAW is running on this data folder")

// Lock is a held lock on a data folder.
type Lock struct{}

// LockName is the lock file's name, beside the bot's database.
const LockName = "law.lock"

// LockDirs does nothing on systems without flock: LAW runs on Linux, and this only keeps the
// build going elsewhere.
func LockDirs(dirs ...string) (*Lock, error) { return &Lock{}, nil }

// Release does nothing.
func (l *Lock) Release() error { return nil }
