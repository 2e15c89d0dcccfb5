package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"law/config"
	"law/schedule"
	"law/store"
)

// cmdBackup is `law backup FILE`: a consistent, checked copy of the bot's database, taken while
// LAW runs or not. The database is opened read-only, so a backup never migrates or writes it.
func cmdBackup(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: law backup [-config FILE] [-db FILE] BACKUP_FILE")
		fs.PrintDefaults()
	}
	var c common
	c.register(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errors.New("name one file to write the backup to, such as law-backup.db")
	}
	dst := fs.Arg(0)
	cfg, err := c.load()
	if err != nil {
		return err
	}
	if err := checkBackupTarget(cfg, dst); err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if _, err := os.Stat(cfg.Database.Path); err != nil {
		return fmt.Errorf("database %s: %w", cfg.Database.Path, err)
	}
	start := time.Now()
	if err := store.BackupFile(ctx, cfg.Database.Path, dst); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "backup of %s written to %s and checked (%s)\n", cfg.Database.Path, dst,
		time.Since(start).Round(time.Millisecond))
	return nil
}

// checkBackupTarget refuses a target that is the database itself, the WhatsApp session, or an
// existing file that is not a LAW database (a backup replaces an older backup, nothing else).
func checkBackupTarget(cfg *config.Config, dst string) error {
	for _, p := range []string{cfg.Database.Path, cfg.SessionPath()} {
		if same(dst, p) {
			return fmt.Errorf("%s is the live database or the WhatsApp session: write the backup to another file", dst)
		}
	}
	kind, _, err := store.Identify(context.Background(), dst)
	if err != nil {
		return fmt.Errorf("%s exists and is not a LAW backup (%v): choose another file", dst, err)
	}
	if kind != store.KindNew && kind != store.KindLAW {
		return fmt.Errorf("%s exists and is not a LAW backup: choose another file", dst)
	}
	return nil
}

// same reports whether two paths name one file: the same path, or the same existing file.
func same(a, b string) bool {
	if filepath.Clean(a) == filepath.Clean(b) {
		return true
	}
	fa, errA := os.Stat(a)
	fb, errB := os.Stat(b)
	return errA == nil && errB == nil && os.SameFile(fa, fb)
}

// backupJob is the nightly backup ([backup] in the configuration) for the scheduler: a copy named
// for its office date (law-2026-12-01.db) in cfg.Backup.Dir, then all but the cfg.Backup.Keep
// newest deleted. An occurrence whose copy exists already does nothing, so a restart's catch-up
// makes no second copy. ok is false when the backup is off (dir empty).
func backupJob(cfg *config.Config, db *store.DB, log *slog.Logger) (job schedule.Job, ok bool) {
	b := cfg.Backup
	if strings.TrimSpace(b.Dir) == "" { // as the configuration's check reads it
		return schedule.Job{}, false
	}
	loc := cfg.Location()
	return schedule.Job{Name: "backup", Spec: b.Schedule, Run: func(ctx context.Context, due, _ time.Time) error {
		path := filepath.Join(b.Dir, store.BackupName(due.In(loc)))
		if _, err := os.Stat(path); err == nil {
			return nil
		}
		if err := os.MkdirAll(b.Dir, 0o700); err != nil {
			return fmt.Errorf("backup folder: %w", err)
		}
		start := time.Now()
		if err := db.Backup(ctx, path); err != nil {
			return err
		}
		deleted, err := store.Rotate(b.Dir, b.Keep)
		log.Info("backup written", "file", path, "took", time.Since(start).Round(time.Millisecond).String(),
			"old_deleted", len(deleted))
		return err
	}}, true
}
