package store

import (
	"database/sql"
	"errors"
	"fmt"
	"time"

	"law/bot"
)

// The staff commands' side of the transaction (bot.StaffTx).

func (t *tx) IsStaffMember(phone string) (bool, error) {
	var n int
	if err := t.queryRow(`SELECT count(*) FROM staff WHERE phone = ?`, phone).Scan(&n); err != nil {
		return false, fmt.Errorf("look up staff: %w", err)
	}
	return n > 0, nil
}

func (t *tx) StaffMembers() ([]bot.StaffMember, error) {
	rows, err := t.query(`SELECT phone, added_by, added_at FROM staff ORDER BY added_at, phone`)
	if err != nil {
		return nil, fmt.Errorf("list staff: %w", err)
	}
	defer rows.Close()
	var out []bot.StaffMember
	for rows.Next() {
		var m bot.StaffMember
		var at int64
		if err := rows.Scan(&m.Phone, &m.AddedBy, &at); err != nil {
			return nil, fmt.Errorf("list staff: %w", err)
		}
		m.AddedAt = fromMS(at)
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list staff: %w", err)
	}
	return out, nil
}

func (t *tx) AddStaff(m bot.StaffMember) (bool, error) {
	res, err := t.exec(`INSERT INTO staff (phone, added_by, added_at) VALUES (?, ?, ?)
		ON CONFLICT (phone) DO NOTHING`, m.Phone, m.AddedBy, ms(m.AddedAt))
	if err != nil {
		return false, fmt.Errorf("add staff: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("add staff: %w", err)
	}
	return n == 1, nil
}

func (t *tx) RemoveStaff(phone string) (bool, error) {
	res, err := t.exec(`DELETE FROM staff WHERE phone = ?`, phone)
	if err != nil {
		return false, fmt.Errorf("remove staff: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("remove staff: %w", err)
	}
	return n == 1, nil
}

func (t *tx) Audit(a bot.AuditEntry) error {
	_, err := t.exec(`INSERT INTO audit (at, staff, action, date, booking_id, detail) VALUES (?, ?, ?, ?, ?, ?)`,
		ms(a.At), a.Staff, a.Action, a.Date, a.Booking, a.Detail)
	if err != nil {
		return fmt.Errorf("audit %s: %w", a.Action, err)
	}
	return nil
}

func (t *tx) StaffState(phone string) (bot.StaffState, error) {
	s := bot.StaffState{Phone: phone}
	var at int64
	err := t.queryRow(`SELECT counter, last_call, broadcast_date, broadcast_text, broadcast_at
		FROM staff_state WHERE phone = ?`, phone).
		Scan(&s.Counter, &s.LastCall, &s.BroadcastDate, &s.BroadcastText, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return s, nil
	}
	if err != nil {
		return s, fmt.Errorf("load staff state: %w", err)
	}
	s.BroadcastAt = fromMS(at)
	return s, nil
}

func (t *tx) SaveStaffState(s bot.StaffState) error {
	_, err := t.exec(`INSERT INTO staff_state (phone, counter, last_call, broadcast_date, broadcast_text,
		broadcast_at) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (phone) DO UPDATE SET counter = excluded.counter, last_call = excluded.last_call,
		broadcast_date = excluded.broadcast_date, broadcast_text = excluded.broadcast_text,
		broadcast_at = excluded.broadcast_at`,
		s.Phone, s.Counter, s.LastCall, s.BroadcastDate, s.BroadcastText, ms(s.BroadcastAt))
	if err != nil {
		return fmt.Errorf("save staff state: %w", err)
	}
	return nil
}

func (t *tx) Call(id int64, counter string, at time.Time) error {
	res, err := t.exec(`UPDATE bookings SET status = 'called', counter = ?, called_at = ?, updated_at = ?
		WHERE id = ?`, counter, ms(at), ms(at), id)
	if err != nil {
		return fmt.Errorf("call booking: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return bot.ErrNotFound
	}
	return nil
}

func (t *tx) MarkNear(id int64, at time.Time) (bool, error) {
	res, err := t.exec(`INSERT INTO near_notices (booking_id, at) VALUES (?, ?)
		ON CONFLICT (booking_id) DO NOTHING`, id, ms(at))
	if err != nil {
		return false, fmt.Errorf("note near turn: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("note near turn: %w", err)
	}
	return n == 1, nil
}

func (t *tx) FindBookings(name, digits string, limit int) ([]bot.Booking, error) {
	// instr rather than LIKE: what staff type is matched as it is, % and _ included. Only the
	// bookings not yet erased can match, and the partial index bookings_personal holds just those:
	// the search reads the retention period, not the whole history.
	rows, err := t.query(`SELECT `+bookingCols+` FROM bookings b INDEXED BY bookings_personal
		JOIN seats s ON s.date = b.date AND s.number = b.number
		WHERE (b.name <> '' OR b.phone <> '' OR b.chat <> '')
			AND ((? <> '' AND instr(b.name, ?) > 0) OR (? <> '' AND instr(b.phone, ?) > 0))
		ORDER BY b.date DESC, b.number, b.id LIMIT ?`, name, name, digits, digits, limit)
	if err != nil {
		return nil, fmt.Errorf("find bookings: %w", err)
	}
	bs, err := scanBookings(rows)
	if err != nil {
		return nil, fmt.Errorf("find bookings: %w", err)
	}
	return bs, nil
}

func (t *tx) NoteClosed(date string, ids []int64) error {
	for _, id := range ids {
		if _, err := t.exec(`INSERT INTO closed_bookings (booking_id, date) VALUES (?, ?)
			ON CONFLICT (booking_id) DO UPDATE SET date = excluded.date`, id, date); err != nil {
			return fmt.Errorf("note closed bookings of %s: %w", date, err)
		}
	}
	return nil
}

func (t *tx) TakeClosed(date string) ([]int64, error) {
	rows, err := t.query(`DELETE FROM closed_bookings WHERE date = ? RETURNING booking_id`, date)
	if err != nil {
		return nil, fmt.Errorf("take closed bookings of %s: %w", date, err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("take closed bookings of %s: %w", date, err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("take closed bookings of %s: %w", date, err)
	}
	return ids, nil
}

func (t *tx) RestoreBooking(id int64, at time.Time) (bool, error) {
	// Checked in the statement rather than left to the triggers and indexes, so that a lost seat is
	// an answer and not a failed transaction.
	res, err := t.exec(`UPDATE bookings SET status = 'booked', updated_at = ? WHERE id = ? AND status = 'cancelled'
		AND EXISTS (SELECT 1 FROM seats s WHERE s.date = bookings.date AND s.number = bookings.number
			AND s.retired = 0 AND s.used = 0)
		AND NOT EXISTS (SELECT 1 FROM bookings x WHERE x.date = bookings.date AND x.name = bookings.name
			AND x.status IN ('booked', 'called'))`, ms(at), id)
	if err != nil {
		return false, fmt.Errorf("restore booking: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("restore booking: %w", err)
	}
	return n == 1, nil
}
