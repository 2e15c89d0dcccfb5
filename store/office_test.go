package store_test

import (
	"context"
	"testing"
	"time"

	"law/bot"
	"law/store/storetest"
)

// TestOfficeSignals checks that every subscriber hears of a commit that wrote a call or a check-in,
// that other commits stay silent, and that an ended subscription hears nothing.
func TestOfficeSignals(t *testing.T) {
	t.Parallel()
	db := storetest.Open(t)
	at := time.Date(2026, 12, 7, 8, 0, 0, 0, time.UTC)
	a, endA := db.Subscribe()
	b, endB := db.Subscribe()
	defer endB()
	signalled := func(ch <-chan struct{}) bool {
		select {
		case <-ch:
			return true
		default:
			return false
		}
	}
	storetest.Update(t, db, func(tx bot.Tx) error {
		return tx.Send(bot.Outgoing{Chat: "x", Phone: "628000000101", Text: "hi", CreatedAt: at})
	})
	if signalled(a) || signalled(b) {
		t.Error("a commit without calls or check-ins signalled the board")
	}
	storetest.Update(t, db, func(tx bot.Tx) error {
		_, err := tx.RecordCall(bot.Call{Date: "2026-12-07", Number: 7, Counter: "2", At: at})
		return err
	})
	if !signalled(a) || !signalled(b) {
		t.Error("a call did not signal every subscriber")
	}
	endA()
	endA() // ending twice is harmless
	var bk bot.Booking
	storetest.Update(t, db, func(tx bot.Tx) (err error) {
		bk, err = tx.Book(bot.Booking{Date: "2026-12-07", Window: 1, Name: "BUDI", Type: "EP10", Phone: "628000000101",
			Chat: "x", Lang: bot.LangID, CreatedAt: at}, []int{10})
		if err != nil {
			return err
		}
		_, err = tx.CheckIn(bk.ID, at)
		return err
	})
	if signalled(a) {
		t.Error("an ended subscription was signalled")
	}
	if !signalled(b) {
		t.Error("a check-in did not signal")
	}
	v, err := db.BoardView(context.Background(), "2026-12-07", 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Calls) != 1 || v.Calls[0].Number != 7 || v.Calls[0].Counter != "2" || v.CheckedIn != 1 || v.Waiting != 1 ||
		v.Held != 1 {
		t.Errorf("board view: %+v", v)
	}
}

// TestPriorityErased checks that the retention job's erasure of a booking's name takes its
// priority reasons too (they may tell of health), keeping the fact of priority for the counts.
func TestPriorityErased(t *testing.T) {
	t.Parallel()
	db := storetest.Open(t)
	at := time.Date(2026, 12, 7, 8, 0, 0, 0, time.UTC)
	var ids [2]int64
	storetest.Update(t, db, func(tx bot.Tx) error {
		for i, name := range []string{"BUDI", "SITI"} {
			bk, err := tx.Book(bot.Booking{Date: "2026-12-07", Window: 1, Name: name, Type: "EP10",
				Phone: "62800000010" + string(rune('1'+i)), Chat: "x", Lang: bot.LangID, CreatedAt: at}, []int{10})
			if err != nil {
				return err
			}
			ids[i] = bk.ID
		}
		if err := tx.SetPriority(ids[0], "hamil"); err != nil {
			return err
		}
		return tx.AskPriority(ids[1], "kursi roda")
	})
	cut := at.AddDate(0, 0, 1)
	erasure := bot.Erasure{Date: "2026-12-08", Before: cut, Forget: cut, At: cut}
	for _, step := range bot.EraseSteps {
		storetest.Update(t, db, func(tx bot.Tx) error {
			_, err := tx.EraseBatch(step, erasure, 1000)
			return err
		})
	}
	storetest.Update(t, db, func(tx bot.Tx) error {
		arr, err := tx.Arrivals("2026-12-07")
		if err != nil {
			return err
		}
		if got := arr[ids[0]]; got.Priority != "-" || got.PriorityAsked != "" {
			t.Errorf("priority after erasure: %+v, want the mark without the reason", got)
		}
		if got, ok := arr[ids[1]]; ok {
			t.Errorf("request for priority after erasure: %+v, want none", got)
		}
		return nil
	})
}

// TestWritable checks the health check's view of the database, open and closed.
func TestWritable(t *testing.T) {
	t.Parallel()
	db := storetest.Open(t)
	if err := db.Writable(context.Background()); err != nil {
		t.Fatalf("open database: %v", err)
	}
	db.Close()
	if err := db.Writable(context.Background()); err == nil {
		t.Fatal("closed database: writable")
	}
}
