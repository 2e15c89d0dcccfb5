package store_test

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"law/store"
	"law/store/storetest"
)

func TestOpenRefusesAnotherProgramsFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ctx := context.Background()
	tests := map[string]struct {
		stmts []string
		want  string
	}{
		"whatsmeow session": {[]string{"CREATE TABLE whatsmeow_device (jid TEXT)", "CREATE TABLE whatsmeow_version (version INTEGER)"},
			"WhatsApp session file"},
		"other tables":   {[]string{"CREATE TABLE foo (a)", "CREATE TABLE bar (b)"}, "tables bar, foo"},
		"other program":  {[]string{"PRAGMA application_id = 1234", "CREATE TABLE a (b)"}, "application id is 0x4d2"},
		"half of LAW v0": {[]string{"CREATE TABLE bookings (a)", "CREATE TABLE inbox (a)"}, "is not a LAW database"},
	}
	for name, tt := range tests {
		path := filepath.Join(dir, strings.ReplaceAll(name, " ", "_")+".db")
		storetest.PlainSQLite(t, path, tt.stmts...)
		_, err := store.Open(ctx, path)
		if !errors.Is(err, store.ErrNotLAW) || !strings.Contains(err.Error(), tt.want) ||
			!strings.Contains(err.Error(), "is not a LAW database") {
			t.Errorf("%s: Open = %v, want ErrNotLAW naming %q", name, err, tt.want)
		}
		// Nothing was added to the file, and its journal mode was left alone.
		db, _ := sql.Open("sqlite", "file:"+path+"?mode=ro")
		var mode string
		var tables int
		db.QueryRow("PRAGMA journal_mode").Scan(&mode)
		db.QueryRow("SELECT count(*) FROM sqlite_schema WHERE name = 'seats'").Scan(&tables)
		db.Close()
		if mode != "delete" || tables != 0 {
			t.Errorf("%s: after the refusal the file is in journal mode %q with %d LAW tables", name, mode, tables)
		}
	}
}

func TestOpenMarksLAWDatabases(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "law.db")
	d, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	var id int
	if err := d.SQL().QueryRow("PRAGMA application_id").Scan(&id); err != nil || id != store.ApplicationID {
		t.Fatalf("application_id of a new database = %#x, %v", id, err)
	}
	// A LAW database from before the mark: its tables at version >= 1 make it LAW's, and it is
	// marked on open.
	if _, err := d.SQL().Exec("PRAGMA application_id = 0"); err != nil {
		t.Fatal(err)
	}
	d.Close()
	if kind, _, err := store.Identify(ctx, path); err != nil || kind != store.KindLAW {
		t.Fatalf("Identify(unmarked LAW database) = %v, %v", kind, err)
	}
	d, err = store.Open(ctx, path)
	if err != nil {
		t.Fatalf("reopening an unmarked LAW database: %v", err)
	}
	d.SQL().QueryRow("PRAGMA application_id").Scan(&id)
	d.Close()
	if id != store.ApplicationID {
		t.Errorf("application_id after reopening = %#x", id)
	}
	if err := store.CheckNotLAW(ctx, path); !errors.Is(err, store.ErrIsLAW) {
		t.Errorf("CheckNotLAW(LAW's database) = %v, want ErrIsLAW", err)
	}
	for _, p := range []string{filepath.Join(t.TempDir(), "missing.db")} {
		if err := store.CheckNotLAW(ctx, p); err != nil {
			t.Errorf("CheckNotLAW(%s) = %v", p, err)
		}
	}
}
