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

func TestMigrateFromEmptyAndAgain(t *testing.T) {
	t.Parallel()
	db, path := storetest.OpenTemp(t)
	var v int
	if err := db.SQL().QueryRow("PRAGMA user_version").Scan(&v); err != nil {
		t.Fatal(err)
	}
	if v != store.Version() || v < 1 {
		t.Fatalf("user_version = %d, want %d", v, store.Version())
	}
	db.Close()
	// Re-running the migrations on a current database changes nothing and fails nothing.
	db2, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer db2.Close()
	if err := db2.SQL().QueryRow("PRAGMA user_version").Scan(&v); err != nil || v != store.Version() {
		t.Fatalf("after reopen user_version = %d, %v", v, err)
	}
	var fk int
	if err := db2.SQL().QueryRow("PRAGMA foreign_keys").Scan(&fk); err != nil || fk != 1 {
		t.Fatalf("foreign_keys = %d, %v", fk, err)
	}
}

func TestNewerDatabaseRefused(t *testing.T) {
	t.Parallel()
	db, path := storetest.OpenTemp(t)
	if _, err := db.SQL().Exec(fmt.Sprintf("PRAGMA user_version = %d", store.Version()+1)); err != nil {
		t.Fatal(err)
	}
	db.Close()
	_, err := store.Open(context.Background(), path)
	if !errors.Is(err, store.ErrTooNew) {
		t.Fatalf("open of a newer database: err = %v, want ErrTooNew", err)
	}
}

var layout = bot.Split(50, 5)

func book(db *store.DB, date string, window int, name, phone string) (bot.Booking, error) {
	var got bot.Booking
	err := db.Update(context.Background(), func(tx bot.Tx) error {
		var err error
		got, err = tx.Book(bot.Booking{Date: date, Window: window, Name: name, Type: "EP10", Phone: phone,
			Chat: phone, Lang: bot.LangID, CreatedAt: time.Now()}, layout)
		return err
	})
	return got, err
}

// TestConcurrentBookingNeverOverbooks has 64 goroutines book the same day at once, more than its
// seats: no window holds more than its seats, and no number is given twice.
func TestConcurrentBookingNeverOverbooks(t *testing.T) {
	t.Parallel()
	db, _ := storetest.OpenTemp(t)
	const date = "2026-12-02"
	var wg sync.WaitGroup
	var mu sync.Mutex
	numbers := map[int]string{}
	full := 0
	for i := 0; i < 64; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			for w := 1; w <= 5; w++ { // like an applicant offered the next window after a full one
				b, err := book(db, date, (i+w)%5+1, fmt.Sprintf("PEMOHON %d", i), fmt.Sprintf("62800000%04d", i))
				if errors.Is(err, bot.ErrSeatTaken) {
					continue
				}
				if err != nil {
					t.Errorf("book: %v", err)
					return
				}
				mu.Lock()
				defer mu.Unlock()
				if prev, dup := numbers[b.Number]; dup {
					t.Errorf("number %d given to %s and %s", b.Number, prev, b.Name)
				}
				numbers[b.Number] = b.Name
				if want := (b.Number-1)/10 + 1; b.Window != want {
					t.Errorf("number %d in window %d, want %d", b.Number, b.Window, want)
				}
				return
			}
			mu.Lock()
			full++
			mu.Unlock()
		}(i)
	}
	wg.Wait()
	if len(numbers) != 50 || full != 14 {
		t.Fatalf("%d booked and %d refused, want 50 and 14", len(numbers), full)
	}
	var n int
	if err := db.SQL().QueryRow(`SELECT count(*) FROM bookings WHERE date = ? AND status <> 'cancelled'`, date).Scan(&n); err != nil || n != 50 {
		t.Fatalf("database holds %d active bookings (%v), want 50", n, err)
	}
}

// TestDatabaseEnforcesSeats checks that the schema itself refuses an overbooking, even from code
// that skips the checks in Book.
func TestDatabaseEnforcesSeats(t *testing.T) {
	t.Parallel()
	db, _ := storetest.OpenTemp(t)
	if _, err := book(db, "2026-12-02", 1, "SATU", "6280000000001"); err != nil {
		t.Fatal(err)
	}
	ins := `INSERT INTO bookings (date, number, name, passport_type, phone, chat, created_at, updated_at)
		VALUES ('2026-12-02', ?, ?, 'EP10', '6280000000002', 'x', 0, 0)`
	if _, err := db.SQL().Exec(ins, 1, "DUA"); err == nil {
		t.Error("a second active booking on number 1 was accepted")
	}
	if _, err := db.SQL().Exec(ins, 51, "TIGA"); err == nil {
		t.Error("number 51 on a day of 50 seats was accepted")
	}
	if _, err := db.SQL().Exec(ins, 2, "SATU"); err == nil {
		t.Error("a second active booking for the same name and date was accepted")
	}
	if _, err := db.SQL().Exec(`UPDATE bookings SET status = 'lost'`); err == nil {
		t.Error("an unknown status was accepted")
	}
}

func TestCancelledSeatIsGivenAgainAndNameRules(t *testing.T) {
	t.Parallel()
	db, _ := storetest.OpenTemp(t)
	first, err := book(db, "2026-12-02", 2, "SATU", "6280000000001")
	if err != nil || first.Number != 11 {
		t.Fatalf("first booking in window 2: %+v, %v", first, err)
	}
	if _, err := book(db, "2026-12-02", 3, "SATU", "6280000000009"); !errors.Is(err, bot.ErrNameTaken) {
		t.Fatalf("same name same date: %v, want ErrNameTaken", err)
	}
	if err := db.Update(context.Background(), func(tx bot.Tx) error {
		return tx.SetStatus(first.ID, bot.StatusCancelled, time.Now())
	}); err != nil {
		t.Fatal(err)
	}
	again, err := book(db, "2026-12-02", 2, "DUA", "6280000000002")
	if err != nil || again.Number != 11 {
		t.Fatalf("after cancelling 011, the next booking got %+v, %v; want 011 again", again, err)
	}
}

// TestQuotaChangeNeverMovesABooking changes a booked day's quota up and down: every booking keeps
// its number and window, the day holds exactly the new quota, and a quota below the bookings is
// refused.
func TestQuotaChangeNeverMovesABooking(t *testing.T) {
	t.Parallel()
	db, _ := storetest.OpenTemp(t)
	const date = "2026-12-02"
	var booked []bot.Booking
	for i := 0; i < 5; i++ { // 001-005 in window 1
		b, err := book(db, date, 1, fmt.Sprintf("SATU %d", i), "6280000000001")
		if err != nil {
			t.Fatal(err)
		}
		booked = append(booked, b)
	}
	last, err := book(db, date, 5, "LIMA", "6280000000005") // 041
	if err != nil || last.Number != 41 {
		t.Fatalf("window 5 booking: %+v %v", last, err)
	}
	booked = append(booked, last)
	free := func(quota int) ([]int, error) {
		var f []int
		err := db.Update(context.Background(), func(tx bot.Tx) error {
			var err error
			f, err = tx.FreeSeats(date, bot.Split(quota, 5))
			return err
		})
		return f, err
	}
	check := func(quota int, want []int) {
		t.Helper()
		f, err := free(quota)
		if err != nil {
			t.Fatalf("quota %d: %v", quota, err)
		}
		if fmt.Sprint(f) != fmt.Sprint(want) {
			t.Fatalf("quota %d: free per window %v, want %v", quota, f, want)
		}
		for _, b := range booked {
			var win int
			if err := db.SQL().QueryRow(`SELECT s.win FROM bookings b JOIN seats s USING (date, number)
				WHERE b.id = ?`, b.ID).Scan(&win); err != nil || win != b.Window {
				t.Fatalf("quota %d: booking %03d now in window %d (%v), was %d", quota, b.Number, win, err, b.Window)
			}
		}
	}
	check(60, []int{7, 12, 12, 12, 11})
	// 4 a window, but window 1 keeps its 5 bookings: the last window gives up the difference.
	check(20, []int{0, 4, 4, 4, 2})
	check(50, []int{5, 10, 10, 10, 9})
	if _, err := free(5); !errors.Is(err, store.ErrSeatsBooked) {
		t.Fatalf("quota 5 under 6 bookings: %v, want ErrSeatsBooked", err)
	}
	check(6, []int{0, 0, 0, 0, 0})
	err = db.Update(context.Background(), func(tx bot.Tx) error {
		_, err := tx.Book(bot.Booking{Date: date, Window: 2, Name: "BARU", Type: "EP10", Phone: "6280000000009",
			Chat: "c", CreatedAt: time.Now()}, bot.Split(6, 5))
		return err
	})
	if !errors.Is(err, bot.ErrSeatTaken) {
		t.Fatalf("booking a full day: %v, want ErrSeatTaken", err)
	}
}

// TestRedeliveryHandledOnce checks the inbox key: the same message id is stored once, also after
// the database is reopened.
func TestRedeliveryHandledOnce(t *testing.T) {
	t.Parallel()
	db, path := storetest.OpenTemp(t)
	ctx := context.Background()
	in := bot.Incoming{ID: "3EB0AAAA", Phone: "6280000000001", Chat: "6280000000001", Text: "halo", At: time.Now()}
	if fresh, err := db.SaveInbound(ctx, in); err != nil || !fresh {
		t.Fatalf("first save: %v %v", fresh, err)
	}
	if fresh, err := db.SaveInbound(ctx, in); err != nil || fresh {
		t.Fatalf("second save: fresh=%v err=%v, want a redelivery", fresh, err)
	}
	unhandled, err := db.Unhandled(ctx)
	if err != nil || len(unhandled) != 1 || unhandled[0].Text != "halo" {
		t.Fatalf("unhandled = %+v, %v", unhandled, err)
	}
	claim := func(d *store.DB) bool {
		var ok bool
		if err := d.Update(ctx, func(tx bot.Tx) error {
			var err error
			ok, err = tx.Claim(in.ID, time.Now())
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return ok
	}
	if !claim(db) {
		t.Fatal("the first claim failed")
	}
	db.Close()
	db2, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	if fresh, err := db2.SaveInbound(ctx, in); err != nil || fresh {
		t.Fatalf("save after reopen: fresh=%v err=%v, want a redelivery", fresh, err)
	}
	if claim(db2) {
		t.Fatal("a handled message was claimed again after reopening")
	}
	if un, _ := db2.Unhandled(ctx); len(un) != 0 {
		t.Fatalf("unhandled after handling: %+v", un)
	}
}

func TestOutboxOrderAndStableIDs(t *testing.T) {
	t.Parallel()
	db, _ := storetest.OpenTemp(t)
	ctx := context.Background()
	err := db.Update(ctx, func(tx bot.Tx) error {
		for i := 0; i < 3; i++ {
			if err := tx.Send(bot.Outgoing{Chat: "c", Phone: "p", Text: fmt.Sprint(i), CreatedAt: time.Now()}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	select {
	case <-db.Notify():
	default:
		t.Fatal("no notification after queueing messages")
	}
	p, err := db.Pending(ctx, 0, 10)
	if err != nil || len(p) != 3 || p[0].Text != "0" || p[2].Text != "2" || p[0].ID == p[1].ID {
		t.Fatalf("pending = %+v, %v", p, err)
	}
	if err := db.MarkSent(ctx, p[0].ID, time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := db.MarkFailed(ctx, p[1].ID, errors.New("boom"), true); err != nil {
		t.Fatal(err)
	}
	p2, _ := db.Pending(ctx, 0, 10)
	if len(p2) != 1 || p2[0].ID != p[2].ID {
		t.Fatalf("pending after send and give-up = %+v", p2)
	}
	if _, text, err := db.SentText(ctx, p[0].ID); err != nil || text != "0" {
		t.Fatalf("SentText = %q, %v", text, err)
	}
}

// TestFewerWindowsKeepBookings drops a window from the configuration while a booking sits in it:
// the booking keeps its seat, the day can still be booked, and the window's free seats close.
func TestFewerWindowsKeepBookings(t *testing.T) {
	t.Parallel()
	db, _ := storetest.OpenTemp(t)
	const date = "2026-12-02"
	if _, err := book(db, date, 5, "LIMA", "6280000000005"); err != nil {
		t.Fatal(err)
	}
	var free []int
	err := db.Update(context.Background(), func(tx bot.Tx) error {
		var err error
		free, err = tx.FreeSeats(date, bot.Split(30, 3))
		return err
	})
	if err != nil || fmt.Sprint(free) != "[10 10 10]" {
		t.Fatalf("free seats with three windows: %v, %v", free, err)
	}
	var open, win int
	if err := db.SQL().QueryRow(`SELECT count(*) FROM seats WHERE date = ? AND win > 3 AND retired = 0`, date).Scan(&open); err != nil || open != 1 {
		t.Fatalf("open seats left in removed windows: %d, %v; want only the booked one", open, err)
	}
	if err := db.SQL().QueryRow(`SELECT s.win FROM bookings b JOIN seats s USING (date, number)`).Scan(&win); err != nil || win != 5 {
		t.Fatalf("the booking is now in window %d (%v), want 5", win, err)
	}
}
