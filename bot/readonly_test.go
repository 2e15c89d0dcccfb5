package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"law/bot"
	"law/engine/enginetest"
	"law/store"
	"law/store/storetest"
)

// spyStore counts the reads made in write transactions, and the read transactions.
type spyStore struct {
	*store.DB
	views       int
	writerReads int
}

func (s *spyStore) View(ctx context.Context, fn func(bot.ReadTx) error) error {
	s.views++
	return s.DB.View(ctx, fn)
}

func (s *spyStore) Update(ctx context.Context, fn func(bot.Tx) error) error {
	return s.DB.Update(ctx, func(tx bot.Tx) error { return fn(spyTx{tx, s}) })
}

type spyTx struct {
	bot.Tx
	s *spyStore
}

func (t spyTx) Bookings(date string) ([]bot.Booking, error) {
	t.s.writerReads++
	return t.Tx.Bookings(date)
}

func (t spyTx) FindBookings(name, digits string, limit int) ([]bot.Booking, error) {
	t.s.writerReads++
	return t.Tx.FindBookings(name, digits, limit)
}

// TestReadOnlyCommandsReadBesideTheWriter: /list, /find and /stats read in a read transaction,
// the write only claims the message and queues the reply; a redelivery is answered once; the
// same text from a stranger is an applicant's message.
func TestReadOnlyCommandsReadBesideTheWriter(t *testing.T) {
	t.Parallel()
	r := enginetest.New(t, enginetest.Staff(rigAdmin, rigMember))
	cfg, db := r.Cfg, r.DB
	spy := &spyStore{DB: db}
	b := bot.New(cfg, spy, storetest.Quiet())
	now := time.Date(2026, 12, 7, 8, 0, 0, 0, cfg.Location())
	if err := db.Update(context.Background(), func(tx bot.Tx) error {
		_, err := tx.Book(bot.Booking{Date: "2026-12-07", Window: 1, Name: "BUDI SANTOSO", Type: "EP10",
			Phone: "6280000000007", Chat: "6280000000007", Lang: bot.LangID, CreatedAt: now}, bot.Split(50, 5))
		return err
	}); err != nil {
		t.Fatal(err)
	}
	handle := func(id, phone, text string) []bot.Outgoing {
		t.Helper()
		in := bot.Incoming{ID: id, Phone: phone, Chat: phone, Text: text, At: now}
		if _, err := db.SaveInbound(context.Background(), in); err != nil {
			t.Fatal(err)
		}
		if err := b.Handle(context.Background(), in); err != nil {
			t.Fatalf("%s: %v", text, err)
		}
		return r.Take()
	}
	for i, cmd := range []string{"/list", "/find budi", "/stats", "/stats week"} {
		views := spy.views
		out := handle(cmd, rigAdmin, cmd)
		if len(out) == 0 || out[0].Chat != rigAdmin {
			t.Fatalf("%s: replies %+v", cmd, out)
		}
		if i < 2 && !contains(out, "BUDI SANTOSO") {
			t.Errorf("%s: the reply misses the booking: %q", cmd, out[0].Text)
		}
		if spy.views != views+1 {
			t.Errorf("%s: %d read transactions, want 1", cmd, spy.views-views)
		}
	}
	if spy.writerReads != 0 {
		t.Errorf("read-only commands read %d times inside the writer", spy.writerReads)
	}
	// A redelivery of a handled command repeats the read, and sends nothing.
	in := bot.Incoming{ID: "/list", Phone: rigAdmin, Chat: rigAdmin, Text: "/list", At: now}
	if err := b.Handle(context.Background(), in); err != nil {
		t.Fatal(err)
	}
	if out := r.Take(); len(out) != 0 {
		t.Errorf("a redelivered /list was answered again: %+v", out)
	}
	// A stranger's /list reveals nothing: it is an applicant's message.
	out := handle("stranger", rigStranger, "/list")
	if len(out) == 0 || contains(out, "BUDI") {
		t.Errorf("a stranger's /list: %+v", out)
	}
	// A write command still works the ordinary way.
	if out := handle("done", rigAdmin, "/done 1"); len(out) == 0 {
		t.Error("/done got no reply")
	}
}

func contains(out []bot.Outgoing, s string) bool {
	for _, o := range out {
		if strings.Contains(o.Text, s) {
			return true
		}
	}
	return false
}
