package wa

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/types"

	"law/bot"
	"law/pipeline"
	"law/store/storetest"
)

// fakeClient records what the transport asks of WhatsApp.
type fakeClient struct {
	mu    sync.Mutex
	calls []string
	sent  []whatsmeow.SendRequestExtra
	err   error
	// errs are the errors of the next sends, in turn, before err.
	errs    []error
	offline atomic.Bool // IsConnected says no
}

func (f *fakeClient) IsConnected() bool { return !f.offline.Load() }
func (f *fakeClient) IsLoggedIn() bool  { return true }

func (f *fakeClient) SendChatPresence(_ context.Context, jid types.JID, state types.ChatPresence, _ types.ChatPresenceMedia) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, string(state)+" "+jid.String())
	return nil
}

func (f *fakeClient) SendMessage(_ context.Context, to types.JID, m *waE2E.Message,
	extra ...whatsmeow.SendRequestExtra) (whatsmeow.SendResponse, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, "message "+to.String()+" "+m.GetConversation())
	f.sent = append(f.sent, extra...)
	if len(f.errs) > 0 {
		err := f.errs[0]
		f.errs = f.errs[1:]
		return whatsmeow.SendResponse{}, err
	}
	return whatsmeow.SendResponse{}, f.err
}

func (f *fakeClient) log() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.calls...)
}

// newTestTransport returns a transport with a fixed clock.
func newTestTransport(now time.Time) *Transport {
	tr := NewTransport(storetest.Quiet())
	tr.now = func() time.Time { return now }
	return tr
}

var reply = bot.Outgoing{ID: "3EB0ABCDEF0123456789AB", Chat: applicant + "@s.whatsapp.net", Phone: applicant, Text: "Nomor antrian 007"}

func TestTransportSends(t *testing.T) {
	tr := newTestTransport(at)
	cli := &fakeClient{}
	tr.SetClient(cli)
	tr.SetConnected(true)
	tr.Typing(context.Background(), reply)
	if err := tr.Send(context.Background(), reply, at); err != nil {
		t.Fatal(err)
	}
	chat := applicant + "@s.whatsapp.net"
	want := []string{"composing " + chat, "message " + chat + " Nomor antrian 007"}
	if got := cli.log(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("calls %q\nwant  %q", got, want)
	}
	if len(cli.sent) != 1 || cli.sent[0].ID != reply.ID {
		t.Errorf("sent with %+v, want the outbox id %s", cli.sent, reply.ID)
	}
}

func TestTransportBulkWithoutTyping(t *testing.T) {
	tr := newTestTransport(at)
	cli := &fakeClient{}
	tr.SetClient(cli)
	tr.SetConnected(true)
	bulk := reply
	bulk.Bulk = true
	tr.Typing(context.Background(), bulk)
	if err := tr.Send(context.Background(), bulk, at); err != nil {
		t.Fatal(err)
	}
	if got := cli.log(); len(got) != 1 || !strings.HasPrefix(got[0], "message ") {
		t.Errorf("calls %q, want the message alone", got)
	}
}

func TestTransportWaitsForConnection(t *testing.T) {
	tr := newTestTransport(at)
	cli := &fakeClient{}
	cli.offline.Store(true)
	tr.SetClient(cli)
	done := make(chan error, 1)
	go func() { done <- tr.Send(context.Background(), reply, at) }()
	select {
	case err := <-done:
		t.Fatalf("sent before the connection was up: %v", err)
	case <-time.After(50 * time.Millisecond):
	}
	if len(cli.log()) != 0 {
		t.Fatal("talked to WhatsApp before Connected")
	}
	cli.offline.Store(false)
	tr.SetConnected(true)
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("still waiting after Connected")
	}

	cli.offline.Store(true)
	tr.SetConnected(false)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if err := tr.Send(ctx, reply, at); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("disconnected until shutdown: %v, want the context's error", err)
	}
}

func TestTransportBan(t *testing.T) {
	tr := newTestTransport(at)
	cli := &fakeClient{}
	tr.SetClient(cli)
	tr.SetConnected(true)
	until := at.Add(24 * time.Hour)
	tr.Ban(until)
	var pause *pipeline.PauseError
	if err := tr.Send(context.Background(), reply, at); !errors.As(err, &pause) || !pause.Until.Equal(until) {
		t.Fatalf("during a ban: %v, want a PauseError until %s", err, until)
	}
	if len(cli.log()) != 0 {
		t.Error("talked to WhatsApp during a ban")
	}

	// A ban that comes while Send waits for the connection ends the wait.
	tr2 := newTestTransport(at)
	offline := &fakeClient{}
	offline.offline.Store(true)
	tr2.SetClient(offline)
	done := make(chan error, 1)
	go func() { done <- tr2.Send(context.Background(), reply, at) }()
	time.Sleep(20 * time.Millisecond)
	tr2.Ban(until)
	select {
	case err := <-done:
		if !errors.As(err, &pause) {
			t.Errorf("got %v, want a PauseError", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a ban did not wake the waiting Send")
	}
}

func TestTransportErrorIsMasked(t *testing.T) {
	tr := newTestTransport(at)
	cause := errors.New("no session with " + applicant + "@s.whatsapp.net")
	tr.SetClient(&fakeClient{err: cause})
	tr.SetConnected(true)
	err := tr.Send(context.Background(), reply, at)
	if !errors.Is(err, cause) {
		t.Fatalf("err %v does not wrap the cause", err)
	}
	if strings.Contains(err.Error(), applicant) {
		t.Errorf("the error text carries the phone number: %v", err)
	}
}

func TestParseChat(t *testing.T) {
	for in, want := range map[string]string{
		applicant:                       applicant + "@s.whatsapp.net",
		applicant + "@s.whatsapp.net":   applicant + "@s.whatsapp.net",
		applicant + ":4@s.whatsapp.net": applicant + "@s.whatsapp.net",
		applicantLID + "@lid":           applicantLID + "@lid",
	} {
		if got, err := ParseChat(in); err != nil || got.String() != want {
			t.Errorf("ParseChat(%q) = %s, %v; want %s", in, got, err, want)
		}
	}
	for _, in := range []string{"", "120363000000000001@g.us", "status@broadcast", "120363000000000002@newsletter",
		"abc", "@s.whatsapp.net"} {
		if _, err := ParseChat(in); !errors.Is(err, ErrBadChat) {
			t.Errorf("ParseChat(%q): %v, want ErrBadChat", in, err)
		}
	}
}
