package store_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"law/bot"
	"law/store"
	"law/store/storetest"
)

// The jobs' store tests name their helpers jobs*, beside the other store tests' helpers.

var jakarta = mustZone("Asia/Jakarta")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err) // tzdata is embedded by law/config; a missing zone is a broken build
	}
	return loc
}

func jobsBook(t *testing.T, db *store.DB, date string, window int, name, phone string) bot.Booking {
	t.Helper()
	var bk bot.Booking
	storetest.Update(t, db, func(tx bot.Tx) error {
		var err error
		bk, err = tx.Book(bot.Booking{Date: date, Window: window, Name: name, Type: "EP10", Phone: phone,
			Chat: phone, Lang: bot.LangID, CreatedAt: time.Date(2026, 11, 20, 9, 0, 0, 0, jakarta)},
			bot.Split(50, 5))
		return err
	})
	return bk
}

func jobsStatus(t *testing.T, db *store.DB, id int64) bot.Status {
	t.Helper()
	var s bot.Status
	storetest.Update(t, db, func(tx bot.Tx) error {
		bk, err := tx.Booking(id)
		s = bk.Status
		return err
	})
	return s
}

func TestJobsMigrationAddsColumnsAndRuns(t *testing.T) {
	t.Parallel()
	db := storetest.Open(t)
	cols := map[string]bool{}
	rows, err := db.SQL().Query(`SELECT name FROM pragma_table_info('bookings')`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		cols[n] = true
	}
	rows.Close()
	for _, c := range []string{"reminded_at", "morning_reminded_at", "paid_at", "ready_at", "pickup_from",
		"ready_notified_at", "pickup_reminded_at", "collected_at"} {
		if !cols[c] {
			t.Errorf("bookings has no column %s", c)
		}
	}
	var n int
	if err := db.SQL().QueryRow(`SELECT count(*) FROM job_runs`).Scan(&n); err != nil {
		t.Fatalf("job_runs: %v", err)
	}
}

func TestJobsClaimSurvivesReopen(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "law.db")
	db := storetest.OpenPath(t, path)
	at := time.Date(2026, 12, 1, 18, 0, 0, 0, jakarta)
	claim := func(db *store.DB, due string) bool {
		var fresh bool
		storetest.Update(t, db, func(tx bot.Tx) error {
			var err error
			fresh, err = tx.ClaimJobRun(bot.JobEveningReminder, due, at)
			return err
		})
		return fresh
	}
	if !claim(db, "2026-12-01 18:00") {
		t.Fatal("first claim refused")
	}
	if claim(db, "2026-12-01 18:00") {
		t.Fatal("second claim of the same occurrence granted")
	}
	// A claim rolled back with its job's failure is not a claim.
	err := db.Update(context.Background(), func(tx bot.Tx) error {
		if _, err := tx.ClaimJobRun(bot.JobEveningReminder, "2026-12-02 18:00", at); err != nil {
			return err
		}
		return errors.New("job failed")
	})
	if err == nil {
		t.Fatal("the failing job's error was lost")
	}
	db.Close()
	db = storetest.OpenPath(t, path)
	if claim(db, "2026-12-01 18:00") {
		t.Fatal("claim granted again after reopening")
	}
	if !claim(db, "2026-12-02 18:00") {
		t.Fatal("a rolled-back claim still counts")
	}
}

func TestJobsMarkPaidKeepsFirstTime(t *testing.T) {
	t.Parallel()
	db := storetest.Open(t)
	bk := jobsBook(t, db, "2026-12-01", 1, "BUDI", "6281111111111")
	first := time.Date(2026, 12, 1, 9, 0, 0, 0, jakarta)
	storetest.Update(t, db, func(tx bot.Tx) error {
		if err := tx.MarkPaid(bk.ID, first); err != nil {
			return err
		}
		if err := tx.MarkPaid(bk.ID, first.Add(48*time.Hour)); err != nil {
			return err
		}
		return tx.MarkReady(bk.ID, first.Add(time.Hour))
	})
	storetest.Update(t, db, func(tx bot.Tx) error {
		ps, err := tx.Pickups()
		if err != nil {
			return err
		}
		if len(ps) != 1 || !ps[0].PaidAt.Equal(first) || !ps[0].ReadyAt.Equal(first.Add(time.Hour)) {
			t.Errorf("pickups = %+v, want one paid at %s", ps, first)
		}
		return nil
	})
	err := db.Update(context.Background(), func(tx bot.Tx) error { return tx.MarkPaid(bk.ID+99, first) })
	if !errors.Is(err, bot.ErrNotFound) {
		t.Errorf("MarkPaid of a missing booking = %v, want ErrNotFound", err)
	}
	err = db.Update(context.Background(), func(tx bot.Tx) error { return tx.MarkReady(bk.ID+99, first) })
	if !errors.Is(err, bot.ErrNotFound) {
		t.Errorf("MarkReady of a missing booking = %v, want ErrNotFound", err)
	}
	// Notified, then reminded or collected: no longer waiting.
	storetest.Update(t, db, func(tx bot.Tx) error {
		if err := tx.MarkPickupNotified(bk.ID, "2026-12-04", first); err != nil {
			return err
		}
		ps, err := tx.Pickups()
		if err != nil {
			return err
		}
		if len(ps) != 1 || ps[0].From != "2026-12-04" || ps[0].NotifiedAt.IsZero() {
			t.Errorf("after the notice, pickups = %+v", ps)
		}
		if err := tx.MarkCollected(bk.ID, first); err != nil {
			return err
		}
		if ps, err = tx.Pickups(); err != nil {
			return err
		}
		if len(ps) != 0 {
			t.Errorf("a collected passport still waits: %+v", ps)
		}
		return nil
	})
}

func TestJobsMarkNoShows(t *testing.T) {
	t.Parallel()
	db := storetest.Open(t)
	at := time.Date(2026, 12, 2, 0, 5, 0, 0, jakarta)
	booked := jobsBook(t, db, "2026-12-01", 1, "A", "6281000000001")
	called := jobsBook(t, db, "2026-12-01", 1, "B", "6281000000002")
	served := jobsBook(t, db, "2026-12-01", 2, "C", "6281000000003")
	cancelled := jobsBook(t, db, "2026-12-01", 2, "D", "6281000000004")
	today := jobsBook(t, db, "2026-12-02", 1, "E", "6281000000005")
	storetest.Update(t, db, func(tx bot.Tx) error {
		for id, s := range map[int64]bot.Status{called.ID: bot.StatusCalled, served.ID: bot.StatusServed,
			cancelled.ID: bot.StatusCancelled} {
			if err := tx.SetStatus(id, s, at); err != nil {
				return err
			}
		}
		n, err := tx.MarkNoShows("2026-12-02", at)
		if n != 2 {
			t.Errorf("MarkNoShows = %d, want 2", n)
		}
		return err
	})
	want := map[int64]bot.Status{booked.ID: bot.StatusNoShow, called.ID: bot.StatusNoShow,
		served.ID: bot.StatusServed, cancelled.ID: bot.StatusCancelled, today.ID: bot.StatusBooked}
	for id, w := range want {
		if got := jobsStatus(t, db, id); got != w {
			t.Errorf("booking %d: status %s, want %s", id, got, w)
		}
	}
}

func TestJobsRemindersAreSeparateAndOnce(t *testing.T) {
	t.Parallel()
	db := storetest.Open(t)
	a := jobsBook(t, db, "2026-12-01", 2, "A", "6281000000001")
	jobsBook(t, db, "2026-12-01", 1, "B", "6281000000002")
	at := time.Date(2026, 11, 30, 18, 0, 0, 0, jakarta)
	count := func(kind bot.Reminder) (n int, first int) {
		storetest.Update(t, db, func(tx bot.Tx) error {
			bs, err := tx.ToRemind("2026-12-01", kind)
			if len(bs) > 0 {
				first = bs[0].Number
			}
			n = len(bs)
			return err
		})
		return n, first
	}
	if n, first := count(bot.ReminderEvening); n != 2 || first != 1 {
		t.Fatalf("to remind: %d bookings, first number %d; want 2 in number order", n, first)
	}
	storetest.Update(t, db, func(tx bot.Tx) error { return tx.MarkReminded(a.ID, bot.ReminderEvening, at) })
	if n, _ := count(bot.ReminderEvening); n != 1 {
		t.Errorf("after one evening reminder, %d still to remind, want 1", n)
	}
	if n, _ := count(bot.ReminderMorning); n != 2 {
		t.Errorf("the evening reminder counted as the morning one: %d to remind, want 2", n)
	}
	err := db.Update(context.Background(), func(tx bot.Tx) error { return tx.MarkReminded(a.ID, "noon", at) })
	if err == nil {
		t.Error("an unknown reminder kind was accepted")
	}
}

func TestJobsEraseExactlyWhatIsOld(t *testing.T) {
	t.Parallel()
	db := storetest.Open(t)
	cutDate := "2026-09-02"
	cut := time.Date(2026, 9, 2, 0, 0, 0, 0, jakarta)
	old := jobsBook(t, db, "2026-09-01", 1, "OLD", "6281000000001")
	oldActive := jobsBook(t, db, "2026-09-01", 1, "OLDER", "6281000000002")
	kept := jobsBook(t, db, "2026-09-02", 1, "KEPT", "6281000000003")
	ctx := context.Background()
	before, after := cut.Add(-time.Millisecond), cut
	storetest.Update(t, db, func(tx bot.Tx) error {
		if err := tx.SetStatus(old.ID, bot.StatusServed, before); err != nil {
			return err
		}
		for i, at := range []time.Time{before, after} {
			phone := []string{"6281000000011", "6281000000012"}[i]
			if err := tx.SaveConversation(bot.Conversation{Phone: phone, Chat: phone, Lang: bot.LangID,
				State: bot.StateMenu, UpdatedAt: at}); err != nil {
				return err
			}
			if err := tx.JoinWaitlist(bot.Conversation{Phone: phone, Chat: phone, Lang: bot.LangID}, at); err != nil {
				return err
			}
			if err := tx.Send(bot.Outgoing{ID: "OUT" + phone, Chat: phone, Phone: phone, Text: "hello",
				CreatedAt: at}); err != nil {
				return err
			}
		}
		return nil
	})
	for i, at := range []time.Time{before, after} {
		phone := []string{"6281000000011", "6281000000012"}[i]
		if _, err := db.SaveInbound(ctx, bot.Incoming{ID: "IN" + phone, Phone: phone, Chat: phone,
			Text: "halo", At: at}); err != nil {
			t.Fatal(err)
		}
		storetest.Update(t, db, func(tx bot.Tx) error { _, err := tx.Claim("IN"+phone, at); return err })
		if err := db.MarkSent(ctx, "OUT"+phone, at); err != nil {
			t.Fatal(err)
		}
	}
	// An old message still unsent is on its way: it keeps its text.
	storetest.Update(t, db, func(tx bot.Tx) error {
		return tx.Send(bot.Outgoing{ID: "PENDING", Chat: "6281000000013", Phone: "6281000000013",
			Text: "still going", CreatedAt: before})
	})

	// Every step in batches of one row, each its own transaction.
	erasure := bot.Erasure{Date: cutDate, Before: cut, Forget: cut, At: cut}
	e := eraseAll(t, db, erasure, 1)
	want := bot.Erased{bot.EraseNoShows: 1, bot.EraseBookings: 2, bot.EraseConversations: 1, bot.EraseInbox: 1,
		bot.EraseOutbox: 1, bot.EraseWaitlist: 1}
	if fmt.Sprint(e) != fmt.Sprint(want) {
		t.Errorf("erased %v, want %v", e, want)
	}

	q := func(query string, args ...any) string {
		t.Helper()
		var s string
		if err := db.SQL().QueryRow(query, args...).Scan(&s); err != nil {
			t.Fatalf("%s: %v", query, err)
		}
		return s
	}
	for _, id := range []int64{old.ID, oldActive.ID} {
		if got := q(`SELECT name || '|' || phone || '|' || chat || '|' || date || '|' || number || '|' ||
			passport_type FROM bookings WHERE id = ?`, id); got != "|||2026-09-01|1|EP10" &&
			got != "|||2026-09-01|2|EP10" {
			t.Errorf("old booking %d after erasure: %q", id, got)
		}
	}
	if got := q(`SELECT status FROM bookings WHERE id = ?`, old.ID); got != "served" {
		t.Errorf("erasure changed a served booking's status to %s", got)
	}
	if got := q(`SELECT status FROM bookings WHERE id = ?`, oldActive.ID); got != "no_show" {
		t.Errorf("an old booking still booked is %s after erasure, want no_show", got)
	}
	if got := q(`SELECT name || '|' || phone FROM bookings WHERE id = ?`, kept.ID); got != "KEPT|6281000000003" {
		t.Errorf("a booking on the cut-off date was touched: %q", got)
	}
	if got := q(`SELECT group_concat(phone) FROM conversations`); got != "6281000000012" {
		t.Errorf("conversations left: %q", got)
	}
	if got := q(`SELECT group_concat(phone) FROM waitlist`); got != "6281000000012" {
		t.Errorf("waiting list left: %q", got)
	}
	if got := q(`SELECT group_concat(id || ':' || text, ',') FROM inbox`); got != "IN6281000000012:halo" {
		t.Errorf("inbox left: %q", got)
	}
	if got := q(`SELECT group_concat(id || ':' || text, ',') FROM outbox`); got != "OUT6281000000012:hello,PENDING:still going" {
		t.Errorf("outbox left: %q", got)
	}

	// A second run finds nothing more to erase.
	if e := eraseAll(t, db, erasure, 500); len(e) != 0 {
		t.Errorf("second erasure: %v, want nothing", e)
	}
}

// eraseAll runs every step of the erasure in batches of batch rows, each in its own transaction,
// as the retention job does, and returns what each step did.
func eraseAll(t *testing.T, db *store.DB, e bot.Erasure, batch int) bot.Erased {
	t.Helper()
	out := bot.Erased{}
	for _, step := range bot.EraseSteps {
		for {
			var n int
			storetest.Update(t, db, func(tx bot.Tx) error {
				var err error
				n, err = tx.EraseBatch(step, e, batch)
				return err
			})
			if n > 0 {
				out[step] += n
			}
			if n < batch {
				break
			}
		}
	}
	return out
}
