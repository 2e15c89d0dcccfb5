package main

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"law/config"
	"law/store"
	"law/store/storetest"
)

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
