package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"law/bot"
	"law/store"
	"law/store/storetest"
)

// TestViewReadsBesideTheWriter reads while the writer is in the middle of a transaction: the read
// neither waits for it nor sees its uncommitted work, and a write inside View is refused.
func TestViewReadsBesideTheWriter(t *testing.T) {
	t.Parallel()
	db := storetest.Open(t)
	if _, err := book(db, "2026-12-01", 1, "FIRST", "6280000000001"); err != nil {
		t.Fatal(err)
	}
	inside, release := make(chan struct{}), make(chan struct{})
	writeDone := make(chan error, 1)
	go func() {
		writeDone <- db.Update(context.Background(), func(tx bot.Tx) error {
			_, err := tx.Book(bot.Booking{Date: "2026-12-01", Window: 1, Name: "SECOND", Type: "EP10",
				Phone: "6280000000002", Chat: "6280000000002", Lang: bot.LangID, CreatedAt: time.Now()}, layout)
			close(inside)
			<-release // the writer holds its transaction open until the read is done
			return err
		})
	}()
	<-inside
	readDone := make(chan error, 1)
	var names []string
	go func() {
		readDone <- db.View(context.Background(), func(rx bot.ReadTx) error {
			bs, err := rx.Bookings("2026-12-01")
			for _, b := range bs {
				names = append(names, b.Name)
			}
			return err
		})
	}()
	select {
	case err := <-readDone:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(time.Minute):
		t.Fatal("View waited for the writer's transaction")
	}
	close(release)
	if err := <-writeDone; err != nil {
		t.Fatal(err)
	}
	if len(names) != 1 || names[0] != "FIRST" {
		t.Errorf("View read %v, want only the committed booking", names)
	}

	err := db.View(context.Background(), func(rx bot.ReadTx) error {
		return rx.(bot.Tx).SetDay(bot.Day{Date: "2026-12-01", Closed: true})
	})
	if !errors.Is(err, store.ErrReadOnly) {
		t.Errorf("a write inside View: err = %v, want ErrReadOnly", err)
	}
}
