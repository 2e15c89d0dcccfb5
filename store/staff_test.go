package store_test

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"law/bot"
	"law/store/storetest"
)

var staffLayout = []int{2, 2}

func staffBook(t *testing.T, tx bot.Tx, window int, name, phone string) bot.Booking {
	t.Helper()
	bk, err := tx.Book(bot.Booking{Date: "2026-12-08", Window: window, Name: name, Type: "EP10", Phone: phone,
		Chat: phone, Lang: bot.LangID, CreatedAt: time.UnixMilli(1)}, staffLayout)
	if err != nil {
		t.Fatal(err)
	}
	return bk
}

func TestStaffMembersAddAndRemove(t *testing.T) {
	t.Parallel()
	db := storetest.Open(t)
	at := time.Date(2026, 12, 7, 8, 0, 0, 0, time.UTC)
	storetest.Update(t, db, func(tx bot.Tx) error {
		for i, want := range []bool{true, false} {
			added, err := tx.AddStaff(bot.StaffMember{Phone: "628000000050", AddedBy: "628000000001", AddedAt: at})
			if err != nil || added != want {
				t.Errorf("add #%d: %v, %v; want %v", i+1, added, err, want)
			}
		}
		if _, err := tx.AddStaff(bot.StaffMember{Phone: "62-800", AddedBy: "628000000001", AddedAt: at}); err == nil {
			t.Error("the database took a phone number with a dash")
		}
		ms, err := tx.StaffMembers()
		want := []bot.StaffMember{{Phone: "628000000050", AddedBy: "628000000001", AddedAt: at}}
		if err != nil || len(ms) != 1 || ms[0].Phone != want[0].Phone || !ms[0].AddedAt.Equal(at) {
			t.Errorf("members %+v, %v; want %+v", ms, err, want)
		}
		if ok, err := tx.IsStaffMember("628000000050"); !ok || err != nil {
			t.Errorf("IsStaffMember after add: %v, %v", ok, err)
		}
		for i, want := range []bool{true, false} {
			removed, err := tx.RemoveStaff("628000000050")
			if err != nil || removed != want {
				t.Errorf("remove #%d: %v, %v; want %v", i+1, removed, err, want)
			}
		}
		if ok, err := tx.IsStaffMember("628000000050"); ok || err != nil {
			t.Errorf("IsStaffMember after remove: %v, %v", ok, err)
		}
		return nil
	})
}

func TestStaffStateAndCall(t *testing.T) {
	t.Parallel()
	db := storetest.Open(t)
	at := time.Date(2026, 12, 8, 7, 40, 0, 0, time.UTC)
	storetest.Update(t, db, func(tx bot.Tx) error {
		empty, err := tx.StaffState("628000000001")
		if err != nil || !reflect.DeepEqual(empty, bot.StaffState{Phone: "628000000001"}) {
			t.Errorf("state of a new staff member: %+v, %v", empty, err)
		}
		bk := staffBook(t, tx, 1, "ANI", "628000000011")
		if err := tx.Call(bk.ID, "2", at); err != nil {
			t.Fatal(err)
		}
		got, err := tx.Booking(bk.ID)
		if err != nil || got.Status != bot.StatusCalled || got.Counter != "2" || !got.CalledAt.Equal(at) {
			t.Errorf("called booking %+v, %v", got, err)
		}
		if err := tx.Call(999, "2", at); !errors.Is(err, bot.ErrNotFound) {
			t.Errorf("calling no booking: %v, want ErrNotFound", err)
		}
		st := bot.StaffState{Phone: "628000000001", Counter: "2", LastCall: bk.ID, BroadcastDate: "2026-12-09",
			BroadcastText: "Tes", BroadcastAt: at}
		if err := tx.SaveStaffState(st); err != nil {
			t.Fatal(err)
		}
		back, err := tx.StaffState("628000000001")
		if err != nil || back.Counter != "2" || back.LastCall != bk.ID || back.BroadcastText != "Tes" ||
			!back.BroadcastAt.Equal(at) {
			t.Errorf("state read back %+v, %v; want %+v", back, err, st)
		}
		for i, want := range []bool{true, false} {
			fresh, err := tx.MarkNear(bk.ID, at)
			if err != nil || fresh != want {
				t.Errorf("near #%d: %v, %v; want %v", i+1, fresh, err, want)
			}
		}
		return tx.Audit(bot.AuditEntry{At: at, Staff: "628000000001", Action: "next", Date: "2026-12-08",
			Booking: bk.ID, Detail: "loket 2"})
	})
	var n int
	if err := db.SQL().QueryRow(`SELECT count(*) FROM audit WHERE action = 'next' AND detail = 'loket 2'`).Scan(&n); err != nil || n != 1 {
		t.Errorf("audit rows %d, %v; want 1", n, err)
	}
}

func TestStaffFindBookings(t *testing.T) {
	t.Parallel()
	db := storetest.Open(t)
	storetest.Update(t, db, func(tx bot.Tx) error {
		staffBook(t, tx, 1, "BUDI SANTOSO", "628000000011")
		staffBook(t, tx, 2, "SITI", "628000000012")
		for _, c := range []struct {
			name, digits string
			want         int
		}{
			{"BUDI", "", 1}, {"%", "", 0}, {"", "0012", 1}, {"", "6280", 2}, {"", "", 0}, {"ZAENAL", "9999", 0},
		} {
			bs, err := tx.FindBookings(c.name, c.digits, 10)
			if err != nil || len(bs) != c.want {
				t.Errorf("find %q %q: %d bookings, %v; want %d", c.name, c.digits, len(bs), err, c.want)
			}
		}
		return nil
	})
}

func TestStaffCloseAndRestore(t *testing.T) {
	t.Parallel()
	db := storetest.Open(t)
	at := time.UnixMilli(1000)
	storetest.Update(t, db, func(tx bot.Tx) error {
		ani := staffBook(t, tx, 1, "ANI", "628000000011")
		bayu := staffBook(t, tx, 1, "BAYU", "628000000012")
		citra := staffBook(t, tx, 2, "CITRA", "628000000013")
		for _, bk := range []bot.Booking{ani, bayu, citra} {
			if err := tx.SetStatus(bk.ID, bot.StatusCancelled, at); err != nil {
				return err
			}
		}
		if err := tx.NoteClosed("2026-12-08", []int64{ani.ID, bayu.ID, citra.ID}); err != nil {
			return err
		}
		// While closed: ANI's seat is taken by someone else, and a lower quota retires CITRA's.
		staffBook(t, tx, 1, "DEWI", "628000000014")
		if _, err := tx.FreeSeats("2026-12-08", []int{2, 0}); err != nil {
			return err
		}
		ids, err := tx.TakeClosed("2026-12-08")
		if err != nil || len(ids) != 3 {
			t.Fatalf("closed bookings %v, %v; want 3", ids, err)
		}
		if again, err := tx.TakeClosed("2026-12-08"); err != nil || len(again) != 0 {
			t.Errorf("closed bookings taken twice: %v, %v", again, err)
		}
		for _, c := range []struct {
			bk   bot.Booking
			want bool
		}{{ani, false}, {bayu, true}, {citra, false}, {bayu, false}} {
			ok, err := tx.RestoreBooking(c.bk.ID, at)
			if err != nil || ok != c.want {
				t.Errorf("restore %s: %v, %v; want %v", c.bk.Name, ok, err, c.want)
			}
		}
		return nil
	})
}
