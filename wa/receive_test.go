package wa

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"

	"law/bot"
	"law/pipeline"
	"law/store/storetest"
)

// failingInbox is an inbox whose disk is full.
type failingInbox struct{}

var errDiskFull = errors.New("database or disk is full")

func (failingInbox) SaveInbound(context.Context, bot.Incoming) (bool, error) {
	return false, errDiskFull
}
func (failingInbox) SaveInboundAll(context.Context, []bot.Incoming) ([]bool, error) {
	return nil, errDiskFull
}
func (failingInbox) Unhandled(context.Context) ([]bot.Incoming, error) { return nil, nil }

// recordingHandler stands in for the bot: it records what it was given.
type recordingHandler struct {
	mu  sync.Mutex
	got []bot.Incoming
}

func (h *recordingHandler) Handle(_ context.Context, in bot.Incoming) error {
	h.mu.Lock()
	h.got = append(h.got, in)
	h.mu.Unlock()
	return nil
}

func (h *recordingHandler) HandleFailure(context.Context, bot.Incoming, error) error { return nil }

// fakeReader records read receipts.
type fakeReader struct {
	mu  sync.Mutex
	ids []types.MessageID
}

func (f *fakeReader) MarkRead(_ context.Context, ids []types.MessageID, _ time.Time, _, _ types.JID,
	_ ...types.ReceiptType) error {
	f.mu.Lock()
	f.ids = append(f.ids, ids...)
	f.mu.Unlock()
	return nil
}

func newReceiver(inbox Acceptor, lids PNLookup, reader ReadMarker) *receiver {
	return &receiver{inbox: inbox, lids: lids, reader: reader, log: storetest.Quiet(),
		now: func() time.Time { return at }, reset: func() {}}
}

func TestAckOnlyAfterInboxCommit(t *testing.T) {
	db := storetest.Open(t)
	h := &recordingHandler{}
	disp := pipeline.NewDispatcher(context.Background(), db, h, storetest.Quiet(), 2)
	reader := &fakeReader{}
	r := newReceiver(disp, fakePNs{}, reader)
	evt := dm(pn(applicant), types.JID{}, text("halo"))

	if !r.handle(evt) {
		t.Fatal("a stored message was not acknowledged")
	}
	// Acknowledged means committed: the row is there the moment handle returns.
	var n int
	if err := db.SQL().QueryRow(`SELECT count(*) FROM inbox WHERE id = ?`, evt.Info.ID).Scan(&n); err != nil || n != 1 {
		t.Fatalf("inbox rows for the message: %d (%v), want 1 before the ack", n, err)
	}
	if !r.handle(evt) {
		t.Fatal("a redelivery was not acknowledged")
	}
	disp.Close()
	if len(h.got) != 1 {
		t.Errorf("the bot got the message %d times, want once", len(h.got))
	}
	if len(reader.ids) == 0 || reader.ids[0] != evt.Info.ID {
		t.Errorf("read receipts %v, want one for %s", reader.ids, evt.Info.ID)
	}
}

func TestNoAckWhenInboxFails(t *testing.T) {
	h := &recordingHandler{}
	disp := pipeline.NewDispatcher(context.Background(), failingInbox{}, h, storetest.Quiet(), 2)
	defer disp.Close()
	reader := &fakeReader{}
	r := newReceiver(disp, fakePNs{}, reader)
	if r.handle(dm(pn(applicant), types.JID{}, text("halo"))) {
		t.Error("acknowledged a message the inbox did not store; WhatsApp would not deliver it again")
	}
	if len(reader.ids) != 0 {
		t.Error("marked read a message that was not stored")
	}
}

func TestNoAckWhenLIDLookupFails(t *testing.T) {
	db := storetest.Open(t)
	disp := pipeline.NewDispatcher(context.Background(), db, &recordingHandler{}, storetest.Quiet(), 2)
	defer disp.Close()
	r := newReceiver(disp, fakePNs{err: errors.New("locked")}, nil)
	if r.handle(dm(lid(applicantLID), types.JID{}, text("halo"))) {
		t.Error("acknowledged a message whose sender could not be looked up")
	}
}

func TestNoAckAfterClose(t *testing.T) {
	db := storetest.Open(t)
	disp := pipeline.NewDispatcher(context.Background(), db, &recordingHandler{}, storetest.Quiet(), 2)
	disp.Close()
	r := newReceiver(disp, fakePNs{}, nil)
	if r.handle(dm(pn(applicant), types.JID{}, text("halo"))) {
		t.Error("acknowledged a message during shutdown; it would be lost")
	}
}

func TestSkippedMessagesAreAckedAndNotStored(t *testing.T) {
	db := storetest.Open(t)
	disp := pipeline.NewDispatcher(context.Background(), db, &recordingHandler{}, storetest.Quiet(), 2)
	defer disp.Close()
	reader := &fakeReader{}
	r := newReceiver(disp, fakePNs{}, reader)
	evt := with(dm(pn(applicant), types.JID{}, text("halo")), func(e *events.Message) { e.Info.IsFromMe = true })
	if !r.handle(evt) {
		t.Error("an ignored message must still be acknowledged, or it comes back for ever")
	}
	var n int
	db.SQL().QueryRow(`SELECT count(*) FROM inbox`).Scan(&n)
	if n != 0 || len(reader.ids) != 0 {
		t.Errorf("ignored message: %d inbox rows, %d receipts; want none", n, len(reader.ids))
	}
}
