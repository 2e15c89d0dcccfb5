package store_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"law/bot"
	"law/store"
	"law/store/storetest"
)

// recount is what window_seats must say, counted from the seats and bookings themselves.
const recount = `SELECT s.date, s.win, sum(s.retired = 0), sum(EXISTS (SELECT 1 FROM bookings b
	WHERE b.date = s.date AND b.number = s.number AND b.status <> 'cancelled'))
	FROM seats s GROUP BY s.date, s.win ORDER BY s.date, s.win`

func countsOf(t *testing.T, db *store.DB, query string) string {
	t.Helper()
	rows, err := db.SQL().Query(query)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var date string
		var win, open, used int
		if err := rows.Scan(&date, &win, &open, &used); err != nil {
			t.Fatal(err)
		}
		if open == 0 && used == 0 {
			continue // a window whose seats are all retired may keep a zero row
		}
		fmt.Fprintf(&b, "%s/%d:%d/%d ", date, win, open, used)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestCountsEqualARecount books, cancels, restores, changes quotas and closes days at random, and
// after every step checks the kept counts against a recount, and the free seats the bot reads
// against the seats really free.
func TestCountsEqualARecount(t *testing.T) {
	t.Parallel()
	db := storetest.Open(t)
	rng := rand.New(rand.NewPCG(13, 4))
	dates := []string{"2026-12-01", "2026-12-02", "2026-12-03"}
	layouts := map[string][]int{}
	for _, d := range dates {
		layouts[d] = bot.Split(10, 3)
	}
	var ids []int64
	steps := 400
	if testing.Short() {
		steps = 100
	}
	for step := range steps {
		date := dates[rng.IntN(len(dates))]
		var what string
		err := db.Update(context.Background(), func(tx bot.Tx) error {
			switch op := rng.IntN(10); {
			case op < 5:
				what = "book"
				b, err := tx.Book(bot.Booking{Date: date, Window: 1 + rng.IntN(len(layouts[date])),
					Name: fmt.Sprintf("NAME %d", step), Type: "EP10", Phone: "6280000000001",
					Chat: "6280000000001", Lang: bot.LangID, CreatedAt: time.Now()}, layouts[date])
				if errors.Is(err, bot.ErrSeatTaken) {
					return nil
				}
				ids = append(ids, b.ID)
				return err
			case op < 7 && len(ids) > 0:
				what = "cancel"
				return tx.SetStatus(ids[rng.IntN(len(ids))], bot.StatusCancelled, time.Now())
			case op < 8 && len(ids) > 0 && rng.IntN(2) == 0:
				what = "restore"
				_, err := tx.RestoreBooking(ids[rng.IntN(len(ids))], time.Now())
				return err
			case op < 8 && rng.IntN(4) == 0:
				what = "close"
				if err := tx.SetDay(bot.Day{Date: date, Closed: true, Reason: "test"}); err != nil {
					return err
				}
				bs, err := tx.Bookings(date)
				for _, b := range bs {
					if err == nil && b.Status.Active() {
						err = tx.SetStatus(b.ID, bot.StatusCancelled, time.Now())
					}
				}
				return err
			case op < 9:
				what = "quota"
				l := bot.Split(3+rng.IntN(15), 1+rng.IntN(4))
				if _, err := tx.FreeSeats(date, l); errors.Is(err, store.ErrSeatsBooked) {
					return err // undone: the old layout stays
				} else if err != nil {
					return err
				}
				layouts[date] = l
				return nil
			default:
				what = "serve or no-show"
				if len(ids) == 0 {
					return nil
				}
				s := []bot.Status{bot.StatusServed, bot.StatusNoShow, bot.StatusCalled}[rng.IntN(3)]
				id := ids[rng.IntN(len(ids))]
				if b, err := tx.Booking(id); err != nil || b.Status == bot.StatusCancelled {
					return err // a cancelled booking's seat may be another's now
				}
				return tx.SetStatus(id, s, time.Now())
			}
		})
		if err != nil && !errors.Is(err, store.ErrSeatsBooked) {
			t.Fatalf("step %d (%s): %v", step, what, err)
		}
		kept := countsOf(t, db, `SELECT date, win, open, used FROM window_seats ORDER BY date, win`)
		if want := countsOf(t, db, recount); kept != want {
			t.Fatalf("step %d (%s): counts %s, recount %s", step, what, kept, want)
		}
	}
	// And what the bot reads: free seats per window equal the seats nobody holds.
	storetest.Update(t, db, func(tx bot.Tx) error {
		free, err := tx.FreeSeatsOf(layouts)
		if err != nil {
			return err
		}
		for _, date := range dates {
			for w := range layouts[date] {
				var want int
				if err := db.SQL().QueryRow(`SELECT count(*) FROM seats s WHERE date = ? AND win = ?
					AND retired = 0 AND NOT EXISTS (SELECT 1 FROM bookings b WHERE b.date = s.date
					AND b.number = s.number AND b.status <> 'cancelled')`, date, w+1).Scan(&want); err != nil {
					return err
				}
				if free[date][w] != want {
					t.Errorf("%s window %d: FreeSeatsOf says %d free, the seats %d", date, w+1, free[date][w], want)
				}
			}
		}
		return nil
	})
}

// TestCountsRefuseOverbookingFromRawSQL takes away the older guards (the one-booking-per-seat
// index and the open-seat triggers) and books from raw SQL: the counts' CHECKs alone refuse a
// booking beyond the quota.
func TestCountsRefuseOverbookingFromRawSQL(t *testing.T) {
	t.Parallel()
	db := storetest.Open(t)
	storetest.Update(t, db, func(tx bot.Tx) error {
		_, err := tx.FreeSeats("2026-12-01", []int{2})
		return err
	})
	sqldb := db.SQL()
	for _, q := range []string{`DROP INDEX bookings_one_per_seat`, `DROP TRIGGER bookings_need_open_seat`,
		`DROP TRIGGER bookings_keep_open_seat`} {
		if _, err := sqldb.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	insert := `INSERT INTO bookings (date, number, name, passport_type, phone, chat, created_at, updated_at)
		VALUES ('2026-12-01', ?, ?, 'EP10', '6280000000001', '6280000000001', 0, 0)`
	for i, n := range []int{1, 2} {
		if _, err := sqldb.Exec(insert, n, fmt.Sprint("A", i)); err != nil {
			t.Fatalf("booking seat %d of 2: %v", n, err)
		}
	}
	// A third booking on a used seat: the window would hold 3 of 2.
	if _, err := sqldb.Exec(insert, 1, "C"); err == nil || !strings.Contains(err.Error(), "CHECK") {
		t.Errorf("a booking beyond the quota from raw SQL: err = %v, want a CHECK failure", err)
	}
	// A retired seat cannot be used either.
	if _, err := sqldb.Exec(`INSERT INTO seats (date, number, win, retired) VALUES ('2026-12-01', 3, 1, 1)`); err != nil {
		t.Fatal(err)
	}
	if _, err := sqldb.Exec(insert, 3, "D"); err == nil || !strings.Contains(err.Error(), "CHECK") {
		t.Errorf("a booking on a retired seat from raw SQL: err = %v, want a CHECK failure", err)
	}
	// Nor can the window's counts be pushed past its seats by hand.
	if _, err := sqldb.Exec(`UPDATE window_seats SET used = open + 1 WHERE date = '2026-12-01'`); err == nil {
		t.Error("window_seats accepted more seats used than open")
	}
	var open, used int
	if err := sqldb.QueryRow(`SELECT open, used FROM window_seats WHERE date = '2026-12-01' AND win = 1`).
		Scan(&open, &used); err != nil || open != 2 || used != 2 {
		t.Errorf("window 1: open %d, used %d (%v), want 2 and 2", open, used, err)
	}
}
