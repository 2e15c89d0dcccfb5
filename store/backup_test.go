package store_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"law/bot"
	"law/store"
	"law/store/storetest"
)

func TestBackupIsACheckedPrivateCopy(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.Open(t)
	at := time.Date(2026, 12, 1, 7, 0, 0, 0, time.UTC)
	if _, err := db.SaveInbound(ctx, bot.Incoming{ID: "B1", Phone: "6280000000001", Chat: "6280000000001",
		Text: "halo", At: at}); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "copy.db")
	if err := os.WriteFile(path, []byte("an older copy"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := db.Backup(ctx, path); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("backup mode %v, want 0600", fi.Mode().Perm())
	}
	if err := store.CheckIntegrity(ctx, path); err != nil {
		t.Error(err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("the backup folder holds %d files, want only the copy (no temporary left)", len(entries))
	}
	copyDB := storetest.OpenPath(t, path)
	var n int
	if err := copyDB.SQL().QueryRow(`SELECT count(*) FROM inbox WHERE id = 'B1'`).Scan(&n); err != nil || n != 1 {
		t.Errorf("the copy holds %d of the stored message, %v", n, err)
	}
}

func TestBackupIntoAMissingFolderFails(t *testing.T) {
	t.Parallel()
	db := storetest.Open(t)
	if err := db.Backup(context.Background(), filepath.Join(t.TempDir(), "no", "such", "law.db")); err == nil {
		t.Error("a backup into a missing folder succeeded")
	}
}

func TestRotateKeepsTheNewest(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, name := range []string{"law-2026-11-28.db", "law-2026-11-30.db", "law-2026-12-01.db",
		"law-2026-11-29.db", "notes.txt", "law-latest.db"} {
		if err := os.WriteFile(filepath.Join(dir, name), nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	deleted, err := store.Rotate(dir, 2)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"law-2026-11-28.db", "law-2026-11-29.db"}; !slices.Equal(deleted, want) {
		t.Errorf("deleted %v, want %v", deleted, want)
	}
	var left []string
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		left = append(left, e.Name())
	}
	if want := []string{"law-2026-11-30.db", "law-2026-12-01.db", "law-latest.db", "notes.txt"}; !slices.Equal(left, want) {
		t.Errorf("left %v, want %v", left, want)
	}
	if got := store.BackupName(time.Date(2026, 12, 1, 1, 45, 0, 0, time.UTC)); got != "law-2026-12-01.db" {
		t.Errorf("BackupName = %q", got)
	}
}
