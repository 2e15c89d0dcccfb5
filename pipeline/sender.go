package pipeline

import (
	"container/heap"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"law/bot"
	"law/clock"
	"law/logmask"
)

// Outbox is where replies wait to be sent.
type Outbox interface {
	// Pending returns unsent messages queued after position after, in order.
	Pending(ctx context.Context, after int64, limit int) ([]bot.Outgoing, error)
	// MarkSentAll records that messages went out, each at its time, in one write.
	MarkSentAll(ctx context.Context, sent map[string]time.Time) error
	MarkFailed(ctx context.Context, id string, cause error, giveUp bool) error
	// Notify is signalled after a commit that queued messages.
	Notify() <-chan struct{}
}

// Transport delivers one message. at is when the sender sends it (the simulator prints it).
type Transport interface {
	Send(ctx context.Context, o bot.Outgoing, at time.Time) error
}

// Typist is a transport that can show "typing…" in a chat; the sender calls Typing when it has
// chosen a reply and before it waits out its pace.
type Typist interface {
	Typing(ctx context.Context, o bot.Outgoing)
}

// ErrPermanent marks a send error that no retry can mend (no such chat): the message is given up
// at once. Other errors are retried, with a growing pause, for up to a day.
var ErrPermanent = errors.New("permanent send failure")

// giveUpAfter is how long a message whose sends fail for passing reasons keeps being retried.
const giveUpAfter = 24 * time.Hour

// PauseError is returned by a transport that must not send before Until (a temporary ban).
type PauseError struct{ Until time.Time }

func (e *PauseError) Error() string {
	return fmt.Sprintf("sending paused until %s", e.Until.Format(time.RFC3339))
}

// Pace is how fast the outbox drains. WhatsApp bans numbers that send too much too fast.
type Pace struct {
	Global      time.Duration // between any two messages
	Chat        time.Duration // between two messages to one chat
	Bulk        time.Duration // between two bulk messages (reminders, broadcasts)
	Jitter      time.Duration // up to this much random extra wait
	PerMinute   int           // at most this many messages in any 60 seconds; 0 is no cap
	MaxAttempts int
}

// Sender drains the outbox. When several chats have a message that may go, the one with the
// lowest rank goes first (the applicant whose conversation started first), replies before bulk
// messages; each chat's messages keep their outbox order, and every pace holds whatever the
// order.
type Sender struct {
	out   Outbox
	tr    Transport
	pace  Pace
	clock clock.Clock
	log   *slog.Logger
	rng   *rand.Rand
	marks *marker

	chats    map[string]*chatQueue // unsent messages per chat, in outbox order; read once each
	heaps    [2][2]chatHeap        // [kind][stage]: kind 0 replies, 1 bulk; see chatQueue.stage
	lastSeq  int64
	notified atomic.Bool // the outbox has news not yet read
	typed    string      // the message "typing…" was last shown for

	lastGlobal time.Time
	lastBulk   time.Time
	lastChat   map[string]time.Time
	retryAt    map[string]time.Time
	recent     []time.Time // the last PerMinute send times, oldest first

	// mu guards what other goroutines read or change: the pause, Flush's wake-ups, and the chats'
	// messages for Status (Run changes them under mu; Run alone reads them without it).
	mu          sync.Mutex
	cond        *sync.Cond
	gen         uint64 // bumped each time the sender finds nothing left to send
	pausedUntil time.Time
}

// The two stages of a chat in the heaps: waiting until its first message may go as far as the chat
// alone decides (its own pace, a retry's backoff), ordered by that time; and ready, ordered by rank.
const (
	stageWaiting = 0
	stageReady   = 1
)

// NewSender returns a sender; call Run to start it.
func NewSender(out Outbox, tr Transport, pace Pace, clk clock.Clock, log *slog.Logger, seed uint64) *Sender {
	s := &Sender{out: out, tr: tr, pace: pace, clock: clk, log: log,
		rng:      rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
		lastChat: make(map[string]time.Time), retryAt: make(map[string]time.Time),
		chats: make(map[string]*chatQueue), marks: newMarker(out, log)}
	for kind := range s.heaps {
		s.heaps[kind][stageWaiting].less = byTime
		s.heaps[kind][stageReady].less = byRank
	}
	s.cond = sync.NewCond(&s.mu)
	return s
}

// Pause stops all sending until t (a temporary ban).
func (s *Sender) Pause(until time.Time) {
	s.mu.Lock()
	if until.After(s.pausedUntil) {
		s.pausedUntil = until
	}
	s.mu.Unlock()
}

// Status is the outbox's side of the bot's health.
type Status struct {
	Waiting      int       // messages read from the outbox and not yet sent or given up
	OldestQueued time.Time // when the oldest of them was queued; zero when none wait
	PausedUntil  time.Time // nothing is sent before this (a ban); zero when not paused
}

// Status reports what waits to be sent. It is safe to call from any goroutine; its cost grows with
// the number of chats waiting, so it is for a staff command, not for every message.
func (s *Sender) Status() Status {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := Status{PausedUntil: s.pausedUntil}
	if st.PausedUntil.Before(s.clock.Now()) {
		st.PausedUntil = time.Time{}
	}
	for _, q := range s.chats {
		st.Waiting += len(q.msgs)
		for _, o := range q.msgs {
			if st.OldestQueued.IsZero() || o.CreatedAt.Before(st.OldestQueued) {
				st.OldestQueued = o.CreatedAt
			}
		}
	}
	return st
}

// Health completes h, WhatsApp's side as the transport reports it, with the outbox's side: what
// waits and since when, and a ban the sender learnt of by a send that was refused.
func (s *Sender) Health(h bot.Health) bot.Health {
	st := s.Status()
	h.Waiting, h.OldestQueued = st.Waiting, st.OldestQueued
	h.BannedUntil = later(h.BannedUntil, st.PausedUntil)
	return h
}

func (s *Sender) bump() {
	s.mu.Lock()
	s.gen++
	s.cond.Broadcast()
	s.mu.Unlock()
}

// Run sends until ctx is done. It returns ctx's error, once what was sent is recorded (or
// recording it failed, which is logged).
func (s *Sender) Run(ctx context.Context) error {
	defer s.marks.stop()
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		select {
		case <-s.out.Notify():
			s.notified.Store(true)
		default:
		}
		if s.notified.Swap(false) || s.waiting() == 0 {
			if err := s.refill(ctx); err != nil {
				if ctx.Err() != nil {
					return ctx.Err()
				}
				s.notified.Store(true) // read again: the news that led here is not read yet
				s.log.Error("reading the outbox failed", "err", err)
				if _, err := s.clock.WaitUntil(ctx, s.clock.Now().Add(time.Second)); err != nil {
					return err
				}
				continue
			}
		}
		if s.waiting() == 0 {
			// Nothing left: what was sent is recorded before Flush hears that all is done.
			s.marks.flush(context.WithoutCancel(ctx))
			s.bump()
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-s.out.Notify():
				s.notified.Store(true)
			}
			continue
		}
		q, at := s.next()
		// "Typing…" once per reply, and only for one that goes soon (not one waiting out a retry).
		if ty, ok := s.tr.(Typist); ok && !s.clock.Virtual() && q.msgs[0].ID != s.typed &&
			at.Sub(s.clock.Now()) < 5*time.Second {
			s.typed = q.msgs[0].ID
			ty.Typing(ctx, q.msgs[0])
		}
		at, err := s.wait(ctx, at)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			continue // news in the outbox: choose again
		}
		s.send(ctx, q, at)
	}
}

// refill reads the messages queued since the last read.
func (s *Sender) refill(ctx context.Context) error {
	for {
		batch, err := s.out.Pending(ctx, s.lastSeq, 512)
		if err != nil {
			return err
		}
		s.mu.Lock()
		for _, o := range batch {
			s.lastSeq = max(s.lastSeq, o.Seq)
			q := s.chats[o.Chat]
			if q == nil {
				q = &chatQueue{chat: o.Chat}
				s.chats[o.Chat] = q
			}
			q.msgs = append(q.msgs, o)
			if len(q.msgs) == 1 {
				s.push(q)
			}
		}
		s.mu.Unlock()
		if len(batch) < 512 {
			return nil
		}
	}
}

var errNews = errors.New("the outbox has news")

// wait waits until at; a real wait ends early when new messages are queued, since one of them
// may go sooner or rank first (a reply waiting behind a retry's backoff, an earlier applicant).
func (s *Sender) wait(ctx context.Context, at time.Time) (time.Time, error) {
	if s.clock.Virtual() || !at.After(s.clock.Now()) {
		return s.clock.WaitUntil(ctx, at)
	}
	wctx, cancel := context.WithCancelCause(ctx)
	watched := make(chan struct{})
	go func() {
		defer close(watched)
		select {
		case <-s.out.Notify():
			s.notified.Store(true)
			cancel(errNews)
		case <-wctx.Done():
		}
	}()
	t, err := s.clock.WaitUntil(wctx, at)
	cancel(nil)
	// The watcher must be gone before Run waits on Notify again, or it could take a later
	// notification and leave a committed reply unsent until the next one.
	<-watched
	return t, err
}

// waiting is how many chats have unsent messages.
func (s *Sender) waiting() int { return len(s.chats) }

// next picks the chat whose first message goes next, and the earliest time it may go. The time
// comes first: the earliest moment at which some message may go by every pace. Among the chats
// whose first message may go then, a reply goes before a bulk message, and the lowest rank (then
// the oldest message) first. So a reminder never waits behind a reply that cannot go yet (one in a
// retry's backoff), and in a rush the applicant who started first is answered first. Only a
// chat's first message is ever a candidate, so each chat's messages keep their order.
func (s *Sender) next() (*chatQueue, time.Time) {
	free := s.globalFree()
	var best *chatQueue
	var bestAt time.Time
	for kind := range s.heaps {
		from := free
		if kind == 1 {
			from = later(from, s.lastBulk.Add(s.pace.Bulk))
		}
		// A chat ready at from is ready at any later choice too: from never goes back.
		s.promote(kind, from)
		var q *chatQueue
		at := from
		if ready := s.heaps[kind][stageReady]; len(ready.qs) > 0 {
			q = ready.qs[0]
			at = later(at, q.key)
		} else if waiting := s.heaps[kind][stageWaiting]; len(waiting.qs) > 0 {
			q = waiting.qs[0]
			at = later(at, q.key)
		} else {
			continue
		}
		if best == nil || at.Before(bestAt) {
			best, bestAt = q, at
		}
	}
	if best.stage == stageWaiting {
		// Nothing of its kind is ready before at: the best rank among those ready at at goes.
		s.promote(best.kind, bestAt)
		best = s.heaps[best.kind][stageReady].qs[0]
	}
	return best, bestAt
}

// globalFree is the earliest time any message may go: after the global interval, within the cap
// per minute, after a ban, and (on the wall clock) not before now.
func (s *Sender) globalFree() time.Time {
	at := s.lastGlobal.Add(s.pace.Global)
	if !s.clock.Virtual() {
		at = later(at, s.clock.Now())
	}
	if s.pace.PerMinute > 0 && len(s.recent) >= s.pace.PerMinute {
		at = later(at, s.recent[len(s.recent)-s.pace.PerMinute].Add(time.Minute))
	}
	s.mu.Lock()
	at = later(at, s.pausedUntil)
	s.mu.Unlock()
	return at
}

// promote moves the chats of a kind whose first message may go at t from waiting to ready.
func (s *Sender) promote(kind int, t time.Time) {
	waiting, ready := &s.heaps[kind][stageWaiting], &s.heaps[kind][stageReady]
	for len(waiting.qs) > 0 && !waiting.qs[0].key.After(t) {
		q := heap.Pop(waiting).(*chatQueue)
		q.stage = stageReady
		heap.Push(ready, q)
	}
}

// push sets a chat's order from its first message, which depends on that chat alone: its kind,
// rank and outbox position, and the earliest time it may go (when it was queued, the chat's own
// pace, the message's retry backoff). The chat goes in the waiting stage; next promotes it.
func (s *Sender) push(q *chatQueue) {
	o := q.msgs[0]
	q.kind, q.seq, q.rank = 0, o.Seq, o.Rank
	if o.Bulk {
		q.kind = 1
	}
	if q.rank.IsZero() {
		q.rank = o.CreatedAt
	}
	q.key = later(o.CreatedAt, s.lastChat[q.chat].Add(s.pace.Chat))
	q.key = later(q.key, s.retryAt[o.ID])
	q.stage = stageWaiting
	heap.Push(&s.heaps[q.kind][stageWaiting], q)
}

// requeue puts a chat back in order after its first message changed or failed.
func (s *Sender) requeue(q *chatQueue) {
	heap.Remove(&s.heaps[q.kind][q.stage], q.index)
	if len(q.msgs) == 0 {
		s.mu.Lock()
		delete(s.chats, q.chat)
		s.mu.Unlock()
		return
	}
	s.push(q)
}

// advance drops a chat's first message (sent or given up) and reorders the chat.
func (s *Sender) advance(q *chatQueue) {
	s.mu.Lock()
	q.msgs[0] = bot.Outgoing{}
	q.msgs = q.msgs[1:]
	s.mu.Unlock()
	s.requeue(q)
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

func (s *Sender) send(ctx context.Context, q *chatQueue, at time.Time) {
	o := q.msgs[0]
	if s.pace.Jitter > 0 {
		at = at.Add(time.Duration(s.rng.Int64N(int64(s.pace.Jitter))))
		if !s.clock.Virtual() {
			var err error
			if at, err = s.clock.WaitUntil(ctx, at); err != nil {
				return
			}
		}
	}
	err := s.tr.Send(ctx, o, at)
	var pause *PauseError
	switch {
	case err == nil:
		s.lastGlobal, s.lastChat[o.Chat] = at, at
		if o.Bulk {
			s.lastBulk = at
		}
		if s.pace.PerMinute > 0 {
			if len(s.recent) == s.pace.PerMinute {
				s.recent = append(s.recent[:0], s.recent[1:]...)
			}
			s.recent = append(s.recent, at)
		}
		delete(s.retryAt, o.ID)
		s.advance(q)
		s.pruneChats(at)
		s.marks.add(o.ID, at)
	case errors.As(err, &pause):
		s.log.Warn("sending paused", "until", pause.Until.Format(time.RFC3339))
		s.Pause(pause.Until)
	case ctx.Err() != nil:
	default:
		attempts := o.Attempts + 1
		giveUp := errors.Is(err, ErrPermanent) ||
			(attempts >= max(s.pace.MaxAttempts, 1) && at.Sub(o.CreatedAt) > giveUpAfter)
		backoff := min(time.Duration(1<<min(attempts, 10))*time.Second, 5*time.Minute)
		s.retryAt[o.ID] = at.Add(backoff)
		s.mu.Lock()
		q.msgs[0].Attempts = attempts
		s.mu.Unlock()
		if giveUp {
			delete(s.retryAt, o.ID)
			s.advance(q)
		} else {
			s.requeue(q)
		}
		s.log.Warn("sending failed", "msg", o.ID, "to", logmask.Phone(o.Phone), "attempt", attempts,
			"give_up", giveUp, "err", err)
		if err := s.out.MarkFailed(context.WithoutCancel(ctx), o.ID, err, giveUp); err != nil {
			s.log.Error("recording a failed send failed", "msg", o.ID, "err", err)
		}
	}
}

// pruneChats forgets chats whose pacing no longer matters, so the map stays small.
func (s *Sender) pruneChats(now time.Time) {
	if len(s.lastChat) < 4096 {
		return
	}
	for chat, t := range s.lastChat {
		if now.Sub(t) > s.pace.Chat && s.chats[chat] == nil {
			delete(s.lastChat, chat)
		}
	}
}

// Flush blocks until the outbox holds nothing to send and everything sent is recorded, or ctx is
// done.
func (s *Sender) Flush(ctx context.Context) error {
	// A sender that cannot send (no connection, a ban) never bumps: the deadline must wake us.
	stop := context.AfterFunc(ctx, func() {
		s.mu.Lock()
		s.cond.Broadcast()
		s.mu.Unlock()
	})
	defer stop()
	for {
		s.mu.Lock()
		gen := s.gen
		s.mu.Unlock()
		batch, err := s.out.Pending(ctx, 0, 1)
		if err != nil {
			return err
		}
		if len(batch) == 0 {
			return nil
		}
		s.mu.Lock()
		for s.gen == gen && ctx.Err() == nil {
			s.cond.Wait()
		}
		s.mu.Unlock()
		if err := ctx.Err(); err != nil {
			return err
		}
	}
}

// chatQueue is one chat's unsent messages.
type chatQueue struct {
	chat  string
	msgs  []bot.Outgoing
	key   time.Time // earliest time of msgs[0] as far as this chat decides
	rank  time.Time // msgs[0]'s rank: lower goes first among ready chats
	seq   int64     // msgs[0]'s outbox position: ties go to the older message
	kind  int       // 0 when msgs[0] is a reply, 1 when it is bulk
	stage int       // stageWaiting or stageReady: the heap of its kind it is in
	index int       // position in that heap
}

// chatHeap orders the chats of one kind and stage.
type chatHeap struct {
	qs   []*chatQueue
	less func(a, b *chatQueue) bool
}

// byTime orders waiting chats: soonest, then lowest rank, then oldest.
func byTime(a, b *chatQueue) bool {
	if !a.key.Equal(b.key) {
		return a.key.Before(b.key)
	}
	return byRank(a, b)
}

// byRank orders ready chats: lowest rank, then oldest.
func byRank(a, b *chatQueue) bool {
	if !a.rank.Equal(b.rank) {
		return a.rank.Before(b.rank)
	}
	return a.seq < b.seq
}

func (h *chatHeap) Len() int           { return len(h.qs) }
func (h *chatHeap) Less(i, j int) bool { return h.less(h.qs[i], h.qs[j]) }
func (h *chatHeap) Swap(i, j int) {
	h.qs[i], h.qs[j] = h.qs[j], h.qs[i]
	h.qs[i].index, h.qs[j].index = i, j
}
func (h *chatHeap) Push(x any) {
	q := x.(*chatQueue)
	q.index = len(h.qs)
	h.qs = append(h.qs, q)
}
func (h *chatHeap) Pop() any {
	old := h.qs
	q := old[len(old)-1]
	old[len(old)-1] = nil
	h.qs = old[:len(old)-1]
	return q
}
