package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// ErrClosed is returned by writes after Close.
var ErrClosed = errors.New("database is closed")

// The writer is the one goroutine that writes. SQLite takes one writer at a time anyway; doing all
// writes on one connection lets the statements stay prepared there, and lets the writer commit
// the work of many callers in one transaction (group commit): each caller's work runs inside its
// own savepoint, so a failing one is undone alone, and every caller returns only after the commit
// that holds its work. Per caller the effect is the same as a transaction of its own.
type writer struct {
	conn  *sql.Conn
	reqs  chan *request
	quit  chan struct{}
	done  chan struct{}
	once  sync.Once
	stmts map[string]*sql.Stmt // prepared on conn; touched by the writer goroutine only
	// rolledBack is set when SQLite ends the transaction itself: a statement or COMMIT that fails
	// with a full disk or an I/O error may roll the whole transaction back, and a ROLLBACK after
	// that fails with "no transaction is active". Reset at each BEGIN.
	rolledBack atomic.Bool
	hooked     bool // the driver tells of rollbacks (rolledBack is meaningful)
	// lastErr is the last write failure that no commit has followed; nil after a commit.
	lastErr atomic.Pointer[error]
	ckpt    chan struct{} // a commit happened: the WAL wants a checkpoint
	// ckptDone is closed when the checkpointer has stopped.
	ckptDone chan struct{}
}

type request struct {
	ctx    context.Context
	fn     func(*tx) error
	result chan error
	sent   bool
	office bool
}

// maxBatch bounds how much work one commit holds, so that one caller never waits behind too many.
const maxBatch = 64

func (d *DB) startWriter(ctx context.Context) error {
	conn, err := d.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("open the writing connection: %w", err)
	}
	// The writer never checkpoints: checkpointLoop does, beside it. Its page cache holds the
	// indexes that every message writes into at random places (message ids, phone numbers),
	// which outgrow SQLite's default 2 MB after months of history: 32 MB instead.
	for _, q := range []string{"PRAGMA wal_autocheckpoint = 0", "PRAGMA cache_size = -32768"} {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			conn.Close()
			return fmt.Errorf("open the writing connection: %w", err)
		}
	}
	w := &writer{conn: conn, reqs: make(chan *request), quit: make(chan struct{}),
		done: make(chan struct{}), stmts: make(map[string]*sql.Stmt),
		ckpt: make(chan struct{}, 1), ckptDone: make(chan struct{})}
	if err := conn.Raw(func(dc any) error {
		if h, ok := dc.(interface{ RegisterRollbackHook(sqlite.RollbackHookFn) }); ok {
			h.RegisterRollbackHook(func() { w.rolledBack.Store(true) })
			w.hooked = true
		}
		return nil
	}); err != nil {
		conn.Close()
		return fmt.Errorf("open the writing connection: %w", err)
	}
	d.w = w
	go d.writeLoop()
	go d.checkpointLoop()
	return nil
}

// checkpointEvery is the least time between two checkpoints: each one syncs the database file.
const checkpointEvery = 200 * time.Millisecond

// checkpointLoop copies the WAL into the database file in the background, on a reader
// connection, a little after commits. Left to SQLite's automatic checkpoint, the commit that
// takes the WAL past 1,000 pages would copy them all before it returned, and every handler in
// its batch would wait for that: the slowest commits of a rush, and most of the longest
// transactions of the night jobs. PASSIVE waits for nobody (the writer goes on appending to the
// WAL meanwhile) and does what it can; the next commit asks again. A failed checkpoint loses
// nothing (the WAL only grows until the next one), so its error is not reported.
func (d *DB) checkpointLoop() {
	defer close(d.w.ckptDone)
	for {
		select {
		case <-d.w.ckpt:
		case <-d.w.quit:
			return
		}
		_, _ = d.db.ExecContext(context.Background(), "PRAGMA wal_checkpoint(PASSIVE)")
		select {
		case <-time.After(checkpointEvery):
		case <-d.w.quit:
			return
		}
	}
}

// write runs fn in the writer's transaction and returns once it is committed (nil), undone
// (fn's error), or lost with the whole batch (the commit's error).
func (d *DB) write(ctx context.Context, fn func(*tx) error) error {
	r := &request{ctx: ctx, fn: fn, result: make(chan error, 1)}
	select {
	case d.w.reqs <- r:
	case <-d.w.quit:
		return ErrClosed
	case <-ctx.Done():
		return ctx.Err()
	}
	// The writer always answers a request it took, so waiting here cannot hang.
	return <-r.result
}

func (d *DB) writeLoop() {
	defer close(d.w.done)
	for {
		var first *request
		select {
		case first = <-d.w.reqs:
		case <-d.w.quit:
			return
		}
		batch := []*request{first}
	gather:
		for len(batch) < maxBatch {
			select {
			case r := <-d.w.reqs:
				batch = append(batch, r)
			default:
				break gather
			}
		}
		d.commitBatch(batch)
	}
}

func (d *DB) commitBatch(batch []*request) {
	results := make([]error, len(batch))
	err := d.runBatch(batch, results)
	d.noteWrite(err, results)
	poke, office := false, false
	for i, r := range batch {
		if err != nil && results[i] == nil {
			results[i] = err
		}
		poke = poke || (results[i] == nil && r.sent)
		office = office || (results[i] == nil && r.office)
	}
	// The sender hears of the new messages before any caller returns, so a caller that waits for
	// them (Flush after Update) cannot miss them.
	if poke {
		d.poke()
	}
	if office {
		d.broadcast()
	}
	if err == nil {
		select {
		case d.w.ckpt <- struct{}{}:
		default:
		}
	}
	for i, r := range batch {
		r.result <- results[i]
	}
}

// runBatch runs every request of the batch in one transaction, each in a savepoint. It returns
// an error when the transaction as a whole failed: then nothing of the batch was kept.
func (d *DB) runBatch(batch []*request, results []error) (err error) {
	// database/sql re-prepares a connection's statements inside a *sql.Tx, so the transaction is
	// plain SQL on the writer's connection, where the prepared statements stay prepared.
	ctx := context.Background() // a caller's cancellation must not abort the others' commit
	w := &tx{db: d, ctx: ctx}
	d.w.rolledBack.Store(false)
	if _, err := w.exec("BEGIN IMMEDIATE"); err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer func() {
		if err != nil && !d.sqliteRolledBack() {
			if _, rerr := w.exec("ROLLBACK"); rerr != nil {
				err = fmt.Errorf("%w (and the rollback failed: %v)", err, rerr)
			}
		}
	}()
	for i, r := range batch {
		if err := r.ctx.Err(); err != nil {
			results[i] = err
			continue
		}
		if _, err := w.exec("SAVEPOINT work"); err != nil {
			return fmt.Errorf("savepoint: %w", err)
		}
		t := &tx{db: d, ctx: r.ctx}
		results[i] = runGuarded(r.fn, t)
		if results[i] != nil && d.sqliteRolledBack() {
			// The failure ended the whole transaction: the batch is lost, and says why.
			return fmt.Errorf("transaction rolled back: %w", results[i])
		}
		if results[i] != nil {
			if _, err := w.exec("ROLLBACK TO work"); err != nil {
				return fmt.Errorf("undo one unit of work: %w (after %v)", err, results[i])
			}
		}
		if _, err := w.exec("RELEASE work"); err != nil {
			return fmt.Errorf("release savepoint: %w", err)
		}
		r.sent = results[i] == nil && t.sent
		r.office = results[i] == nil && t.office
	}
	if _, err := w.exec("COMMIT"); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// sqliteRolledBack reports whether SQLite itself rolled the writer's transaction back.
func (d *DB) sqliteRolledBack() bool { return d.w.hooked && d.w.rolledBack.Load() }

// noteWrite keeps the batch's failure, or a unit of work's failure of the storage itself (a full
// disk, a read-only file, an I/O error), for LastWriteError; a clean commit clears it.
func (d *DB) noteWrite(err error, results []error) {
	if err == nil {
		for _, r := range results {
			if storageFailure(r) {
				err = r
				break
			}
		}
	}
	if err == nil {
		d.w.lastErr.Store(nil)
		return
	}
	d.w.lastErr.Store(&err)
}

// storageFailure reports whether err is SQLite failing to store at all, rather than a unit of
// work refused on its merits (a constraint, a business rule).
func storageFailure(err error) bool {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return false
	}
	switch se.Code() & 0xff { // the primary result code
	case sqlite3.SQLITE_READONLY, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_FULL,
		sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_NOTADB:
		return true
	}
	return false
}

// LastWriteError returns why the last write failed, when no commit has succeeded since: then the
// database cannot be written (a full disk, a read-only file), for /healthz. nil after a commit.
func (d *DB) LastWriteError() error {
	if p := d.w.lastErr.Load(); p != nil {
		return *p
	}
	return nil
}

// runGuarded runs fn, turning a panic into an error so that one bad unit of work cannot take the
// writer, and with it every other caller, down.
func runGuarded(fn func(*tx) error, t *tx) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic in a database transaction: %v\n%s", p, debug.Stack())
		}
	}()
	return fn(t)
}

// prepared returns the writer connection's statement for q, preparing it on first use.
func (d *DB) prepared(ctx context.Context, q string) (*sql.Stmt, error) {
	if st, ok := d.w.stmts[q]; ok {
		return st, nil
	}
	st, err := d.w.conn.PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	d.w.stmts[q] = st
	return st, nil
}

func (d *DB) stopWriter() {
	d.w.once.Do(func() {
		close(d.w.quit)
		<-d.w.done
		<-d.w.ckptDone
		for _, st := range d.w.stmts {
			st.Close()
		}
		d.w.conn.Close()
	})
}
