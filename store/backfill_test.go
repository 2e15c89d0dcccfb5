package store

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
)

// TestCountsMigrationBackfills opens a database written before the counts (schema 3) with seats
// and bookings in it: the migration fills the counts and the seats' use from what is there.
func TestCountsMigrationBackfills(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "law.db")
	ms, err := loadMigrations()
	if err != nil {
		t.Fatal(err)
	}
	old, err := sql.Open("sqlite", DSN(path))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms[:3] {
		if _, err := old.Exec(m.sql); err != nil {
			t.Fatalf("%s: %v", m.name, err)
		}
	}
	setup := []string{
		`INSERT INTO days (date, layout) VALUES ('2026-12-01', '2,2')`,
		`INSERT INTO seats (date, number, win) VALUES ('2026-12-01', 1, 1), ('2026-12-01', 2, 1),
			('2026-12-01', 3, 2), ('2026-12-01', 4, 2)`,
		`INSERT INTO seats (date, number, win, retired) VALUES ('2026-12-01', 5, 2, 1)`,
		`INSERT INTO bookings (date, number, name, passport_type, phone, chat, status, created_at, updated_at)
			VALUES ('2026-12-01', 1, 'A', 'EP10', 'p', 'c', 'served', 0, 0),
			('2026-12-01', 2, 'B', 'EP10', 'p', 'c', 'cancelled', 0, 0),
			('2026-12-01', 3, 'C', 'EP10', 'p', 'c', 'booked', 0, 0)`,
		`PRAGMA user_version = 3`,
	}
	for _, q := range setup {
		if _, err := old.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	old.Close()

	d, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	var got string
	if err := d.db.QueryRow(`SELECT group_concat(win || ':' || open || '/' || used, ' ')
		FROM (SELECT * FROM window_seats ORDER BY win)`).Scan(&got); err != nil {
		t.Fatal(err)
	}
	if got != "1:2/1 2:2/1" {
		t.Errorf("counts after the migration: %s, want 1:2/1 2:2/1", got)
	}
	if err := d.db.QueryRow(`SELECT group_concat(number, ',') FROM (SELECT number FROM seats
		WHERE used = 1 ORDER BY number)`).Scan(&got); err != nil {
		t.Fatal(err)
	}
	if got != "1,3" {
		t.Errorf("seats in use after the migration: %s, want 1,3", got)
	}
	// Every later migration ran on the old data too, and left no reference dangling.
	var v, dangling int
	if err := d.db.QueryRow(`PRAGMA user_version`).Scan(&v); err != nil || v != Version() {
		t.Errorf("schema version %d (%v), want %d", v, err, Version())
	}
	if err := d.db.QueryRow(`SELECT count(*) FROM pragma_foreign_key_check`).Scan(&dangling); err != nil || dangling != 0 {
		t.Errorf("%d foreign keys dangling after the migrations (%v)", dangling, err)
	}
}
