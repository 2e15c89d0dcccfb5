package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"law/bot"
	"law/store"
	"law/store/storetest"
)

var holdNow = time.Date(2026, 12, 7, 9, 0, 0, 0, time.FixedZone("WIB", 7*3600))

// hold holds a seat of window win for phone, for ten minutes from at.
func hold(db *store.DB, phone, date string, win int, at time.Time) (bot.Held, error) {
	var h bot.Held
	err := db.Update(context.Background(), func(tx bot.Tx) (err error) {
		h, err = tx.Hold(phone, date, win, []int{2, 2}, at, at.Add(10*time.Minute))
		return err
	})
	return h, err
}

func bookAt(db *store.DB, date string, win int, name, phone string, at time.Time) (bot.Booking, error) {
	var bk bot.Booking
	err := db.Update(context.Background(), func(tx bot.Tx) (err error) {
		bk, err = tx.Book(bot.Booking{Date: date, Window: win, Name: name, Type: "EP10", Phone: phone,
			Chat: phone, Lang: bot.LangID, CreatedAt: at}, []int{2, 2})
		return err
	})
	return bk, err
}

func freeOf(t *testing.T, db *store.DB, date string) []int {
	t.Helper()
	var free []int
	storetest.Update(t, db, func(tx bot.Tx) (err error) {
		free, err = tx.FreeSeats(date, []int{2, 2})
		return err
	})
	return free
}

// TestHoldKeepsTheSeatForItsApplicant: a held seat counts as taken for everyone else, and the
// holder's booking takes exactly that seat even when it is the window's last.
func TestHoldKeepsTheSeatForItsApplicant(t *testing.T) {
	t.Parallel()
	db := storetest.Open(t)
	const date = "2026-12-08"
	a, err := hold(db, "628000000001", date, 1, holdNow)
	if err != nil || a.Number != 1 {
		t.Fatalf("first hold: %+v, %v", a, err)
	}
	b, err := hold(db, "628000000002", date, 1, holdNow)
	if err != nil || b.Number != 2 {
		t.Fatalf("second hold: %+v, %v", b, err)
	}
	if free := freeOf(t, db, date); free[0] != 0 || free[1] != 2 {
		t.Fatalf("free seats %v with window 1 held twice", free)
	}
	if _, err := hold(db, "628000000003", date, 1, holdNow); !errors.Is(err, bot.ErrSeatTaken) {
		t.Fatalf("a third hold in a window of two: %v", err)
	}
	if _, err := bookAt(db, date, 1, "CICI", "628000000003", holdNow); !errors.Is(err, bot.ErrSeatTaken) {
		t.Fatalf("a booking on held seats: %v", err)
	}
	bk, err := bookAt(db, date, 1, "BUDI", "628000000002", holdNow.Add(time.Minute))
	if err != nil || bk.Number != 2 {
		t.Fatalf("the holder's booking: %+v, %v; want number 2", bk, err)
	}
	storetest.Update(t, db, func(tx bot.Tx) error {
		if _, ok, err := tx.Held("628000000002", holdNow); ok || err != nil {
			t.Errorf("the hold outlived its booking (%v)", err)
		}
		return nil
	})
	// Holding again in the same window keeps the number shown; in another window moves it.
	again, err := hold(db, "628000000001", date, 1, holdNow.Add(2*time.Minute))
	if err != nil || again.Number != 1 {
		t.Fatalf("holding the same window again: %+v, %v", again, err)
	}
	moved, err := hold(db, "628000000001", date, 2, holdNow.Add(3*time.Minute))
	if err != nil || moved.Window != 2 || moved.Number != 3 {
		t.Fatalf("holding another window: %+v, %v", moved, err)
	}
	if free := freeOf(t, db, date); free[0] != 1 || free[1] != 1 {
		t.Fatalf("free seats %v after the hold moved", free)
	}
}

// TestLapsedHoldFreesItsSeatWithoutAJob: after its time, a held seat goes to whoever books it,
// and the late holder is told the seat is gone (ErrSeatTaken) rather than given a second one.
func TestLapsedHoldFreesItsSeatWithoutAJob(t *testing.T) {
	t.Parallel()
	db := storetest.Open(t)
	const date = "2026-12-08"
	for i, p := range []string{"628000000001", "628000000002"} {
		if _, err := hold(db, p, date, 1, holdNow); err != nil {
			t.Fatalf("hold %d: %v", i, err)
		}
	}
	late := holdNow.Add(11 * time.Minute)
	bk, err := bookAt(db, date, 1, "CICI", "628000000003", late)
	if err != nil || bk.Number != 1 {
		t.Fatalf("a booking after the holds lapsed: %+v, %v", bk, err)
	}
	storetest.Update(t, db, func(tx bot.Tx) error {
		if _, ok, err := tx.Held("628000000001", late); ok || err != nil {
			t.Errorf("a lapsed hold is still held (%v)", err)
		}
		return nil
	})
	// The first holder answers late: the window's other seat is still free, so it is taken.
	bk, err = bookAt(db, date, 1, "ANI", "628000000001", late)
	if err != nil || bk.Number != 2 {
		t.Fatalf("the late holder: %+v, %v", bk, err)
	}
	if _, err := bookAt(db, date, 1, "BUDI", "628000000002", late); !errors.Is(err, bot.ErrSeatTaken) {
		t.Fatalf("the other late holder in a full window: %v", err)
	}
}

// TestSchemaRefusesHoldingATakenSeat: whatever the Go code does, a seat is never held and booked
// at once, nor held twice.
func TestSchemaRefusesHoldingATakenSeat(t *testing.T) {
	t.Parallel()
	db := storetest.Open(t)
	const date = "2026-12-08"
	bk, err := bookAt(db, date, 1, "ANI", "628000000001", holdNow)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := hold(db, "628000000002", date, 1, holdNow); err != nil {
		t.Fatal(err)
	}
	q := db.SQL()
	if _, err := q.Exec(`INSERT INTO holds (date, number, phone, until) VALUES (?, ?, ?, ?)`,
		date, bk.Number, "628000000003", holdNow.Add(time.Hour).UnixMilli()); err == nil {
		t.Error("a booked seat was held")
	}
	if _, err := q.Exec(`INSERT INTO holds (date, number, phone, until) VALUES (?, 2, ?, ?)`,
		date, "628000000004", holdNow.Add(time.Hour).UnixMilli()); err == nil {
		t.Error("a held seat was held twice")
	}
	if _, err := q.Exec(`INSERT INTO bookings (date, number, name, passport_type, phone, chat, created_at,
		updated_at) VALUES (?, 2, 'X', 'EP10', '628000000005', 'x', 0, 0)`, date); err == nil {
		t.Error("a held seat was booked")
	}
}

// TestConcurrentHoldsNeverOverbook has 40 applicants hold seats of a day of four at once: four
// get one, each a different seat, and the others hear the window is full.
func TestConcurrentHoldsNeverOverbook(t *testing.T) {
	t.Parallel()
	db := storetest.Open(t)
	const date = "2026-12-08"
	var wg sync.WaitGroup
	var mu sync.Mutex
	got := map[string]string{}
	full := 0
	for i := range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			phone := fmt.Sprintf("6280000001%02d", i)
			h, err := hold(db, phone, date, 1+i%2, holdNow)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case errors.Is(err, bot.ErrSeatTaken):
				full++
			case err != nil:
				t.Error(err)
			default:
				key := fmt.Sprint(h.Number)
				if other, dup := got[key]; dup {
					t.Errorf("seat %s held by %s and %s", key, other, phone)
				}
				got[key] = phone
			}
		}()
	}
	wg.Wait()
	if len(got) != 4 || full != 36 {
		t.Fatalf("%d seats held, %d refused: %v", len(got), full, got)
	}
	if free := freeOf(t, db, date); free[0] != 0 || free[1] != 0 {
		t.Fatalf("free seats %v", free)
	}
}

// TestLowerQuotaKeepsHeldSeats: a quota change never takes a seat shown to an applicant; like a
// booking, the held seat keeps its window and the quota's difference comes out of the others.
func TestLowerQuotaKeepsHeldSeats(t *testing.T) {
	t.Parallel()
	db := storetest.Open(t)
	const date = "2026-12-08"
	h, err := hold(db, "628000000001", date, 2, holdNow)
	if err != nil {
		t.Fatal(err)
	}
	storetest.Update(t, db, func(tx bot.Tx) error {
		free, err := tx.FreeSeats(date, []int{2, 0})
		if err != nil {
			return err
		}
		if free[0] != 1 || free[1] != 0 {
			t.Errorf("free seats %v after lowering the quota", free)
		}
		held, ok, err := tx.Held("628000000001", holdNow)
		if err != nil || !ok || held.Number != h.Number {
			t.Errorf("the hold after lowering the quota: %+v %v %v", held, ok, err)
		}
		return nil
	})
}
