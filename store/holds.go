package store

import (
	"database/sql"
	"errors"
	"fmt"
	"time"

	"law/bot"
)

// The seat holds' side of the transaction (bot.HoldTx); the schema is migration 05.

func (t *tx) Hold(phone, date string, win int, layout []int, now, until time.Time) (bot.Held, error) {
	h := bot.Held{Date: date, Window: win, Until: until}
	if err := t.ensureSeats(date, layout); err != nil {
		return h, err
	}
	if _, err := t.ExpireHolds(now); err != nil {
		return h, err
	}
	// The seat already held in this window is kept: the applicant was shown its number.
	err := t.queryRow(`SELECT h.number FROM holds h JOIN seats s USING (date, number)
		WHERE h.phone = ? AND h.date = ? AND s.win = ?`, phone, date, win).Scan(&h.Number)
	switch {
	case err == nil:
		if _, err := t.exec(`UPDATE holds SET until = ? WHERE phone = ?`, ms(until), phone); err != nil {
			return h, fmt.Errorf("hold a seat: %w", err)
		}
		return h, nil
	case !errors.Is(err, sql.ErrNoRows):
		return h, fmt.Errorf("hold a seat: %w", err)
	}
	if err := t.Release(phone); err != nil {
		return h, err
	}
	h.Number, err = t.freeSeat(date, win)
	if err != nil {
		return h, err
	}
	if _, err := t.exec(`INSERT INTO holds (date, number, phone, until) VALUES (?, ?, ?, ?)`,
		date, h.Number, phone, ms(until)); err != nil {
		return h, fmt.Errorf("hold a seat: %w", err)
	}
	return h, nil
}

// freeSeat returns the lowest free number of a window: the first entry of the partial index
// seats_free, no walk over the window's booked or held seats. ErrSeatTaken when there is none.
func (t *tx) freeSeat(date string, win int) (int, error) {
	var n int
	err := t.queryRow(`SELECT number FROM seats WHERE date = ? AND win = ? AND retired = 0 AND used = 0
		ORDER BY number LIMIT 1`, date, win).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, bot.ErrSeatTaken
	}
	if err != nil {
		return 0, fmt.Errorf("find a free seat: %w", err)
	}
	return n, nil
}

func (t *tx) Held(phone string, now time.Time) (bot.Held, bool, error) {
	var h bot.Held
	var until int64
	err := t.queryRow(`SELECT h.date, h.number, s.win, h.until FROM holds h JOIN seats s USING (date, number)
		WHERE h.phone = ? AND h.until > ?`, phone, ms(now)).Scan(&h.Date, &h.Number, &h.Window, &until)
	if errors.Is(err, sql.ErrNoRows) {
		return h, false, nil
	}
	if err != nil {
		return h, false, fmt.Errorf("read a held seat: %w", err)
	}
	h.Until = fromMS(until)
	return h, true, nil
}

func (t *tx) Release(phone string) error {
	if _, err := t.exec(`DELETE FROM holds WHERE phone = ?`, phone); err != nil {
		return fmt.Errorf("release a held seat: %w", err)
	}
	return nil
}

func (t *tx) ExpireHolds(now time.Time) (int, error) {
	if !t.expired.IsZero() && !now.After(t.expired) {
		return 0, nil // released already in this unit of work, as of now or later
	}
	res, err := t.exec(`DELETE FROM holds WHERE until <= ?`, ms(now))
	if err != nil {
		return 0, fmt.Errorf("release lapsed holds: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("release lapsed holds: %w", err)
	}
	t.expired = now
	return int(n), nil
}

// takeHeld releases phone's holds for a booking on date in window win, and returns the number it
// held there (0 when none): the seat the booking takes.
func (t *tx) takeHeld(phone, date string, win int) (int, error) {
	var n int
	err := t.queryRow(`SELECT h.number FROM holds h JOIN seats s USING (date, number)
		WHERE h.phone = ? AND h.date = ? AND s.win = ?`, phone, date, win).Scan(&n)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("take a held seat: %w", err)
	}
	if err := t.Release(phone); err != nil {
		return 0, err
	}
	return n, nil
}
