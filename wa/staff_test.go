package wa

import (
	"context"
	"errors"
	"strings"
	"testing"

	"go.mau.fi/whatsmeow/types"

	"law/bot"
	"law/config"
	"law/pipeline"
	"law/store/storetest"
)

type fakeLIDs map[string]string // phone -> LID user

func (f fakeLIDs) GetLIDForPN(_ context.Context, p types.JID) (types.JID, error) {
	if l, ok := f[p.User]; ok {
		return lid(l), nil
	}
	return types.JID{}, nil
}

func TestResolveStaffLIDs(t *testing.T) {
	const askedPhone, askedLID, unknownPhone = "628000000002", "111100000000002", "628000000003"
	var asked []types.JID
	info := func(_ context.Context, jids []types.JID) (map[types.JID]types.UserInfo, error) {
		asked = append(asked, jids...)
		return map[types.JID]types.UserInfo{pn(askedPhone): {LID: lid(askedLID)}}, nil
	}
	got, err := ResolveStaffLIDs(context.Background(), []string{staffPhone, askedPhone, unknownPhone},
		fakeLIDs{staffPhone: staffLID}, info)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{staffLID: staffPhone, askedLID: askedPhone}
	if len(got) != len(want) || got[staffLID] != staffPhone || got[askedLID] != askedPhone {
		t.Errorf("got %v, want %v", got, want)
	}
	if len(asked) != 2 {
		t.Errorf("asked WhatsApp about %v; want only the two numbers the store did not know", asked)
	}

	offline := func(context.Context, []types.JID) (map[types.JID]types.UserInfo, error) {
		return nil, errors.New("websocket not connected")
	}
	got, err = ResolveStaffLIDs(context.Background(), []string{staffPhone, askedPhone}, fakeLIDs{staffPhone: staffLID}, offline)
	if err == nil || got[staffLID] != staffPhone || len(got) != 1 {
		t.Errorf("offline: got %v, %v; want what the store knew and the error", got, err)
	}
}

// TestStaffThroughLID runs a staff command from a LID address through the receiver, the dispatcher
// and the real bot: allowed when the LID resolved to a staff number, an ordinary message when not.
func TestStaffThroughLID(t *testing.T) {
	cfg := config.Default()
	cfg.Staff.Admins = []string{staffPhone}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	run := func(t *testing.T, staffLIDs map[string]string) string {
		db := storetest.Open(t)
		b := bot.New(cfg, db, storetest.Quiet())
		// A staff member's new LID address: no phone number in the message, none in the store.
		disp := pipeline.NewDispatcher(context.Background(), db, b, storetest.Quiet(), 2)
		r := newReceiver(disp, fakePNs{}, nil)
		r.staff = func() map[string]string { return staffLIDs }
		if !r.handle(dm(lid(staffLID), types.JID{}, text("/help"))) {
			t.Fatal("not acknowledged")
		}
		disp.Close()
		out, err := db.Pending(context.Background(), 0, 10)
		if err != nil || len(out) == 0 {
			t.Fatalf("no reply (%v)", err)
		}
		if out[0].Chat != staffLID+"@lid" {
			t.Errorf("reply to %q, want the chat the command came from", out[0].Chat)
		}
		return out[0].Text
	}
	t.Run("resolved", func(t *testing.T) {
		if reply := run(t, map[string]string{staffLID: staffPhone}); !strings.Contains(reply, "Perintah petugas") {
			t.Errorf("staff LID not authorised; reply:\n%s", reply)
		}
	})
	t.Run("unresolved", func(t *testing.T) {
		if reply := run(t, nil); strings.Contains(reply, "Perintah petugas") || strings.Contains(reply, "/list") {
			t.Errorf("an unresolved LID got the staff commands; reply:\n%s", reply)
		}
	})
}

// TestLIDApplicantGetsPhoneLater: an applicant first known only by LID is kept under a LID key,
// never a phone number; when a later message carries the phone number too, the conversation moves
// to it and goes on where it stood.
func TestLIDApplicantGetsPhoneLater(t *testing.T) {
	t.Parallel()
	cfg := config.Default()
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	db := storetest.Open(t)
	disp := pipeline.NewDispatcher(context.Background(), db, bot.New(cfg, db, storetest.Quiet()), storetest.Quiet(), 1)
	r := newReceiver(disp, fakePNs{}, nil)
	first := dm(lid(applicantLID), types.JID{}, text("halo"))
	first.Info.ID = "3EB0000000000000000001"
	second := dm(lid(applicantLID), pn(applicant), text("1"))
	second.Info.ID = "3EB0000000000000000002"
	if !r.handle(first) {
		t.Fatal("not acknowledged")
	}
	disp.Close()
	var phone, state string
	db.SQL().QueryRow(`SELECT phone, state FROM conversations`).Scan(&phone, &state)
	if phone != bot.LIDKey(applicantLID) {
		t.Fatalf("an unknown LID is kept as %q, want it marked as a LID", phone)
	}
	firstState := state

	disp = pipeline.NewDispatcher(context.Background(), db, bot.New(cfg, db, storetest.Quiet()), storetest.Quiet(), 1)
	r = newReceiver(disp, fakePNs{}, nil)
	if !r.handle(second) {
		t.Fatal("not acknowledged")
	}
	disp.Close()
	var n int
	db.SQL().QueryRow(`SELECT count(*) FROM conversations`).Scan(&n)
	db.SQL().QueryRow(`SELECT phone, state FROM conversations`).Scan(&phone, &state)
	if n != 1 || phone != applicant || state == firstState {
		t.Errorf("%d conversations, the one under %q in state %q (was %q); want one, under the phone, moved on",
			n, phone, state, firstState)
	}
}
