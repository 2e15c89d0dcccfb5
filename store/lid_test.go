package store_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"law/bot"
	"law/logmask"
	"law/store/storetest"
)

const (
	rekeyPhone = "628000000077"
	rekeyLID   = "111100000000077"
)

func TestRekeyLIDMovesEverything(t *testing.T) {
	t.Parallel()
	db := storetest.Open(t)
	key := bot.LIDKey(rekeyLID)
	for _, q := range []string{
		`INSERT INTO days (date) VALUES ('2026-12-02'), ('2026-12-03')`,
		`INSERT INTO seats (date, number, win) VALUES ('2026-12-02', 1, 1), ('2026-12-03', 1, 1)`,
		// Booked under the phone before WhatsApp switched to the LID, and under the LID after.
		`INSERT INTO bookings (date, number, name, passport_type, phone, chat, created_at, updated_at)
			VALUES ('2026-12-02', 1, 'A', 'baru', '` + rekeyPhone + `', 'c', 1, 1),
			       ('2026-12-03', 1, 'A', 'baru', '` + key + `', 'c', 2, 2)`,
		// The LID's conversation is the newer one: it is kept.
		`INSERT INTO conversations (phone, chat, state, updated_at) VALUES
			('` + rekeyPhone + `', 'c', 'menu', 10), ('` + key + `', '` + rekeyLID + `@lid', 'confirm', 20)`,
		// The phone's waiting-list place is the earlier one: it is kept.
		`INSERT INTO waitlist (phone, chat, joined_at) VALUES ('` + rekeyPhone + `', 'c', 5), ('` + key + `', 'c', 6)`,
		`INSERT INTO outbox (id, chat, phone, text, created_at) VALUES ('M1', '` + rekeyLID + `@lid', '` + key + `', 't', 1)`,
	} {
		if _, err := db.SQL().Exec(q); err != nil {
			t.Fatalf("%v\n%s", err, q)
		}
	}
	var moved bool
	var active []bot.Booking
	storetest.Update(t, db, func(tx bot.Tx) error {
		var err error
		if moved, err = tx.RekeyLID(rekeyLID, rekeyPhone); err != nil {
			return err
		}
		active, err = tx.ActiveBookings(rekeyPhone, "2026-12-01")
		return err
	})
	if !moved {
		t.Fatal("RekeyLID found nothing to move")
	}
	if len(active) != 2 {
		t.Errorf("fair use sees %d active bookings for the person, want both (2)", len(active))
	}
	var left int
	db.SQL().QueryRow(`SELECT (SELECT count(*) FROM conversations WHERE phone LIKE 'lid:%')
		+ (SELECT count(*) FROM bookings WHERE phone LIKE 'lid:%') + (SELECT count(*) FROM waitlist WHERE phone LIKE 'lid:%')
		+ (SELECT count(*) FROM outbox WHERE phone LIKE 'lid:%')`).Scan(&left)
	if left != 0 {
		t.Errorf("%d rows still keyed by the LID", left)
	}
	var state, lid string
	db.SQL().QueryRow(`SELECT state, lid FROM conversations WHERE phone = ?`, rekeyPhone).Scan(&state, &lid)
	if state != "confirm" || lid != rekeyLID {
		t.Errorf("conversation state %q lid %q; want the newer (the LID's) with its LID", state, lid)
	}
	var joined int64
	db.SQL().QueryRow(`SELECT joined_at FROM waitlist WHERE phone = ?`, rekeyPhone).Scan(&joined)
	if joined != 5 {
		t.Errorf("waiting-list place joined at %d, want the earlier (5)", joined)
	}

	// Nothing under the LID any more: nothing to move, and a LID key is never a phone number.
	storetest.Update(t, db, func(tx bot.Tx) error {
		for _, args := range [][2]string{{rekeyLID, rekeyPhone}, {rekeyLID, key}, {"", rekeyPhone}} {
			if moved, err := tx.RekeyLID(args[0], args[1]); err != nil || moved {
				return fmt.Errorf("RekeyLID%q moved %v (%v), want nothing", args, moved, err)
			}
		}
		return nil
	})
}

func TestLIDKeyIsNoPhone(t *testing.T) {
	t.Parallel()
	key := bot.LIDKey(rekeyLID)
	if !bot.IsLIDKey(key) || bot.IsLIDKey(rekeyPhone) {
		t.Error("IsLIDKey does not tell a LID key from a phone number")
	}
	if m := logmask.Phone(key); !strings.HasPrefix(m, "lid:") || strings.Contains(m, rekeyLID) {
		t.Errorf("masked LID key %q", m)
	}
}

// TestRekeyLIDKeepsTheHeldSeat: a seat held for an applicant known only by LID is theirs under
// their phone number once it is known, and their booking takes it even when it is the last.
func TestRekeyLIDKeepsTheHeldSeat(t *testing.T) {
	t.Parallel()
	db := storetest.Open(t)
	const lid, phone, date = "99000000042", "628000000042", "2026-12-08"
	at := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	storetest.Update(t, db, func(tx bot.Tx) error {
		_, err := tx.Hold(bot.LIDKey(lid), date, 1, []int{1}, at, at.Add(10*time.Minute))
		return err
	})
	storetest.Update(t, db, func(tx bot.Tx) error {
		if moved, err := tx.RekeyLID(lid, phone); err != nil || !moved {
			t.Errorf("RekeyLID = %v, %v; want the hold moved", moved, err)
		}
		bk, err := tx.Book(bot.Booking{Date: date, Window: 1, Name: "BUDI", Type: "EP10", Phone: phone,
			Chat: phone, Lang: bot.LangID, CreatedAt: at.Add(time.Minute)}, []int{1})
		if err != nil || bk.Number != 1 {
			t.Errorf("booking the last seat held before the move: %+v, %v", bk, err)
		}
		return nil
	})
}
