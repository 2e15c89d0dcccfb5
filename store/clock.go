package store

import (
	"context"
	"fmt"
	"strconv"
	"time"
)

// lastSeenKey is the settings row that holds the latest time LAW has seen, in Unix milliseconds,
// for clockcheck: a start whose clock is far from it runs nothing that cannot be undone.
const lastSeenKey = "clock.last_seen"

// noteTimeSQL moves the latest time seen forward to ?, never back.
const noteTimeSQL = `INSERT INTO settings (key, value) VALUES (?, ?)
	ON CONFLICT (key) DO UPDATE SET value = excluded.value
	WHERE CAST(excluded.value AS INTEGER) > CAST(settings.value AS INTEGER)`

// lastSeenSQL reads the latest time seen, or what a database from before it was recorded shows.
const lastSeenSQL = `SELECT coalesce(
		(SELECT CAST(value AS INTEGER) FROM settings WHERE key = ?),
		max(coalesce((SELECT max(received_at) FROM inbox), 0), coalesce((SELECT max(ran_at) FROM job_runs), 0)))`

// NoteTime records at as the latest time LAW has seen, unless a later one is recorded. The bot
// calls it in the transaction of each message it handles and each job it runs, while the clock is
// trusted.
func (t *tx) NoteTime(at time.Time) error {
	if _, err := t.exec(noteTimeSQL, lastSeenKey, strconv.FormatInt(at.UnixMilli(), 10)); err != nil {
		return fmt.Errorf("note the time: %w", err)
	}
	return nil
}

// LastSeen returns the latest time LAW has seen: the time recorded by NoteTime or, in a database
// from before it was recorded, the latest message received or job run. Zero for a new database.
// It returns an error when the database cannot be read.
func (d *DB) LastSeen(ctx context.Context) (time.Time, error) {
	var v int64
	err := d.db.QueryRowContext(ctx, lastSeenSQL, lastSeenKey).Scan(&v)
	if err != nil {
		return time.Time{}, fmt.Errorf("read the latest time seen: %w", err)
	}
	return fromMS(v), nil
}

// NoteTime records at as the latest time LAW has seen, unless a later one is recorded; with force,
// it records at even when that moves it back (the clock was confirmed: the later time was wrong).
// It returns an error when the database cannot be written.
func (d *DB) NoteTime(ctx context.Context, at time.Time, force bool) error {
	q := noteTimeSQL
	if force {
		q = `INSERT INTO settings (key, value) VALUES (?, ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`
	}
	if err := d.write(ctx, func(t *tx) error {
		_, err := t.exec(q, lastSeenKey, strconv.FormatInt(at.UnixMilli(), 10))
		return err
	}); err != nil {
		return fmt.Errorf("note the time: %w", err)
	}
	return nil
}
