package store

import (
	"context"
	"fmt"
	"sync"
	"time"

	"law/bot"
)

// At the office: check-ins, the priority lane, the calls of the now-serving board, and the
// signals and health checks the board reads.

func (t *tx) CheckIn(id int64, at time.Time) (bool, error) {
	res, err := t.exec(`UPDATE bookings SET checked_in_at = ?, updated_at = ? WHERE id = ? AND checked_in_at = 0`,
		ms(at), ms(at), id)
	if err != nil {
		return false, fmt.Errorf("check in: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("check in: %w", err)
	}
	t.office = t.office || n == 1
	return n == 1, nil
}

func (t *tx) SetPriority(id int64, reason string) error {
	if _, err := t.exec(`UPDATE bookings SET priority = ? WHERE id = ?`, reason, id); err != nil {
		return fmt.Errorf("set priority: %w", err)
	}
	t.office = true
	return nil
}

func (t *tx) AskPriority(id int64, reason string) error {
	if _, err := t.exec(`UPDATE bookings SET priority_asked = ? WHERE id = ?`, reason, id); err != nil {
		return fmt.Errorf("ask for priority: %w", err)
	}
	return nil
}

func (t *tx) Arrivals(date string) (map[int64]bot.Arrival, error) {
	rows, err := t.query(`SELECT id, checked_in_at, priority, priority_asked FROM bookings
		WHERE date = ? AND (checked_in_at <> 0 OR priority <> '' OR priority_asked <> '')`, date)
	if err != nil {
		return nil, fmt.Errorf("load arrivals of %s: %w", date, err)
	}
	defer rows.Close()
	out := map[int64]bot.Arrival{}
	for rows.Next() {
		var id, at int64
		var a bot.Arrival
		if err := rows.Scan(&id, &at, &a.Priority, &a.PriorityAsked); err != nil {
			return nil, fmt.Errorf("load arrivals of %s: %w", date, err)
		}
		a.CheckedInAt = fromMS(at)
		out[id] = a
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("load arrivals of %s: %w", date, err)
	}
	return out, nil
}

func (t *tx) RecordCall(c bot.Call) (int64, error) {
	res, err := t.exec(`INSERT INTO calls (date, number, counter, at, recall) VALUES (?, ?, ?, ?, ?)`,
		c.Date, c.Number, c.Counter, ms(c.At), boolInt(c.Recall))
	if err != nil {
		return 0, fmt.Errorf("record call: %w", err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return 0, fmt.Errorf("record call: %w", err)
	}
	t.office = true
	return id, nil
}

// The board's reads, on the pool: the latest calls of a date, and its counts.
const (
	boardCallsSQL = `SELECT id, date, number, counter, at, recall FROM calls
		WHERE date = ? ORDER BY id DESC LIMIT ?`
	boardCountsSQL = `SELECT
		(SELECT count(*) FROM bookings WHERE date = ?1 AND status = 'booked' AND checked_in_at <> 0),
		(SELECT count(*) FROM bookings WHERE date = ?1 AND status = 'booked'),
		(SELECT count(*) FROM bookings WHERE date = ?1 AND status <> 'cancelled'),
		coalesce((SELECT quota FROM days WHERE date = ?1), 0),
		coalesce((SELECT closed FROM days WHERE date = ?1), 0)`
)

// BoardView reads what the now-serving board shows of date: the latest calls (at most recent,
// latest first) and the day's counts. It reads on the pool, never waiting for the writer.
func (d *DB) BoardView(ctx context.Context, date string, recent int) (bot.BoardView, error) {
	var v bot.BoardView
	rows, err := d.db.QueryContext(ctx, boardCallsSQL, date, recent)
	if err != nil {
		return v, fmt.Errorf("read the board of %s: %w", date, err)
	}
	defer rows.Close()
	for rows.Next() {
		var c bot.Call
		var at int64
		var recall int
		if err := rows.Scan(&c.ID, &c.Date, &c.Number, &c.Counter, &at, &recall); err != nil {
			return v, fmt.Errorf("read the board of %s: %w", date, err)
		}
		c.At, c.Recall = fromMS(at), recall == 1
		v.Calls = append(v.Calls, c)
	}
	if err := rows.Err(); err != nil {
		return v, fmt.Errorf("read the board of %s: %w", date, err)
	}
	var closed int
	err = d.db.QueryRowContext(ctx, boardCountsSQL, date).
		Scan(&v.CheckedIn, &v.Waiting, &v.Held, &v.Quota, &closed)
	if err != nil {
		return v, fmt.Errorf("read the board of %s: %w", date, err)
	}
	v.Closed = closed == 1
	return v, nil
}

// Writable checks that the database takes writes: it takes the write lock on a pool connection
// and gives it back at once. It returns the reason when it cannot, for the health check.
func (d *DB) Writable(ctx context.Context) error {
	// The DSN's _txlock=immediate makes this BEGIN IMMEDIATE: the write lock, not a mere read.
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("database not writable: %w", err)
	}
	if err := tx.Rollback(); err != nil {
		return fmt.Errorf("database not writable: %w", err)
	}
	return nil
}

// hub hands a signal to every subscriber after a commit that changed what the board shows.
type hub struct {
	mu   sync.Mutex
	subs map[chan struct{}]struct{}
}

// Subscribe returns a channel signalled after every commit that wrote a call, a check-in or a
// priority, and the function that ends the subscription. Signals do not queue: one pending signal
// stands for any number of commits, so a slow reader re-reads once and misses nothing.
func (d *DB) Subscribe() (<-chan struct{}, func()) {
	ch := make(chan struct{}, 1)
	d.office.mu.Lock()
	if d.office.subs == nil {
		d.office.subs = map[chan struct{}]struct{}{}
	}
	d.office.subs[ch] = struct{}{}
	d.office.mu.Unlock()
	var once sync.Once
	return ch, func() {
		once.Do(func() {
			d.office.mu.Lock()
			delete(d.office.subs, ch)
			d.office.mu.Unlock()
		})
	}
}

func (d *DB) broadcast() {
	d.office.mu.Lock()
	defer d.office.mu.Unlock()
	for ch := range d.office.subs {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
}
