package pipeline

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"sync"
	"testing"
	"time"

	"law/bot"
	"law/clock"
	"law/store/storetest"
)

var t0 = time.Date(2026, 12, 1, 7, 0, 0, 0, time.FixedZone("WIB", 7*3600))

// memOutbox is an outbox in memory.
type memOutbox struct {
	mu      sync.Mutex
	msgs    []bot.Outgoing
	sent    map[string]time.Time
	failed  map[string]int // failed attempts recorded
	gaveUp  map[string]bool
	notify  chan struct{}
	updates chan string // "sent ID" or "failed ID give_up"
	writes  int         // MarkSentAll calls: one write each
}

func newMemOutbox() *memOutbox {
	return &memOutbox{sent: map[string]time.Time{}, failed: map[string]int{}, gaveUp: map[string]bool{},
		notify: make(chan struct{}, 1), updates: make(chan string, 1000)}
}

func (m *memOutbox) add(os ...bot.Outgoing) {
	m.mu.Lock()
	for _, o := range os {
		o.Seq = int64(len(m.msgs) + 1)
		if o.ID == "" {
			o.ID = fmt.Sprintf("ID%d", o.Seq)
		}
		m.msgs = append(m.msgs, o)
	}
	m.mu.Unlock()
	select {
	case m.notify <- struct{}{}:
	default:
	}
}

func (m *memOutbox) Pending(_ context.Context, after int64, limit int) ([]bot.Outgoing, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []bot.Outgoing
	for _, o := range m.msgs {
		if _, done := m.sent[o.ID]; done || m.gaveUp[o.ID] || o.Seq <= after {
			continue
		}
		o.Attempts = m.failed[o.ID]
		out = append(out, o)
		if len(out) == limit {
			break
		}
	}
	return out, nil
}

func (m *memOutbox) MarkSentAll(_ context.Context, sent map[string]time.Time) error {
	m.mu.Lock()
	m.writes++
	for id, at := range sent {
		m.sent[id] = at
	}
	m.mu.Unlock()
	for _, id := range slices.Sorted(maps.Keys(sent)) {
		m.update("sent " + id)
	}
	return nil
}

// update reports an outbox change to the test; past what the test reads (a message that fails
// for ever, retried on a jumping clock), changes are dropped rather than block the sender.
func (m *memOutbox) update(u string) {
	select {
	case m.updates <- u:
	default:
	}
}

func (m *memOutbox) MarkFailed(_ context.Context, id string, _ error, giveUp bool) error {
	m.mu.Lock()
	m.failed[id]++
	m.gaveUp[id] = giveUp
	m.mu.Unlock()
	m.update(fmt.Sprintf("failed %s %v", id, giveUp))
	return nil
}

func (m *memOutbox) Notify() <-chan struct{} { return m.notify }

// sendCall is one call of the transport.
type sendCall struct {
	id string
	at time.Time
}

// fakeTransport records every call; fail decides the result of the nth call (0-based).
type fakeTransport struct {
	mu    sync.Mutex
	calls []sendCall
	fail  func(o bot.Outgoing, n int) error
}

func (f *fakeTransport) Send(_ context.Context, o bot.Outgoing, at time.Time) error {
	f.mu.Lock()
	n := len(f.calls)
	f.calls = append(f.calls, sendCall{o.ID, at})
	f.mu.Unlock()
	if f.fail != nil {
		return f.fail(o, n)
	}
	return nil
}

func (f *fakeTransport) log() []sendCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]sendCall(nil), f.calls...)
}

// runSender runs a sender until want outbox updates happened, and returns them in order.
func runSender(t *testing.T, out *memOutbox, tr *fakeTransport, pace Pace, want int) []string {
	t.Helper()
	clock := clock.NewJump(t0)
	s := NewSender(out, tr, pace, clock, storetest.Quiet(), 1)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	var got []string
	for len(got) < want {
		select {
		case u := <-out.updates:
			got = append(got, u)
		case <-time.After(5 * time.Second):
			cancel()
			t.Fatalf("after %v, still waiting for %d more outbox updates", got, want-len(got))
		}
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("Run returned %v, want context.Canceled", err)
	}
	return got
}

func msg(id, chat string) bot.Outgoing {
	return bot.Outgoing{ID: id, Chat: chat, Phone: chat, Text: "text of " + id, CreatedAt: t0}
}

func checkCalls(t *testing.T, got []sendCall, want []sendCall) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d sends %v, want %d %v", len(got), got, len(want), want)
	}
	for i := range want {
		if got[i].id != want[i].id || !got[i].at.Equal(want[i].at) {
			t.Errorf("send %d: %s at +%s, want %s at +%s", i, got[i].id, got[i].at.Sub(t0),
				want[i].id, want[i].at.Sub(t0))
		}
	}
}

func TestSenderPace(t *testing.T) {
	t.Parallel()
	out := newMemOutbox()
	out.add(msg("A1", "a"), msg("A2", "a"), msg("B1", "b"), msg("A3", "a"))
	tr := &fakeTransport{}
	runSender(t, out, tr, Pace{Global: time.Second, Chat: 5 * time.Second, MaxAttempts: 3}, 4)
	// One chat's replies keep their order, five seconds apart; another chat fills the gap one
	// global interval later.
	checkCalls(t, tr.log(), []sendCall{
		{"A1", t0}, {"B1", t0.Add(time.Second)}, {"A2", t0.Add(5 * time.Second)}, {"A3", t0.Add(10 * time.Second)},
	})
}

func TestSenderBulkGoesSlowAndLast(t *testing.T) {
	t.Parallel()
	out := newMemOutbox()
	bulk := func(id, chat string) bot.Outgoing {
		o := msg(id, chat)
		o.Bulk = true
		return o
	}
	out.add(bulk("X", "x"), bulk("Y", "y"), msg("R", "r"), bulk("Z", "z"))
	tr := &fakeTransport{}
	runSender(t, out, tr, Pace{Global: time.Second, Chat: 5 * time.Second, Bulk: 3 * time.Second, MaxAttempts: 3}, 4)
	checkCalls(t, tr.log(), []sendCall{
		{"R", t0}, {"X", t0.Add(time.Second)}, {"Y", t0.Add(4 * time.Second)}, {"Z", t0.Add(7 * time.Second)},
	})
}

// TestSenderBulkNotStarvedByRetries has a reply that keeps failing: its retries wait out their
// backoff, and the reminders behind it go meanwhile instead of waiting for the reply to succeed.
func TestSenderBulkNotStarvedByRetries(t *testing.T) {
	t.Parallel()
	out := newMemOutbox()
	bulk := msg("X", "x")
	bulk.Bulk = true
	out.add(msg("R", "r"), bulk)
	tr := &fakeTransport{fail: func(o bot.Outgoing, _ int) error {
		if o.ID == "R" {
			return errors.New("websocket not connected")
		}
		return nil
	}}
	runSender(t, out, tr, Pace{Global: time.Second, Chat: time.Second, Bulk: 3 * time.Second, MaxAttempts: 3}, 2)
	// The reply fails at once and waits 2 s for its retry; the reminder goes meanwhile.
	if calls := tr.log(); len(calls) < 3 || calls[0].id != "R" || calls[1].id != "X" || calls[2].id != "R" {
		t.Errorf("sends %v, want the reply's first failure, the reminder during its backoff, then the retry", calls)
	}
}

func TestSenderJitterStaysWithinBound(t *testing.T) {
	t.Parallel()
	out := newMemOutbox()
	for i := range 6 {
		out.add(msg(fmt.Sprintf("M%d", i), fmt.Sprintf("chat%d", i)))
	}
	tr := &fakeTransport{}
	runSender(t, out, tr, Pace{Global: time.Second, Jitter: 500 * time.Millisecond, MaxAttempts: 3}, 6)
	calls := tr.log()
	jittered := false
	for i := 1; i < len(calls); i++ {
		gap := calls[i].at.Sub(calls[i-1].at)
		if gap < time.Second || gap >= 1500*time.Millisecond {
			t.Errorf("gap %d is %s, want in [1s, 1.5s)", i, gap)
		}
		jittered = jittered || gap != time.Second
	}
	if !jittered {
		t.Error("no jitter at all")
	}
}

func TestSenderBanPause(t *testing.T) {
	t.Parallel()
	out := newMemOutbox()
	out.add(msg("A1", "a"), msg("B1", "b"))
	until := t0.Add(6 * time.Hour)
	tr := &fakeTransport{fail: func(_ bot.Outgoing, n int) error {
		if n == 0 {
			return &PauseError{Until: until}
		}
		return nil
	}}
	got := runSender(t, out, tr, Pace{Global: time.Second, Chat: 5 * time.Second, MaxAttempts: 3}, 2)
	if fmt.Sprint(got) != "[sent A1 sent B1]" {
		t.Errorf("outbox updates %v: a ban must not count as a failed attempt", got)
	}
	// Nothing at all goes out before the ban ends, then sending resumes at the usual pace.
	checkCalls(t, tr.log(), []sendCall{{"A1", t0}, {"A1", until}, {"B1", until.Add(time.Second)}})
}

func TestSenderRetriesWithBackoffThenGivesUp(t *testing.T) {
	t.Parallel()
	// A passing failure (a dropped connection) is retried with a doubling pause, and not given up
	// after MaxAttempts while the message is younger than a day: a reply must not be lost to a
	// few minutes of trouble.
	out := newMemOutbox()
	out.add(msg("A1", "a"))
	tr := &fakeTransport{fail: func(bot.Outgoing, int) error { return errors.New("websocket not connected") }}
	got := runSender(t, out, tr, Pace{Global: time.Second, Chat: time.Second, MaxAttempts: 3}, 3)
	if fmt.Sprint(got) != "[failed A1 false failed A1 false failed A1 false]" {
		t.Errorf("outbox updates %v, want three retries and no giving up", got)
	}
	// Backoff doubles: 2 s after the first failure, 4 s after the second (the sender may have
	// tried again before it was stopped).
	calls := tr.log()
	if len(calls) < 3 {
		t.Fatalf("%d sends, want at least 3", len(calls))
	}
	checkCalls(t, calls[:3], []sendCall{{"A1", t0}, {"A1", t0.Add(2 * time.Second)}, {"A1", t0.Add(6 * time.Second)}})

	// A failure no retry can mend is given up at once.
	out = newMemOutbox()
	out.add(msg("B1", "b"))
	tr = &fakeTransport{fail: func(bot.Outgoing, int) error {
		return fmt.Errorf("send: %w", ErrPermanent)
	}}
	got = runSender(t, out, tr, Pace{Global: time.Second, Chat: time.Second, MaxAttempts: 3}, 1)
	if fmt.Sprint(got) != "[failed B1 true]" {
		t.Errorf("outbox updates %v, want giving up at once", got)
	}
}

// startSender runs a sender on a jumping clock until the test ends.
func startSender(t *testing.T, out *memOutbox, tr *fakeTransport, pace Pace, tweak func(*Sender)) *Sender {
	t.Helper()
	s := NewSender(out, tr, pace, clock.NewJump(t0), slog.New(slog.DiscardHandler), 1)
	if tweak != nil {
		tweak(s)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		<-done
	})
	return s
}

func flush(t *testing.T, s *Sender) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.Flush(ctx); err != nil {
		t.Fatalf("Flush: %v", err)
	}
}

// TestSenderPerMinuteCap sends faster than 60 a minute would allow: the 61st message waits until a
// minute after the first, and no 60-second span ever holds more than 60 messages.
func TestSenderPerMinuteCap(t *testing.T) {
	t.Parallel()
	out := newMemOutbox()
	for i := range 150 {
		out.add(msg(fmt.Sprintf("M%03d", i), fmt.Sprintf("chat%d", i)))
	}
	tr := &fakeTransport{}
	s := startSender(t, out, tr, Pace{Global: 100 * time.Millisecond, PerMinute: 60, MaxAttempts: 3}, nil)
	flush(t, s)
	calls := tr.log()
	if len(calls) != 150 {
		t.Fatalf("%d sends, want 150", len(calls))
	}
	if got := calls[59].at.Sub(t0); got != 5900*time.Millisecond {
		t.Errorf("60th send at +%s, want +5.9s: the global interval alone until the cap", got)
	}
	for i := 60; i < len(calls); i++ {
		if span := calls[i].at.Sub(calls[i-60].at); span < time.Minute {
			t.Fatalf("sends %d and %d are %s apart: 61 messages within a minute", i-60, i, span)
		}
	}
	if got := calls[60].at.Sub(t0); got != time.Minute {
		t.Errorf("61st send at +%s, want +1m0s, as soon as the cap allows", got)
	}
}

// TestSenderServesEarliestConversationFirst: a chat whose conversation started first goes before
// a newer one that queued earlier; each chat keeps its order; a ready reply goes before a bulk
// message, even one ranked earlier.
func TestSenderServesEarliestConversationFirst(t *testing.T) {
	t.Parallel()
	at := t0.Add(10 * time.Second)
	m := func(id, chat string, rank time.Time, bulk bool) bot.Outgoing {
		o := msg(id, chat)
		o.CreatedAt, o.Rank, o.Bulk = at, rank, bulk
		return o
	}
	out := newMemOutbox()
	out.add(
		m("B", "b", t0.Add(-time.Hour), true), // a reminder, queued first
		m("N1", "new", at, false),             // a newcomer's menu, queued before the older flow's replies
		m("O1", "old", t0, false),             // a flow that started at t0
		m("O2", "old", t0, false),
	)
	tr := &fakeTransport{}
	s := startSender(t, out, tr, Pace{Global: time.Second, Chat: 5 * time.Second, Bulk: 3 * time.Second,
		MaxAttempts: 3}, nil)
	flush(t, s)
	// O1 first (earliest conversation); the newcomer next, while "old" waits out its own pace; the
	// reminder only when no reply can go; O2 after O1, at the chat's pace.
	checkCalls(t, tr.log(), []sendCall{
		{"O1", at}, {"N1", at.Add(time.Second)}, {"B", at.Add(2 * time.Second)}, {"O2", at.Add(5 * time.Second)},
	})
}

// TestSenderDefaultPaceHolds: many chats with messages of all ranks and kinds, at the default pace
// with its jitter. Whatever the serving order, every pace holds at every send (global, per chat,
// bulk, 60 a minute) and each chat's messages go in their outbox order.
func TestSenderDefaultPaceHolds(t *testing.T) {
	t.Parallel()
	pace := Pace{Global: 700 * time.Millisecond, Jitter: 600 * time.Millisecond, Chat: time.Second,
		Bulk: 5 * time.Second, PerMinute: 60, MaxAttempts: 3}
	out := newMemOutbox()
	var all []bot.Outgoing
	for i := range 240 {
		o := msg(fmt.Sprintf("M%03d", i), fmt.Sprintf("chat%d", i%17))
		o.CreatedAt = t0.Add(time.Duration(i%40) * time.Second)
		o.Rank = t0.Add(time.Duration(i%7) * time.Minute)
		o.Bulk = i%5 == 0
		all = append(all, o)
	}
	out.add(all...)
	tr := &fakeTransport{}
	s := startSender(t, out, tr, pace, nil)
	flush(t, s)
	calls := tr.log()
	if len(calls) != len(all) {
		t.Fatalf("%d sends, want %d", len(calls), len(all))
	}
	byID := map[string]bot.Outgoing{}
	for _, o := range all {
		byID[o.ID] = o
	}
	lastChat, lastSeq := map[string]time.Time{}, map[string]int64{}
	var lastBulk time.Time
	for i, c := range calls {
		o := byID[c.id]
		if c.at.Before(o.CreatedAt) {
			t.Errorf("%s sent at +%s, before it was queued", c.id, c.at.Sub(t0))
		}
		if i > 0 && c.at.Sub(calls[i-1].at) < pace.Global {
			t.Errorf("send %d: %s after the one before, under the global interval", i, c.at.Sub(calls[i-1].at))
		}
		if i >= 60 && c.at.Sub(calls[i-60].at) < time.Minute {
			t.Errorf("send %d: 61 messages within a minute", i)
		}
		if last, ok := lastChat[o.Chat]; ok && c.at.Sub(last) < pace.Chat {
			t.Errorf("%s: %s after the chat's last message, under the chat interval", c.id, c.at.Sub(last))
		}
		if o.Bulk {
			if !lastBulk.IsZero() && c.at.Sub(lastBulk) < pace.Bulk {
				t.Errorf("%s: %s after the last bulk message, under the bulk interval", c.id, c.at.Sub(lastBulk))
			}
			lastBulk = c.at
		}
		if o.Seq < lastSeq[o.Chat] {
			t.Errorf("%s sent after a later message of its chat", c.id)
		}
		lastChat[o.Chat], lastSeq[o.Chat] = c.at, o.Seq
	}
}

// TestSenderGroupsMarks counts the outbox writes that record sends: one per 256 messages sent in a
// row and one when the sender runs out, where every message used to cost a write of its own. Flush
// returns only once every send is recorded.
func TestSenderGroupsMarks(t *testing.T) {
	t.Parallel()
	out := newMemOutbox()
	for i := range 600 {
		out.add(msg(fmt.Sprintf("M%03d", i), fmt.Sprintf("chat%d", i)))
	}
	tr := &fakeTransport{}
	// No timer: the count of writes then does not depend on how fast the machine is.
	s := startSender(t, out, tr, Pace{MaxAttempts: 3}, func(s *Sender) { s.marks.every = time.Hour })
	flush(t, s)
	out.mu.Lock()
	sent, writes := len(out.sent), out.writes
	out.mu.Unlock()
	if sent != 600 {
		t.Fatalf("after Flush, %d of 600 sends recorded", sent)
	}
	if writes != 3 {
		t.Errorf("%d writes recorded 600 sends, want 3 (256 + 256 + the rest when the outbox ran empty)", writes)
	}
	t.Logf("%d sends, %d writes: %.4f writes per message sent (1 before grouping)", sent, writes,
		float64(writes)/float64(sent))
}

// TestSenderMarksWithinAWhile: a send followed by a long wait (the next message waits out its
// chat's pace) is recorded by the timer, without waiting for the outbox to run empty.
func TestSenderMarksWithinAWhile(t *testing.T) {
	t.Parallel()
	out := newMemOutbox()
	out.add(msg("A1", "a"), msg("A2", "a"))
	m := clock.NewManual(t0)
	s := NewSender(out, &fakeTransport{}, Pace{Chat: time.Hour, MaxAttempts: 3}, m, slog.New(slog.DiscardHandler), 1)
	s.marks.every = time.Millisecond
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	defer func() {
		cancel()
		<-done
	}()
	select {
	case u := <-out.updates:
		if u != "sent A1" {
			t.Errorf("update %q, want sent A1", u)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("A1 not recorded while the sender waits an hour for A2")
	}
}

// TestSenderStatus reports what waits, since when, and a ban.
func TestSenderStatus(t *testing.T) {
	t.Parallel()
	out := newMemOutbox()
	a, b := msg("A1", "a"), msg("B1", "b")
	a.CreatedAt = t0.Add(-3 * time.Minute)
	out.add(a, b, msg("A2", "a"))
	s := NewSender(out, &fakeTransport{}, Pace{Global: time.Second, MaxAttempts: 3}, clock.NewManual(t0),
		slog.New(slog.DiscardHandler), 1)
	if st := s.Status(); st.Waiting != 0 || !st.OldestQueued.IsZero() || !st.PausedUntil.IsZero() {
		t.Errorf("before Run: %+v, want nothing", st)
	}
	until := t0.Add(2 * time.Hour)
	s.Pause(until) // nothing goes, so what was read stays
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	defer func() {
		cancel()
		<-done
	}()
	deadline := time.Now().Add(10 * time.Second)
	for s.Status().Waiting < 3 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	st := s.Status()
	if st.Waiting != 3 || !st.OldestQueued.Equal(a.CreatedAt) || !st.PausedUntil.Equal(until) {
		t.Errorf("Status = %+v, want 3 waiting, the oldest queued at %s, paused until %s", st,
			a.CreatedAt.Format(time.TimeOnly), until.Format(time.TimeOnly))
	}
	h := s.Health(bot.Health{Known: true, Connected: true})
	if !h.Connected || h.Waiting != 3 || !h.BannedUntil.Equal(until) {
		t.Errorf("Health = %+v, want WhatsApp's side kept and the outbox's added", h)
	}
}
