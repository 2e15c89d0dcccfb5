package main

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"law/clock"
	"law/clockcheck"
	"law/config"
	"law/store"
	"law/store/storetest"
)

// A doubted start is confirmed while running: the catch-up runs then, once per confirmation, and
// the confirmed time is recorded even though it is earlier than the one seen before.
func TestCatchUpWhenTrusted(t *testing.T) {
	t.Parallel()
	db := storetest.Open(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	wrong := time.Date(2027, 4, 1, 7, 0, 0, 0, time.UTC)
	if err := db.NoteTime(ctx, wrong, false); err != nil {
		t.Fatal(err)
	}
	right := time.Date(2026, 12, 1, 7, 0, 0, 0, time.UTC)
	g, err := openGuard(ctx, db, right, false, storetest.Quiet())
	if err != nil {
		t.Fatal(err)
	}
	if g.Trusted() {
		t.Fatal("a clock four months behind the time seen is trusted")
	}
	var runs atomic.Int32
	ran := make(chan time.Time, 4)
	done := make(chan struct{})
	go func() {
		defer close(done)
		catchUpWhenTrusted(ctx, g, func(_ context.Context, now time.Time) error {
			runs.Add(1)
			ran <- now
			return nil
		}, db, clock.NewSim(right), storetest.Quiet())
	}()
	g.Observe(right.Add(-10*time.Second), right) // a message stamped by WhatsApp confirms it
	if now := <-ran; !now.Equal(right) {
		t.Errorf("catch-up as of %v, want %v", now, right)
	}
	cancel()
	<-done
	if n := runs.Load(); n != 1 {
		t.Errorf("catch-up ran %d times, want once", n)
	}
	if seen, err := db.LastSeen(context.Background()); err != nil || !seen.Equal(right) {
		t.Errorf("LastSeen after the confirmation = %v, %v; want %v", seen, err, right)
	}
	// And the next start on the right clock is trusted at once.
	if g, err := openGuard(context.Background(), db, right.Add(time.Hour), false, storetest.Quiet()); err != nil || !g.Trusted() {
		t.Errorf("next start after the confirmation: trusted %v, %v", g != nil && g.Trusted(), err)
	}
}

var _ regainer = (*clockcheck.Guard)(nil)

// The nightly backup writes one copy per office date, leaves a second occurrence of the same date
// alone, and keeps only the newest copies.
func TestBackupJob(t *testing.T) {
	t.Parallel()
	cfg := config.Default()
	dir := filepath.Join(t.TempDir(), "backups")
	cfg.Backup.Dir, cfg.Backup.Keep = dir, 2
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	if _, ok := backupJob(config.Default(), nil, storetest.Quiet()); ok {
		t.Error("the backup job is on by default")
	}
	db := storetest.Open(t)
	job, ok := backupJob(cfg, db, storetest.Quiet())
	if !ok || job.Spec != "45 1 * * *" {
		t.Fatalf("backupJob = %+v, %v", job, ok)
	}
	loc := cfg.Location()
	for _, day := range []int{1, 2, 2, 3} {
		due := time.Date(2026, 12, day, 1, 45, 0, 0, loc)
		if err := job.Run(context.Background(), due, due); err != nil {
			t.Fatal(err)
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if want := []string{"law-2026-12-02.db", "law-2026-12-03.db"}; !slices.Equal(names, want) {
		t.Errorf("backup folder holds %v, want %v", names, want)
	}
	if err := store.CheckIntegrity(context.Background(), filepath.Join(dir, names[len(names)-1])); err != nil {
		t.Error(err)
	}
}
