package store

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

// A full disk (SQLITE_FULL, here from max_page_count) may roll the whole transaction back inside
// SQLite: the error must say what happened without "(and the rollback failed: … no transaction is
// active)", LastWriteError must hold it, and the next write must work once there is room again.
func TestWriteOnAFullDisk(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d := openInternal(t)
	if err := d.LastWriteError(); err != nil {
		t.Fatalf("LastWriteError after open = %v", err)
	}
	var pages int
	if err := d.w.conn.QueryRowContext(ctx, "PRAGMA page_count").Scan(&pages); err != nil {
		t.Fatal(err)
	}
	if _, err := d.w.conn.ExecContext(ctx, fmt.Sprintf("PRAGMA max_page_count = %d", pages+2)); err != nil {
		t.Fatal(err)
	}
	big := strings.Repeat("x", 64<<10)
	var failed error
	for i := 0; i < 20 && failed == nil; i++ {
		failed = d.write(ctx, func(t *tx) error {
			_, err := t.exec(`INSERT INTO settings (key, value) VALUES (?, ?)`, fmt.Sprintf("filler%d", i), big)
			return err
		})
	}
	if failed == nil {
		t.Fatal("no write failed with the database capped at a few pages")
	}
	if !strings.Contains(failed.Error(), "full") || strings.Contains(failed.Error(), "rollback failed") {
		t.Errorf("write on a full database: %v", failed)
	}
	if err := d.LastWriteError(); err == nil {
		t.Error("LastWriteError is nil after a write failed for a full disk")
	}
	if _, err := d.w.conn.ExecContext(ctx, "PRAGMA max_page_count = 1000000"); err != nil {
		t.Fatal(err)
	}
	if err := d.SetSetting(ctx, "after", "ok"); err != nil {
		t.Fatalf("write after room was made: %v", err)
	}
	if err := d.LastWriteError(); err != nil {
		t.Errorf("LastWriteError after a commit = %v", err)
	}
}

// An interrupted write makes SQLite roll the whole transaction back by itself, as a full disk can
// at COMMIT: the writer must not then report "(and the rollback failed: … no transaction is
// active)", and must be able to write again.
func TestWriteRolledBackBySQLite(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d := openInternal(t)
	// Two units of work in one batch, as group commit makes them: the first is interrupted, which
	// loses the second's work too, and the second must hear why.
	interrupted := func(t *tx) error {
		if _, err := t.exec(`INSERT INTO settings (key, value) VALUES ('kept?', 'no')`); err != nil {
			return err
		}
		// A statement far too long to finish, interrupted by its context (sqlite3_interrupt).
		cctx, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
		defer cancel()
		_, err := t.db.w.conn.ExecContext(cctx, `WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c
			LIMIT 1000000000) INSERT INTO settings SELECT 'k' || x, 'v' FROM c`)
		return err
	}
	other := func(t *tx) error {
		_, err := t.exec(`INSERT INTO settings (key, value) VALUES ('other', 'no')`)
		return err
	}
	batch := []*request{{ctx: ctx, fn: interrupted, result: make(chan error, 1)},
		{ctx: ctx, fn: other, result: make(chan error, 1)}}
	d.commitBatch(batch) // the writer goroutine is idle: nothing else writes meanwhile
	if err := <-batch[0].result; err == nil {
		t.Fatal("the interrupted write succeeded")
	}
	err := <-batch[1].result
	if err == nil || strings.Contains(err.Error(), "rollback failed") || !strings.Contains(err.Error(), "rolled back") {
		t.Errorf("the other unit of work in the rolled-back batch: %v", err)
	}
	if d.LastWriteError() == nil {
		t.Error("LastWriteError is nil after a batch was lost")
	}
	if err := d.SetSetting(ctx, "after", "ok"); err != nil {
		t.Fatalf("write after the interrupted one: %v", err)
	}
	for _, k := range []string{"kept?", "other"} {
		if v, err := d.Setting(ctx, k); err != nil || v != "" {
			t.Errorf("%s of the rolled-back transaction: %q, %v", k, v, err)
		}
	}
}
