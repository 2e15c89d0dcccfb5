package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"law/bot"
)

// Update runs fn in a write transaction and commits when it returns nil; an error from fn undoes
// what fn did and is returned. The outbox sender is woken after the commit, so nothing is sent
// that was not committed. fn must not call Update itself.
func (d *DB) Update(ctx context.Context, fn func(bot.Tx) error) error {
	return d.write(ctx, func(t *tx) error { return fn(t) })
}

// View runs fn in a read transaction on one of the pool's reader connections: a plain
// (deferred) BEGIN, which takes no write lock (the DSN's _txlock=immediate applies only to
// transactions that may write; modernc begins a ReadOnly one with a plain BEGIN). In WAL mode it
// reads the last committed state while the writer goes on writing. fn's error, or the store's,
// is returned; nothing fn does is kept (its writes fail: the transaction is read-only).
func (d *DB) View(ctx context.Context, fn func(bot.ReadTx) error) error {
	rd, err := d.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("begin a read: %w", err)
	}
	defer rd.Rollback() // a read has nothing to commit
	return fn(&tx{db: d, ctx: ctx, rd: rd})
}

// ErrReadOnly is returned by a write attempted inside View.
var ErrReadOnly = errors.New("write inside a read-only transaction")

// tx is one unit of work inside the writer's transaction, or a read inside View (rd set).
type tx struct {
	db   *DB
	ctx  context.Context
	rd   *sql.Tx // the read transaction of View; nil in the writer
	sent bool

	// office: this unit wrote what the now-serving board shows (office.go).
	office bool
	// expired is the time up to which this unit already released the lapsed holds (holds.go):
	// the conversation, Hold and Book each ask, and one DELETE a unit of work is enough.
	expired time.Time
}

// exec, query and queryRow run a statement in the transaction, prepared once per connection and
// kept: preparing is a large part of a short statement's cost in SQLite. The caller's context is
// checked between statements only: SQLite rolls back the whole transaction when a write is
// interrupted, and that transaction holds other callers' work too (group commit).
func (t *tx) exec(q string, args ...any) (sql.Result, error) {
	if t.rd != nil {
		return nil, ErrReadOnly
	}
	st, err := t.stmt(q)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(context.Background(), args...)
}

func (t *tx) query(q string, args ...any) (*sql.Rows, error) {
	if t.rd != nil {
		return t.rd.QueryContext(t.ctx, q, args...)
	}
	st, err := t.stmt(q)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(context.Background(), args...)
}

// errRow is a *sql.Row carrying an error, for queryRow's failure to prepare.
type errRow struct{ err error }

func (r errRow) Scan(...any) error { return r.err }

type scanner interface{ Scan(...any) error }

func (t *tx) queryRow(q string, args ...any) scanner {
	if t.rd != nil {
		return t.rd.QueryRowContext(t.ctx, q, args...)
	}
	st, err := t.stmt(q)
	if err != nil {
		return errRow{err}
	}
	return st.QueryRowContext(context.Background(), args...)
}

func (t *tx) stmt(q string) (*sql.Stmt, error) {
	if err := t.ctx.Err(); err != nil {
		return nil, err
	}
	return t.db.prepared(context.Background(), q)
}

func (t *tx) Claim(msgID string, at time.Time) (bool, error) {
	res, err := t.exec(`UPDATE inbox SET handled_at = ? WHERE id = ? AND handled_at IS NULL`, ms(at), msgID)
	if err != nil {
		return false, fmt.Errorf("claim message: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("claim message: %w", err)
	}
	return n == 1, nil
}

func (t *tx) Conversation(phone string) (bot.Conversation, error) {
	c := bot.Conversation{Phone: phone, Lang: bot.LangID, State: bot.StateNew}
	var draft string
	var floodStart, updated, started int64
	var noticed int
	err := t.queryRow(`SELECT lid, chat, lang, state, draft, flood_start, flood_count,
		flood_noticed, updated_at, started_at FROM conversations WHERE phone = ?`, phone).
		Scan(&c.LID, &c.Chat, &c.Lang, &c.State, &draft, &floodStart, &c.FloodCount, &noticed, &updated,
			&started)
	if errors.Is(err, sql.ErrNoRows) {
		return c, nil
	}
	if err != nil {
		return c, fmt.Errorf("load conversation: %w", err)
	}
	if err := json.Unmarshal([]byte(draft), &c.Draft); err != nil {
		// A draft that no longer parses is dropped: the applicant starts from the menu again.
		c.State, c.Draft = bot.StateMenu, bot.Draft{}
	}
	c.FloodStart, c.FloodNoticed, c.UpdatedAt = fromMS(floodStart), noticed == 1, fromMS(updated)
	c.StartedAt = fromMS(started)
	return c, nil
}

func (t *tx) SaveConversation(c bot.Conversation) error {
	draft, err := json.Marshal(c.Draft)
	if err != nil {
		return fmt.Errorf("save conversation: %w", err)
	}
	_, err = t.exec(`INSERT INTO conversations (phone, lid, chat, lang, state, draft, flood_start,
		flood_count, flood_noticed, updated_at, started_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (phone) DO UPDATE SET lid = excluded.lid, chat = excluded.chat, lang = excluded.lang,
		state = excluded.state, draft = excluded.draft, flood_start = excluded.flood_start,
		flood_count = excluded.flood_count, flood_noticed = excluded.flood_noticed,
		updated_at = excluded.updated_at, started_at = excluded.started_at`,
		c.Phone, c.LID, c.Chat, string(c.Lang), string(c.State), string(draft), ms(c.FloodStart),
		c.FloodCount, boolInt(c.FloodNoticed), ms(c.UpdatedAt), ms(c.StartedAt))
	if err != nil {
		return fmt.Errorf("save conversation: %w", err)
	}
	return nil
}

func (t *tx) Send(o bot.Outgoing) error {
	if o.ID == "" {
		o.ID = NewMessageID()
	}
	// A message without a rank (staff replies, notices) is served by when it was queued.
	rank := o.Rank
	if rank.IsZero() {
		rank = o.CreatedAt
	}
	_, err := t.exec(`INSERT INTO outbox (id, chat, phone, text, bulk, created_at, rank_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`,
		o.ID, o.Chat, o.Phone, o.Text, boolInt(o.Bulk), ms(o.CreatedAt), ms(rank))
	if err != nil {
		return fmt.Errorf("queue message: %w", err)
	}
	t.sent = true
	return nil
}

func (t *tx) Day(date string) (bot.Day, error) {
	d := bot.Day{Date: date}
	var closed int
	err := t.queryRow(`SELECT quota, closed, reason FROM days WHERE date = ?`, date).
		Scan(&d.Quota, &closed, &d.Reason)
	if errors.Is(err, sql.ErrNoRows) {
		return d, nil
	}
	if err != nil {
		return d, fmt.Errorf("load day %s: %w", date, err)
	}
	d.Closed = closed == 1
	return d, nil
}

func (t *tx) SetDay(d bot.Day) error {
	_, err := t.exec(`INSERT INTO days (date, quota, closed, reason) VALUES (?, ?, ?, ?)
		ON CONFLICT (date) DO UPDATE SET quota = excluded.quota, closed = excluded.closed,
		reason = excluded.reason`, d.Date, d.Quota, boolInt(d.Closed), d.Reason)
	if err != nil {
		return fmt.Errorf("save day %s: %w", d.Date, err)
	}
	return nil
}

func layoutKey(layout []int) string {
	parts := make([]string, len(layout))
	for i, n := range layout {
		parts[i] = strconv.Itoa(n)
	}
	return strings.Join(parts, ",")
}

// ErrSeatsBooked is returned when a new layout would leave fewer seats than are booked.
var ErrSeatsBooked = errors.New("more seats are booked than the new quota holds")

// ensureSeats makes the date's open seats match layout (seats per window). A new day is numbered
// in window order. A changed day keeps every existing seat in its window, so no booking ever moves:
// growing reopens retired seats, then adds numbers after the highest; shrinking retires the free
// seats with the highest numbers, and a window with more bookings than its new share keeps them,
// the difference coming out of the later windows.
func (t *tx) ensureSeats(date string, layout []int) error {
	key := layoutKey(layout)
	var cur string
	err := t.queryRow(`SELECT layout FROM days WHERE date = ?`, date).Scan(&cur)
	if err == nil && cur == key {
		return nil
	}
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("load seats of %s: %w", date, err)
	}
	if err := t.relayout(date, layout); err != nil {
		return fmt.Errorf("lay out seats of %s: %w", date, err)
	}
	if _, err := t.exec(`INSERT INTO days (date, layout) VALUES (?, ?)
		ON CONFLICT (date) DO UPDATE SET layout = excluded.layout`, date, key); err != nil {
		return fmt.Errorf("lay out seats of %s: %w", date, err)
	}
	return nil
}

type seat struct {
	number, win    int
	retired, taken bool
}

func (t *tx) relayout(date string, layout []int) error {
	if _, err := t.exec(`INSERT INTO days (date) VALUES (?) ON CONFLICT (date) DO NOTHING`, date); err != nil {
		return err
	}
	rows, err := t.query(`SELECT number, win, retired, used FROM seats WHERE date = ? ORDER BY number`, date)
	if err != nil {
		return err
	}
	var seats []seat
	highest := 0
	for rows.Next() {
		var s seat
		if err := rows.Scan(&s.number, &s.win, &s.retired, &s.taken); err != nil {
			rows.Close()
			return err
		}
		seats = append(seats, s)
		highest = max(highest, s.number)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	// How many seats each window must keep: its share, or its bookings when they are more, with
	// the excess taken from the later windows' shares.
	want := append([]int(nil), layout...)
	booked := make([]int, len(layout))
	for _, s := range seats {
		// A booking in a window the configuration no longer has keeps its seat: the applicant was
		// told that time. It just takes nothing from the windows that remain.
		if s.taken && s.win <= len(layout) {
			booked[s.win-1]++
		}
	}
	excess := 0
	for w := range want {
		if booked[w] > want[w] {
			excess += booked[w] - want[w]
			want[w] = booked[w]
		}
	}
	for w := len(want) - 1; w >= 0 && excess > 0; w-- {
		cut := min(excess, want[w]-booked[w])
		want[w] -= cut
		excess -= cut
	}
	if excess > 0 {
		totalBooked := 0
		for _, n := range booked {
			totalBooked += n
		}
		return fmt.Errorf("%w: %d booked", ErrSeatsBooked, totalBooked)
	}
	for w := range want {
		var open, retired []seat
		for _, s := range seats {
			if s.win != w+1 {
				continue
			}
			if s.retired {
				retired = append(retired, s)
			} else {
				open = append(open, s)
			}
		}
		switch {
		case len(open) < want[w]:
			need := want[w] - len(open)
			for _, s := range retired {
				if need == 0 {
					break
				}
				if _, err := t.exec(`UPDATE seats SET retired = 0 WHERE date = ? AND number = ?`, date, s.number); err != nil {
					return err
				}
				need--
			}
			for ; need > 0; need-- {
				highest++
				if _, err := t.exec(`INSERT INTO seats (date, number, win) VALUES (?, ?, ?)`, date, highest, w+1); err != nil {
					return err
				}
			}
		case len(open) > want[w]:
			drop := len(open) - want[w]
			for i := len(open) - 1; i >= 0 && drop > 0; i-- {
				if open[i].taken {
					continue
				}
				if _, err := t.exec(`UPDATE seats SET retired = 1 WHERE date = ? AND number = ?`, date, open[i].number); err != nil {
					return err
				}
				drop--
			}
		}
	}
	// Free seats of windows that no longer exist (the configuration lost a window) close too.
	if _, err := t.exec(`UPDATE seats SET retired = 1 WHERE date = ? AND win > ? AND retired = 0
		AND used = 0`, date, len(layout)); err != nil {
		return err
	}
	return nil
}

func (t *tx) FreeSeats(date string, layout []int) ([]int, error) {
	if err := t.ensureSeats(date, layout); err != nil {
		return nil, err
	}
	free := make([]int, len(layout))
	// The counts are kept by triggers (migration 04): one row per window, whatever the history.
	rows, err := t.query(`SELECT win, open - used FROM window_seats WHERE date = ?`, date)
	if err != nil {
		return nil, fmt.Errorf("count seats of %s: %w", date, err)
	}
	defer rows.Close()
	for rows.Next() {
		var w, n int
		if err := rows.Scan(&w, &n); err != nil {
			return nil, fmt.Errorf("count seats of %s: %w", date, err)
		}
		if w >= 1 && w <= len(free) {
			free[w-1] = n
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("count seats of %s: %w", date, err)
	}
	return free, nil
}

func (t *tx) Days(from, to string) (map[string]bot.Day, error) {
	rows, err := t.query(`SELECT date, quota, closed, reason FROM days WHERE date BETWEEN ? AND ?`, from, to)
	if err != nil {
		return nil, fmt.Errorf("load days %s to %s: %w", from, to, err)
	}
	defer rows.Close()
	out := make(map[string]bot.Day)
	for rows.Next() {
		var d bot.Day
		var closed int
		if err := rows.Scan(&d.Date, &d.Quota, &closed, &d.Reason); err != nil {
			return nil, fmt.Errorf("load days %s to %s: %w", from, to, err)
		}
		d.Closed = closed == 1
		out[d.Date] = d
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("load days %s to %s: %w", from, to, err)
	}
	return out, nil
}

func (t *tx) FreeSeatsOf(layouts map[string][]int) (map[string][]int, error) {
	out := make(map[string][]int, len(layouts))
	if len(layouts) == 0 {
		return out, nil
	}
	from, to := "9999-12-31", "0000-01-01"
	for date := range layouts {
		from, to = min(from, date), max(to, date)
	}
	stored := make(map[string]string)
	rows, err := t.query(`SELECT date, layout FROM days WHERE date BETWEEN ? AND ?`, from, to)
	if err != nil {
		return nil, fmt.Errorf("count seats: %w", err)
	}
	for rows.Next() {
		var date, layout string
		if err := rows.Scan(&date, &layout); err != nil {
			rows.Close()
			return nil, fmt.Errorf("count seats: %w", err)
		}
		stored[date] = layout
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("count seats: %w", err)
	}
	for date, layout := range layouts {
		have, ok := stored[date]
		if !ok {
			// No seats were ever laid out, so none is booked.
			out[date] = append([]int(nil), layout...)
			continue
		}
		if have != layoutKey(layout) {
			if err := t.ensureSeats(date, layout); err != nil {
				return nil, err
			}
		}
		out[date] = make([]int, len(layout))
	}
	rows, err = t.query(`SELECT date, win, open - used FROM window_seats WHERE date BETWEEN ? AND ?`, from, to)
	if err != nil {
		return nil, fmt.Errorf("count seats: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var date string
		var w, n int
		if err := rows.Scan(&date, &w, &n); err != nil {
			return nil, fmt.Errorf("count seats: %w", err)
		}
		if _, laid := stored[date]; !laid {
			continue
		}
		if free, ok := out[date]; ok && w >= 1 && w <= len(free) {
			free[w-1] = n
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("count seats: %w", err)
	}
	return out, nil
}

func (t *tx) Book(b bot.Booking, layout []int) (bot.Booking, error) {
	if err := t.ensureSeats(b.Date, layout); err != nil {
		return b, err
	}
	var taken int
	if err := t.queryRow(`SELECT count(*) FROM bookings WHERE date = ? AND name = ?
		AND status IN ('booked', 'called')`, b.Date, b.Name).Scan(&taken); err != nil {
		return b, fmt.Errorf("book: %w", err)
	}
	if taken > 0 {
		return b, bot.ErrNameTaken
	}
	if _, err := t.ExpireHolds(b.CreatedAt); err != nil {
		return b, err
	}
	// A booking ends a wait for a seat: the waiting list no longer offers this applicant one.
	if _, err := t.exec(`DELETE FROM waitlist WHERE phone = ?`, b.Phone); err != nil {
		return b, fmt.Errorf("book: %w", err)
	}
	held, err := t.takeHeld(b.Phone, b.Date, b.Window)
	if err != nil {
		return b, err
	}
	b.Number = held
	if b.Number == 0 {
		if b.Number, err = t.freeSeat(b.Date, b.Window); err != nil {
			return b, err
		}
	}
	b.Status = bot.StatusBooked
	res, err := t.exec(`INSERT INTO bookings (date, number, name, passport_type, phone, chat, lang,
		status, created_at, updated_at, reschedules) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		b.Date, b.Number, b.Name, b.Type, b.Phone, b.Chat, string(b.Lang), string(b.Status),
		ms(b.CreatedAt), ms(b.CreatedAt), b.Reschedules)
	if err != nil {
		return b, fmt.Errorf("book: %w", err)
	}
	if b.ID, err = res.LastInsertId(); err != nil {
		return b, fmt.Errorf("book: %w", err)
	}
	return b, nil
}

const bookingCols = `b.id, b.date, b.number, s.win, b.name, b.passport_type, b.phone, b.chat, b.lang,
	b.status, b.created_at, b.called_at, b.counter, b.reschedules`

func scanBookings(rows *sql.Rows) ([]bot.Booking, error) {
	defer rows.Close()
	var out []bot.Booking
	for rows.Next() {
		var b bot.Booking
		var created, called int64
		if err := rows.Scan(&b.ID, &b.Date, &b.Number, &b.Window, &b.Name, &b.Type, &b.Phone, &b.Chat,
			&b.Lang, &b.Status, &created, &called, &b.Counter, &b.Reschedules); err != nil {
			return nil, err
		}
		b.CreatedAt, b.CalledAt = fromMS(created), fromMS(called)
		out = append(out, b)
	}
	return out, rows.Err()
}

func (t *tx) Bookings(date string) ([]bot.Booking, error) {
	rows, err := t.query(`SELECT `+bookingCols+` FROM bookings b
		JOIN seats s ON s.date = b.date AND s.number = b.number
		WHERE b.date = ? ORDER BY b.number, b.id`, date)
	if err != nil {
		return nil, fmt.Errorf("list bookings of %s: %w", date, err)
	}
	bs, err := scanBookings(rows)
	if err != nil {
		return nil, fmt.Errorf("list bookings of %s: %w", date, err)
	}
	return bs, nil
}

func (t *tx) NameDates(name, after string) ([]string, error) {
	rows, err := t.query(`SELECT date FROM bookings WHERE name = ? AND date > ?
		AND status IN ('booked', 'called') ORDER BY date`, name, after)
	if err != nil {
		return nil, fmt.Errorf("list the dates of a name: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var d string
		if err := rows.Scan(&d); err != nil {
			return nil, fmt.Errorf("list the dates of a name: %w", err)
		}
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list the dates of a name: %w", err)
	}
	return out, nil
}

func (t *tx) ActiveBookings(phone, from string) ([]bot.Booking, error) {
	rows, err := t.query(`SELECT `+bookingCols+` FROM bookings b
		JOIN seats s ON s.date = b.date AND s.number = b.number
		WHERE b.phone = ? AND b.date >= ? AND b.status IN ('booked', 'called')
		ORDER BY b.date, b.number`, phone, from)
	if err != nil {
		return nil, fmt.Errorf("list bookings of a phone: %w", err)
	}
	bs, err := scanBookings(rows)
	if err != nil {
		return nil, fmt.Errorf("list bookings of a phone: %w", err)
	}
	return bs, nil
}

func (t *tx) Booking(id int64) (bot.Booking, error) {
	rows, err := t.query(`SELECT `+bookingCols+` FROM bookings b
		JOIN seats s ON s.date = b.date AND s.number = b.number WHERE b.id = ?`, id)
	if err != nil {
		return bot.Booking{}, fmt.Errorf("load booking: %w", err)
	}
	bs, err := scanBookings(rows)
	if err != nil {
		return bot.Booking{}, fmt.Errorf("load booking: %w", err)
	}
	if len(bs) == 0 {
		return bot.Booking{}, bot.ErrNotFound
	}
	return bs[0], nil
}

func (t *tx) SetStatus(id int64, s bot.Status, at time.Time) error {
	res, err := t.exec(`UPDATE bookings SET status = ?, updated_at = ? WHERE id = ?`, string(s), ms(at), id)
	if err != nil {
		return fmt.Errorf("set booking status: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return bot.ErrNotFound
	}
	return nil
}

func (t *tx) NoShows(phone, since string) (int, string, error) {
	var n int
	var last string
	err := t.queryRow(`SELECT count(*), coalesce(max(date), '') FROM bookings
		WHERE phone = ? AND date >= ? AND status = 'no_show'`, phone, since).Scan(&n, &last)
	if err != nil {
		return 0, "", fmt.Errorf("count no-shows: %w", err)
	}
	return n, last, nil
}

func (t *tx) JoinWaitlist(c bot.Conversation, at time.Time) error {
	_, err := t.exec(`INSERT INTO waitlist (phone, chat, lang, joined_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (phone) DO NOTHING`, c.Phone, c.Chat, string(c.Lang), ms(at))
	if err != nil {
		return fmt.Errorf("join waiting list: %w", err)
	}
	return nil
}

func (t *tx) TakeWaitlist(n int) ([]bot.Conversation, error) {
	rows, err := t.query(`DELETE FROM waitlist WHERE phone IN
		(SELECT phone FROM waitlist ORDER BY joined_at, phone LIMIT ?) RETURNING phone, chat, lang`, n)
	if err != nil {
		return nil, fmt.Errorf("take from waiting list: %w", err)
	}
	defer rows.Close()
	var out []bot.Conversation
	for rows.Next() {
		var c bot.Conversation
		if err := rows.Scan(&c.Phone, &c.Chat, &c.Lang); err != nil {
			return nil, fmt.Errorf("take from waiting list: %w", err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("take from waiting list: %w", err)
	}
	return out, nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
