package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Backup writes a consistent copy of the database to path while LAW goes on working: VACUUM INTO
// reads one snapshot in a read transaction, so the copy holds every transaction committed before
// it began, including what is still in the WAL file (which a plain copy of law.db misses), and
// the writer is never held up. The copy is written under a temporary name in path's folder,
// created readable by its owner only, checked with PRAGMA integrity_check, synced to disk and
// only then renamed to path, replacing any file there: a failed backup never leaves a half copy
// under the real name. Only LAW's own database is copied, never the WhatsApp session keys. It
// returns an error naming the step that failed.
func (d *DB) Backup(ctx context.Context, path string) error {
	return backup(ctx, d.db, path)
}

// BackupFile is Backup for another process's database: it opens src read-only (nothing is
// migrated or written, whichever LAW runs on it) and copies it to dst as Backup does. It returns
// ErrNotLAW when src is not LAW's database, and an error naming the step that failed.
func BackupFile(ctx context.Context, src, dst string) error {
	kind, _, err := Identify(ctx, src)
	if err != nil {
		return err
	}
	if kind != KindLAW {
		return fmt.Errorf("%s is %w", src, ErrNotLAW)
	}
	db, err := sql.Open("sqlite", readOnlyDSN(src))
	if err != nil {
		return fmt.Errorf("open %s: %w", src, err)
	}
	defer db.Close()
	return backup(ctx, db, dst)
}

func backup(ctx context.Context, db *sql.DB, path string) (err error) {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*") // mode 0600
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	name := tmp.Name()
	tmp.Close()
	defer func() {
		if err != nil {
			os.Remove(name)
		}
	}()
	// VACUUM INTO fills an empty file; the pool's connections other than the writer's read.
	if _, err := db.ExecContext(ctx, "VACUUM INTO ?", name); err != nil {
		return fmt.Errorf("backup: copy the database: %w", err)
	}
	if err := CheckIntegrity(ctx, name); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if err := syncFile(name); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if err := os.Rename(name, path); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	// The rename itself is durable once the folder is synced.
	if err := syncFile(dir); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	return nil
}

// CheckIntegrity runs PRAGMA integrity_check on the database file at path, read-only, and returns
// nil when SQLite finds it sound, or an error with the first problems it lists.
func CheckIntegrity(ctx context.Context, path string) error {
	db, err := sql.Open("sqlite", readOnlyDSN(path))
	if err != nil {
		return fmt.Errorf("check %s: %w", path, err)
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, "PRAGMA integrity_check(10)")
	if err != nil {
		return fmt.Errorf("check %s: %w", path, err)
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return fmt.Errorf("check %s: %w", path, err)
		}
		problems = append(problems, line)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("check %s: %w", path, err)
	}
	if len(problems) != 1 || problems[0] != "ok" {
		return fmt.Errorf("check %s: integrity check failed: %s", path, strings.Join(problems, "; "))
	}
	return nil
}

func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("sync %s: %w", path, err)
	}
	return nil
}

// BackupName is the nightly backup's file name for the office date of t: law-2026-12-01.db.
func BackupName(t time.Time) string { return "law-" + t.Format("2006-01-02") + ".db" }

var backupName = regexp.MustCompile(`^law-\d{4}-\d{2}-\d{2}\.db$`)

// Rotate deletes the nightly backups in dir beyond the keep newest (by the date in their names).
// Other files are left alone. It returns the names deleted, and an error when dir cannot be read
// or a file cannot be deleted.
func Rotate(dir string, keep int) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("rotate backups: %w", err)
	}
	var names []string
	for _, e := range entries {
		if e.Type().IsRegular() && backupName.MatchString(e.Name()) {
			names = append(names, e.Name())
		}
	}
	slices.Sort(names)
	var deleted []string
	var errs []error
	for len(names) > max(keep, 1) {
		if err := os.Remove(filepath.Join(dir, names[0])); err != nil {
			errs = append(errs, err)
		} else {
			deleted = append(deleted, names[0])
		}
		names = names[1:]
	}
	if err := errors.Join(errs...); err != nil {
		return deleted, fmt.Errorf("rotate backups: %w", err)
	}
	return deleted, nil
}
