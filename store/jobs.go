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
			&p.Lang, &p.Status, &created, &called, &p.Counter, &paid, &ready, &p.From, &notified); err != nil {
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

func (t *tx) ErasePersonalData(date string, before time.Time) (bot.Erased, error) {
	var e bot.Erased
	cut := ms(before)
	steps := []struct {
		n     *int
		query string
		args  []any
	}{
		// An old booking still active would collide with another on the one-name-per-date index
		// once its name is emptied; the roll-over makes such rows no-shows long before, and this
		// does the same for any it missed.
		{nil, `UPDATE bookings SET status = 'no_show', updated_at = ?
			WHERE date < ? AND status IN ('booked', 'called')`, []any{cut, date}},
		{&e.Bookings, `UPDATE bookings SET name = '', phone = '', chat = '', updated_at = ?
			WHERE date < ? AND (name <> '' OR phone <> '' OR chat <> '')`, []any{cut, date}},
		{&e.Conversations, `DELETE FROM conversations WHERE updated_at < ?`, []any{cut}},
		// Messages keep their id (a redelivery is still recognised) and their times (anonymous
		// counts). Unhandled and unsent ones are left alone: emptying them would lose or garble
		// a message still on its way.
		{&e.Inbox, `UPDATE inbox SET phone = '', lid = '', chat = '', text = ''
			WHERE received_at < ? AND handled_at IS NOT NULL
				AND (phone <> '' OR lid <> '' OR chat <> '' OR text <> '')`, []any{cut}},
		{&e.Outbox, `UPDATE outbox SET phone = '', chat = '', text = '', last_error = ''
			WHERE created_at < ? AND (sent_at IS NOT NULL OR failed = 1)
				AND (phone <> '' OR chat <> '' OR text <> '' OR last_error <> '')`, []any{cut}},
		{&e.Waitlist, `DELETE FROM waitlist WHERE joined_at < ?`, []any{cut}},
		// Not personal, but without this the table only grows; catch-up looks at recent runs only.
		{&e.JobRuns, `DELETE FROM job_runs WHERE ran_at < ?`, []any{cut}},
	}
	for _, s := range steps {
		res, err := t.exec(s.query, s.args...)
		if err != nil {
			return e, fmt.Errorf("erase personal data before %s: %w", date, err)
		}
		if s.n == nil {
			continue
		}
		n, err := res.RowsAffected()
		if err != nil {
			return e, fmt.Errorf("erase personal data before %s: %w", date, err)
		}
		*s.n = int(n)
	}
	return e, nil
}
