package wa

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"

	"law/bot"
	"law/pipeline"
	"law/store/storetest"
)

// capture makes the loop log into a buffer; only the test's goroutine drives the loop.
func capture(l *loop) *bytes.Buffer {
	b := &bytes.Buffer{}
	l.log = slog.New(slog.NewTextHandler(b, &slog.HandlerOptions{Level: slog.LevelDebug}))
	return b
}

func TestLoggedOutReasons(t *testing.T) {
	t.Parallel()
	for reason, want := range map[events.ConnectFailureReason]error{
		events.ConnectFailureMainDeviceGone: ErrAccountLocked, // 403
		events.ConnectFailureUnknownLogout:  ErrAccountBanned, // 406
	} {
		t.Run(reason.NumberString(), func(t *testing.T) {
			t.Parallel()
			l, _, dials := testLoopDials(t, nil)
			logs := capture(l)
			gen := l.gen
			err := l.onEvent(ctrlEvent{gen: gen, evt: &events.LoggedOut{OnConnect: true, Reason: reason}})
			if !errors.Is(err, want) {
				t.Fatalf("got %v, want %v", err, want)
			}
			if l.gen != gen || *dials != 0 || l.qr != nil {
				t.Error("a locked or banned number was paired again")
			}
			if n := strings.Count(logs.String(), "level=ERROR"); n != 1 || !strings.Contains(logs.String(), "office phone") {
				t.Errorf("want one error line saying what to do on the office phone; got:\n%s", logs)
			}
		})
	}
	// A real unlink (401, or the device_removed stream error, which whatsmeow reports as 401) pairs
	// again with a fresh device.
	for _, evt := range []*events.LoggedOut{{OnConnect: true, Reason: events.ConnectFailureLoggedOut},
		{OnConnect: false, Reason: events.ConnectFailureLoggedOut}} {
		l, _, dials := testLoopDials(t, nil)
		gen := l.gen
		if err := l.onEvent(ctrlEvent{gen: gen, evt: evt}); err != nil {
			t.Fatalf("unlink %+v ended the run: %v", evt, err)
		}
		if l.gen != gen+1 || l.qr == nil || *dials != 1 {
			t.Errorf("unlink %+v: new client %v, pairing %v, dials %d; want a new pairing round",
				evt, l.gen == gen+1, l.qr != nil, *dials)
		}
	}
}

func TestKeepAliveSignals(t *testing.T) {
	t.Parallel()
	l, tr, _ := testLoopDials(t, nil)
	logs := capture(l)
	now := at
	tr.now = func() time.Time { return now }
	for _, e := range []any{&events.Connected{}} {
		if err := l.onEvent(ctrlEvent{gen: l.gen, evt: e}); err != nil {
			t.Fatal(err)
		}
	}
	tr.mu.Lock()
	up, since := tr.connected, tr.since
	tr.mu.Unlock()
	if !up || !since.Equal(at) {
		t.Fatalf("after Connected: connected %v since %s", up, since)
	}
	now = at.Add(time.Minute)
	for n := 1; n <= 3; n++ {
		if err := l.onEvent(ctrlEvent{gen: l.gen, evt: &events.KeepAliveTimeout{ErrorCount: n}}); err != nil {
			t.Fatal(err)
		}
	}
	_, since, _ = tr.State()
	if !since.Equal(now) {
		t.Errorf("state since %s, want the first keep-alive timeout %s", since, now)
	}
	if n := strings.Count(logs.String(), "stopped answering"); n != 1 {
		t.Errorf("%d lines for three keep-alive failures, want one:\n%s", n, logs)
	}
	now = at.Add(2 * time.Minute)
	if err := l.onEvent(ctrlEvent{gen: l.gen, evt: &events.KeepAliveRestored{}}); err != nil {
		t.Fatal(err)
	}
	if _, since, _ = tr.State(); !since.Equal(now) || !strings.Contains(logs.String(), "answers again") {
		t.Errorf("after KeepAliveRestored: since %s, logs:\n%s", since, logs)
	}
}

// manualTimer gives the loop timers that fire when the test says.
type manualTimer struct {
	c       chan time.Time
	started []time.Duration
	stopped int
}

func (m *manualTimer) timer(d time.Duration) (<-chan time.Time, func() bool) {
	m.started = append(m.started, d)
	m.c = make(chan time.Time, 1)
	return m.c, func() bool { m.stopped++; return true }
}

func TestReconnectWhenConnectedDoesNotFollowPairing(t *testing.T) {
	t.Parallel()
	l, _, dials := testLoopDials(t, nil)
	mt := &manualTimer{}
	l.timer = mt.timer
	jid := pn(applicant)
	l.cli.Store.ID = &jid
	if err := l.onEvent(ctrlEvent{gen: l.gen, evt: &events.PairSuccess{ID: jid}}); err != nil {
		t.Fatal(err)
	}
	if l.pairC == nil || len(mt.started) != 1 || mt.started[0] != pairConnectWait {
		t.Fatalf("no wait of %s for Connected started after pairing: %v", pairConnectWait, mt.started)
	}
	mt.c <- at
	l.onPairTimeout()
	if *dials != 1 {
		t.Errorf("%d connection attempts after the wait ran out, want 1", *dials)
	}

	// Connected in time: the wait is called off.
	l2, _, dials2 := testLoopDials(t, nil)
	mt2 := &manualTimer{}
	l2.timer = mt2.timer
	l2.cli.Store.ID = &jid
	l2.onQR(whatsmeow.QRChannelSuccess, true)
	if err := l2.onEvent(ctrlEvent{gen: l2.gen, evt: &events.Connected{}}); err != nil {
		t.Fatal(err)
	}
	if l2.pairC != nil || mt2.stopped == 0 || *dials2 != 0 {
		t.Errorf("Connected in time: wait pending %v, stopped %d, dials %d", l2.pairC != nil, mt2.stopped, *dials2)
	}
}

func TestPairingRoundsSlowDown(t *testing.T) {
	t.Parallel()
	l, _, dials := testLoopDials(t, nil)
	logs := capture(l)
	for round := 1; round <= quickRounds+2; round++ {
		l.rounds, l.codes = round, 6
		before := *dials
		l.stopRetry()
		l.onQR(whatsmeow.QRChannelTimeout, true)
		quick := *dials > before
		if quick != (round < quickRounds) {
			t.Errorf("round %d: new code at once %v", round, quick)
		}
		if !quick && l.retryC == nil {
			t.Errorf("round %d: no later round planned", round)
		}
	}
	if n := strings.Count(logs.String(), "come less often"); n != 3 {
		t.Errorf("%d slow-down lines for three slow rounds, want one each:\n%s", n, logs)
	}
	if !strings.Contains(logs.String(), "next_in="+slowRound.String()) ||
		!strings.Contains(logs.String(), "next_in="+(3*slowRound).String()) {
		t.Errorf("want waits growing from %s:\n%s", slowRound, logs)
	}
}

func TestPairingCodeOnlyInFirstRounds(t *testing.T) {
	t.Parallel()
	l, _, _ := testLoopDials(t, nil)
	logs := capture(l)
	l.c.o.PairPhone = applicant
	l.rounds, l.codes = phoneRounds+1, 0
	l.onQR(whatsmeow.QRChannelItem{Event: whatsmeow.QRChannelEventCode, Code: "2@abc"}, true)
	if !l.noPhone || strings.Contains(logs.String(), "could not get a pairing code") ||
		!strings.Contains(logs.String(), "no more pairing codes") {
		t.Errorf("round %d asked for a pairing code; logs:\n%s", l.rounds, logs)
	}
}

// flakyInbox fails while fail is set.
type flakyInbox struct{ fail bool }

func (f *flakyInbox) Accept(context.Context, bot.Incoming) error {
	if f.fail {
		return errDiskFull
	}
	return nil
}

func TestRefusedMessagesResetTheConnectionOnce(t *testing.T) {
	t.Parallel()
	inbox := &flakyInbox{fail: true}
	r := newReceiver(inbox, fakePNs{}, nil)
	resets := 0
	r.reset = func() { resets++ }
	msg := func(i int) *events.Message {
		e := dm(pn(applicant), types.JID{}, text("halo"))
		e.Info.ID = fmt.Sprintf("3EB0%018d", i)
		return e
	}
	for i := range resetAfter - 1 {
		if r.handle(msg(i)) {
			t.Fatal("a refused message was acknowledged")
		}
	}
	if resets != 0 {
		t.Fatalf("%d resets before %d refusals", resets, resetAfter)
	}
	for i := range 5 {
		r.handle(msg(10 + i))
	}
	if resets != 1 {
		t.Fatalf("%d resets while the store keeps failing, want one", resets)
	}
	inbox.fail = false
	if !r.handle(msg(20)) {
		t.Fatal("a stored message was not acknowledged")
	}
	if resets != 2 {
		t.Errorf("%d resets after the store works again, want one more", resets)
	}
	r.handle(msg(21))
	if resets != 2 {
		t.Errorf("%d resets; a healthy store must not reset", resets)
	}

	// One refusal, then the store works: one reset, at once.
	inbox.fail = true
	r.handle(msg(30))
	inbox.fail = false
	r.handle(msg(31))
	if resets != 3 {
		t.Errorf("%d resets after one refusal and a recovery, want 3", resets)
	}
}

func TestPermanentSendErrors(t *testing.T) {
	t.Parallel()
	to := pn(applicant)
	for name, c := range map[string]struct {
		err       error
		permanent bool
	}{
		"AD JID":          {whatsmeow.ErrRecipientADJID, true},
		"unknown server":  {fmt.Errorf("%w %s", whatsmeow.ErrUnknownServer, "example.net"), true},
		"no LID":          {fmt.Errorf("no LID found for %s from server", to), true},
		"no such user":    {fmt.Errorf("%w %d", whatsmeow.ErrServerReturnedError, 404), true},
		"restricted 463":  {fmt.Errorf("%w %d", whatsmeow.ErrServerReturnedError, 463), true},
		"invalid 479":     {fmt.Errorf("%w %d", whatsmeow.ErrServerReturnedError, 479), true},
		"server 500":      {fmt.Errorf("%w %d", whatsmeow.ErrServerReturnedError, 500), false},
		"timed out":       {whatsmeow.ErrMessageTimedOut, false},
		"IQ timed out":    {fmt.Errorf("failed to get device list: %w", whatsmeow.ErrIQTimedOut), false},
		"user info fails": {fmt.Errorf("failed to get user info for %s to fill LID cache: %w", to, whatsmeow.ErrIQTimedOut), false},
	} {
		tr := newTestTransport(at)
		tr.SetClient(&fakeClient{err: c.err})
		err := tr.Send(context.Background(), reply, at)
		if err == nil {
			t.Fatalf("%s: no error", name)
		}
		if errors.Is(err, pipeline.ErrPermanent) != c.permanent || !errors.Is(err, c.err) {
			t.Errorf("%s: %v; permanent %v, want %v (and the cause kept)", name, err,
				errors.Is(err, pipeline.ErrPermanent), c.permanent)
		}
		if strings.Contains(err.Error(), applicant) {
			t.Errorf("%s: the error text carries the phone number: %v", name, err)
		}
	}
}

func TestNotConnectedIsWaitingNotAnAttempt(t *testing.T) {
	t.Parallel()
	for _, cause := range []error{whatsmeow.ErrNotConnected, whatsmeow.ErrNotLoggedIn,
		fmt.Errorf("failed to get device list: failed to send usync query: %w", whatsmeow.ErrNotConnected)} {
		tr := newTestTransport(at)
		tr.recheck = time.Millisecond
		cli := &fakeClient{errs: []error{cause, cause}}
		tr.SetClient(cli)
		if err := tr.Send(context.Background(), reply, at); err != nil {
			t.Errorf("%v: Send returned %v, want it to wait for the connection and send", cause, err)
		}
		if n := len(cli.log()); n != 3 {
			t.Errorf("%v: %d sends, want 3 (two lost connections, then the message)", cause, n)
		}
	}
}

func TestStaleConnectedFlagDoesNotSend(t *testing.T) {
	t.Parallel()
	// whatsmeow reconnects after a keep-alive failure without a Disconnected event: the events said
	// connected, the client says not.
	tr := newTestTransport(at)
	cli := &fakeClient{}
	cli.offline.Store(true)
	tr.SetClient(cli)
	tr.SetConnected(true)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if err := tr.Send(ctx, reply, at); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("got %v, want to wait while the client is not connected", err)
	}
	if len(cli.log()) != 0 {
		t.Error("sent while the client said it was not connected")
	}
	if up, _, _ := tr.State(); up {
		t.Error("State says connected while the client says not")
	}
	cli.offline.Store(false)
	if up, _, ban := tr.State(); !up || !ban.IsZero() {
		t.Errorf("State %v, ban %s; want connected, no ban", up, ban)
	}
	tr.Ban(at.Add(time.Hour))
	if _, _, ban := tr.State(); !ban.Equal(at.Add(time.Hour)) {
		t.Errorf("State's ban %s, want %s", ban, at.Add(time.Hour))
	}
}

// lidStore maps one applicant both ways.
type lidStore struct{}

func (lidStore) GetPNForLID(_ context.Context, l types.JID) (types.JID, error) {
	if l.User == applicantLID {
		return pn(applicant), nil
	}
	return types.JID{}, nil
}

func (lidStore) GetLIDForPN(_ context.Context, p types.JID) (types.JID, error) {
	if p.User == applicant {
		return lid(applicantLID), nil
	}
	return types.JID{}, nil
}

func TestMessageForRetryOnlyForItsChat(t *testing.T) {
	t.Parallel()
	c := &Conn{o: Options{Outbox: fakeOutbox{reply.ID: reply.Text}, Log: storetest.Quiet()}}
	device := func(j types.JID) types.JID { j.Device = 3; return j }
	for name, c2 := range map[string]struct {
		requester types.JID
		ok        bool
	}{
		"phone":         {device(pn(applicant)), true},
		"LID":           {device(lid(applicantLID)), true},
		"another phone": {device(pn(staffPhone)), false},
		"another LID":   {device(lid(staffLID)), false},
	} {
		m := c.messageForRetry(lidStore{}, c2.requester, c2.requester.ToNonAD(), reply.ID)
		if (m != nil) != c2.ok {
			t.Errorf("%s: answered %v, want %v", name, m != nil, c2.ok)
		}
	}
}

func TestUnreachableRoundsDoNotCount(t *testing.T) {
	t.Parallel()
	l, _, _ := testLoopDials(t, nil)
	logs := capture(l)
	for range quickRounds + 2 {
		l.stopRetry()
		l.start() // a new round, as the retry timer would
		l.onQR(whatsmeow.QRChannelTimeout, true)
	}
	if l.rounds != 0 {
		t.Errorf("%d rounds counted without a code shown, want 0", l.rounds)
	}
	if n := strings.Count(logs.String(), "level=WARN msg=\"cannot reach WhatsApp"); n != 1 {
		t.Errorf("%d warnings for one outage, want one:\n%s", n, logs)
	}
}
