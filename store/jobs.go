package store

import (
	"database/sql"
	"errors"
	"fmt"
	"time"

	"law/bot"
)

// stamp sets a booking's timestamp column once: a repeated mark keeps the first time, so that a
// second /paid does not move the pickup date and a re-run job does not re-send. col is one of the
// column names below, never input.
func (t *tx) stamp(col string, id int64, at time.Time) error {
	res, err := t.exec(`UPDATE bookings SET `+col+` = ?, updated_at = ? WHERE id = ? AND `+col+` = 0`,
		ms(at), ms(at), id)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n == 1 {
		return err
	}
	var one int
	err = t.queryRow(`SELECT 1 FROM bookings WHERE id = ?`, id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return bot.ErrNotFound
	}
	return err
}

func (t *tx) MarkPaid(id int64, at time.Time) error {
	if err := t.stamp("paid_at", id, at); err != nil {
		return fmt.Errorf("mark paid: %w", err)
	}
	return nil
}

func (t *tx) MarkReady(id int64, at time.Time) error {
	if err := t.stamp("ready_at", id, at); err != nil {
		return fmt.Errorf("mark ready: %w", err)
	}
	return nil
}

func (t *tx) MarkCollected(id int64, at time.Time) error {
	if err := t.stamp("collected_at", id, at); err != nil {
		return fmt.Errorf("mark collected: %w", err)
	}
	return nil
}

func (t *tx) ClaimJobRun(job, due string, at time.Time) (bool, error) {
	res, err := t.exec(`INSERT INTO job_runs (job, due, ran_at) VALUES (?, ?, ?)
		ON CONFLICT (job, due) DO NOTHING`, job, due, ms(at))
	if err != nil {
		return false, fmt.Errorf("claim job %s for %s: %w", job, due, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("claim job %s for %s: %w", job, due, err)
	}
	return n == 1, nil
}

func (t *tx) LastJobRun(job string) (string, error) {
	var due string
	if err := t.queryRow(`SELECT coalesce(max(due), '') FROM job_runs WHERE job = ?`, job).Scan(&due); err != nil {
		return "", fmt.Errorf("last run of %s: %w", job, err)
	}
	return due, nil
}

func (t *tx) Setting(key string) (string, error) {
	var v string
	err := t.queryRow(`SELECT value FROM settings WHERE key = ?`, key).Scan(&v)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("read setting %s: %w", key, err)
	}
	return v, nil
}

func (t *tx) SaveSetting(key, value string) error {
	if _, err := t.exec(`INSERT INTO settings (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value); err != nil {
		return fmt.Errorf("write setting %s: %w", key, err)
	}
	return nil
}

func (t *tx) MarkNoShows(before string, at time.Time) (int, error) {
	res, err := t.exec(`UPDATE bookings SET status = 'no_show', updated_at = ?
		WHERE date < ? AND status IN ('booked', 'called')`, ms(at), before)
	if err != nil {
		return 0, fmt.Errorf("mark no-shows before %s: %w", before, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("mark no-shows before %s: %w", before, err)
	}
	return int(n), nil
}

func reminderColumn(kind bot.Reminder) (string, error) {
	switch kind {
	case bot.ReminderEvening:
		return "reminded_at", nil
	case bot.ReminderMorning:
		return "morning_reminded_at", nil
	}
	return "", fmt.Errorf("unknown reminder %q", kind)
}

func (t *tx) ToRemind(date string, kind bot.Reminder) ([]bot.Booking, error) {
	col, err := reminderColumn(kind)
	if err != nil {
		return nil, fmt.Errorf("list bookings to remind on %s: %w", date, err)
	}
	// "status <> 'cancelled'" repeats what status = 'booked' says, so that SQLite can use the
	// partial index on (date, number).
	rows, err := t.query(`SELECT `+bookingCols+` FROM bookings b
		JOIN seats s ON s.date = b.date AND s.number = b.number
		WHERE b.date = ? AND b.status <> 'cancelled' AND b.status = 'booked' AND b.phone <> ''
			AND b.`+col+` = 0
		ORDER BY b.number, b.id`, date)
	if err != nil {
		return nil, fmt.Errorf("list bookings to remind on %s: %w", date, err)
	}
	bs, err := scanBookings(rows)
	if err != nil {
		return nil, fmt.Errorf("list bookings to remind on %s: %w", date, err)
	}
	return bs, nil
}

func (t *tx) MarkReminded(id int64, kind bot.Reminder, at time.Time) error {
	col, err := reminderColumn(kind)
	if err == nil {
		err = t.stamp(col, id, at)
	}
	if err != nil {
		return fmt.Errorf("mark %s reminder sent: %w", kind, err)
	}
	return nil
}

func (t *tx) Pickups() ([]bot.Pickup, error) {
	rows, err := t.query(`SELECT ` + bookingCols + `, b.paid_at, b.ready_at, b.pickup_from,
		b.ready_notified_at FROM bookings b
		JOIN seats s ON s.date = b.date AND s.number = b.number
		WHERE (b.paid_at <> 0 OR b.ready_at <> 0) AND b.collected_at = 0 AND b.pickup_reminded_at = 0
			AND b.phone <> ''
		ORDER BY b.id`)
	if err != nil {
		return nil, fmt.Errorf("list pickups: %w", err)
	}
	defer rows.Close()
	var out []bot.Pickup
	for rows.Next() {
		var p bot.Pickup
		var created, called, paid, ready, notified int64
		if err := rows.Scan(&p.ID, &p.Date, &p.Number, &p.Window, &p.Name, &p.Type, &p.Phone, &p.Chat,
			&p.Lang, &p.Status, &created, &called, &p.Counter, &p.Reschedules, &paid, &ready, &p.From, &notified); err != nil {
			return nil, fmt.Errorf("list pickups: %w", err)
		}
		p.CreatedAt, p.CalledAt = fromMS(created), fromMS(called)
		p.PaidAt, p.ReadyAt, p.NotifiedAt = fromMS(paid), fromMS(ready), fromMS(notified)
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list pickups: %w", err)
	}
	return out, nil
}

func (t *tx) MarkPickupNotified(id int64, from string, at time.Time) error {
	_, err := t.exec(`UPDATE bookings SET pickup_from = ?, ready_notified_at = ?, updated_at = ?
		WHERE id = ? AND ready_notified_at = 0`, from, ms(at), ms(at), id)
	if err != nil {
		return fmt.Errorf("mark pickup notice sent: %w", err)
	}
	return nil
}

func (t *tx) MarkPickupReminded(id int64, at time.Time) error {
	if err := t.stamp("pickup_reminded_at", id, at); err != nil {
		return fmt.Errorf("mark pickup reminder sent: %w", err)
	}
	return nil
}

// eraseBatches are the retention's statements, one batch each: at most ? (the last argument)
// rows, found through an index that holds only what is left to erase (erased rows leave the
// partial indexes, pruned ones the table), so a night's work does not grow with the history.
var eraseBatches = map[bot.EraseStep]struct {
	query string
	args  func(e bot.Erasure) []any
}{
	bot.EraseNoShows: {`UPDATE bookings SET status = 'no_show', updated_at = ? WHERE id IN (SELECT id FROM bookings
		WHERE date < ? AND status IN ('booked', 'called') LIMIT ?)`,
		func(e bot.Erasure) []any { return []any{ms(e.At), e.Date} }},
	bot.EraseBookings: {`UPDATE bookings SET name = '', phone = '', chat = '', updated_at = ? WHERE id IN
		(SELECT id FROM bookings WHERE date < ? AND (name <> '' OR phone <> '' OR chat <> '') LIMIT ?)`,
		func(e bot.Erasure) []any { return []any{ms(e.At), e.Date} }},
	bot.EraseConversations: {`DELETE FROM conversations WHERE phone IN
		(SELECT phone FROM conversations WHERE updated_at < ? LIMIT ?)`,
		func(e bot.Erasure) []any { return []any{ms(e.Before)} }},
	// Unhandled and unsent messages are left alone: they are still on their way.
	bot.EraseInbox: {`DELETE FROM inbox WHERE rowid IN (SELECT rowid FROM inbox
		WHERE received_at < ? AND handled_at IS NOT NULL LIMIT ?)`,
		func(e bot.Erasure) []any { return []any{ms(e.Forget)} }},
	bot.EraseInboxText: {`UPDATE inbox SET phone = '', lid = '', chat = '', text = '' WHERE rowid IN
		(SELECT rowid FROM inbox WHERE received_at < ? AND handled_at IS NOT NULL
			AND (phone <> '' OR lid <> '' OR chat <> '' OR text <> '') LIMIT ?)`,
		func(e bot.Erasure) []any { return []any{ms(e.Before)} }},
	bot.EraseOutbox: {`DELETE FROM outbox WHERE seq IN (SELECT seq FROM outbox
		WHERE created_at < ? AND (sent_at IS NOT NULL OR failed = 1) LIMIT ?)`,
		func(e bot.Erasure) []any { return []any{ms(e.Before)} }},
	// The actions whose detail is free text or a phone number lose it; a counter, a status change
	// or a quota stays.
	bot.EraseAudit: {`UPDATE audit SET staff = '',
		detail = CASE WHEN action IN ('staff', 'broadcast', 'cancel', 'close') THEN '' ELSE detail END
		WHERE id IN (SELECT id FROM audit WHERE at < ? AND staff <> '' LIMIT ?)`,
		func(e bot.Erasure) []any { return []any{ms(e.Before)} }},
	bot.EraseWaitlist: {`DELETE FROM waitlist WHERE phone IN
		(SELECT phone FROM waitlist WHERE joined_at < ? LIMIT ?)`,
		func(e bot.Erasure) []any { return []any{ms(e.Before)} }},
	bot.EraseJobRuns: {`DELETE FROM job_runs WHERE (job, due) IN
		(SELECT job, due FROM job_runs WHERE ran_at < ? LIMIT ?)`,
		func(e bot.Erasure) []any { return []any{ms(e.Before)} }},
}

func (t *tx) EraseBatch(step bot.EraseStep, e bot.Erasure, limit int) (int, error) {
	b, ok := eraseBatches[step]
	if !ok {
		return 0, fmt.Errorf("erase: unknown step %q", step)
	}
	res, err := t.exec(b.query, append(b.args(e), limit)...)
	if err != nil {
		return 0, fmt.Errorf("erase %s before %s: %w", step, e.Date, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("erase %s before %s: %w", step, e.Date, err)
	}
	return int(n), nil
}
