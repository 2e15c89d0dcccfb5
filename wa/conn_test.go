package wa

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/store"
	"go.mau.fi/whatsmeow/types/events"

	"law/bot"
	"law/pipeline"
	"law/store/storetest"
)

type fakeOutbox map[string]string // id -> text

func (f fakeOutbox) SentText(_ context.Context, id string) (string, string, error) {
	if text, ok := f[id]; ok {
		return applicant + "@s.whatsapp.net", text, nil
	}
	return "", "", fmt.Errorf("look up sent message: %w", sql.ErrNoRows)
}

// testLoop builds Run's loop around a real, never connected client: no network is touched as long
// as the test triggers nothing that connects.
func testLoop(t *testing.T, fetch FetchVersion) (*loop, *Transport) {
	t.Helper()
	l, tr, _ := testLoopDials(t, fetch)
	return l, tr
}

// testLoopDials is testLoop that also returns the count of connection attempts.
func testLoopDials(t *testing.T, fetch FetchVersion) (l *loop, tr *Transport, dialed *int) {
	t.Helper()
	dials := 0
	ctx := context.Background()
	session, err := OpenSession(ctx, filepath.Join(t.TempDir(), "whatsapp.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { session.Close() })
	tr = NewTransport(storetest.Quiet())
	c, err := New(Options{Session: session, Inbox: acceptNothing{}, Settings: fakeSettings{},
		Outbox: fakeOutbox{}, Transport: tr, Log: storetest.Quiet(), FetchVersion: fetch})
	if err != nil {
		t.Fatal(err)
	}
	l = newLoop(c, ctx)
	l.log = storetest.Quiet()
	// No test touches the network: connecting is only counted.
	l.connect = func(*whatsmeow.Client) error {
		dials++
		return nil
	}
	t.Cleanup(l.stopRetry)
	t.Cleanup(l.stopPairWait)
	t.Cleanup(c.Wait)
	l.install(session.NewDevice())
	return l, tr, &dials
}

type acceptNothing struct{}

func (acceptNothing) Accept(context.Context, bot.Incoming) error {
	return errors.New("not in this test")
}

func TestTemporaryBanPausesSending(t *testing.T) {
	l, tr := testLoop(t, nil)
	tr.SetConnected(true)
	if err := l.onEvent(ctrlEvent{gen: l.gen, evt: &events.TemporaryBan{Code: events.TempBanSentToTooManyPeople,
		Expire: 2 * time.Hour}}); err != nil {
		t.Fatal(err)
	}
	var pause *pipeline.PauseError
	err := tr.Send(context.Background(), reply, time.Now())
	if !errors.As(err, &pause) || pause.Until.Before(time.Now().Add(time.Hour)) {
		t.Fatalf("after a ban: %v, want a PauseError about two hours ahead", err)
	}
	if l.retryC == nil {
		t.Error("no reconnect planned for when the ban ends")
	}
}

func TestClientOutdatedWithoutNewerVersionStops(t *testing.T) {
	keepVersion(t)
	l, _ := testLoop(t, fetchOf(store.GetWAVersion(), nil))
	err := l.onEvent(ctrlEvent{gen: l.gen, evt: &events.ClientOutdated{}})
	if !errors.Is(err, ErrClientOutdated) {
		t.Errorf("got %v, want ErrClientOutdated, which tells the operator to update", err)
	}
}

func TestClientOutdatedFetchFailsRetries(t *testing.T) {
	orig := keepVersion(t)
	l, _ := testLoop(t, fetchOf(store.WAVersionContainer{}, errors.New("no route to host")))
	if err := l.onEvent(ctrlEvent{gen: l.gen, evt: &events.ClientOutdated{}}); err != nil {
		t.Fatalf("a failed fetch ended the run: %v", err)
	}
	if l.retryC == nil || store.GetWAVersion() != orig {
		t.Error("want a retry planned and the version unchanged")
	}
}

func TestStreamReplacedStops(t *testing.T) {
	l, _ := testLoop(t, nil)
	if err := l.onEvent(ctrlEvent{gen: l.gen, evt: &events.StreamReplaced{}}); !errors.Is(err, ErrStreamReplaced) {
		t.Errorf("got %v, want ErrStreamReplaced", err)
	}
}

func TestStaleClientEventsIgnored(t *testing.T) {
	l, _ := testLoop(t, nil)
	if err := l.onEvent(ctrlEvent{gen: l.gen - 1, evt: &events.StreamReplaced{}}); err != nil {
		t.Errorf("an event of a replaced client ended the run: %v", err)
	}
}

func TestMessageForRetryFromOutbox(t *testing.T) {
	c := &Conn{o: Options{Outbox: fakeOutbox{reply.ID: reply.Text}, Log: storetest.Quiet()}}
	if m := c.messageForRetry(nil, pn(applicant), pn(applicant), reply.ID); m.GetConversation() != reply.Text {
		t.Errorf("retry answered with %v, want the outbox text", m)
	}
	if m := c.messageForRetry(nil, pn(applicant), pn(applicant), "3EB0UNKNOWN"); m != nil {
		t.Errorf("unknown id answered with %v", m)
	}
}
