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
)

// Outbox is where replies wait to be sent.
type Outbox interface {
	// Pending returns unsent messages queued after position after, in order.
	Pending(ctx context.Context, after int64, limit int) ([]bot.Outgoing, error)
	MarkSent(ctx context.Context, id string, at time.Time) error
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
	MaxAttempts int
}

// Sender drains the outbox.
type Sender struct {
	out   Outbox
	tr    Transport
	pace  Pace
	clock clock.Clock
	log   *slog.Logger
	rng   *rand.Rand

	chats    map[string]*chatQueue // unsent messages per chat, in outbox order; read once each
	ready    [2]chatHeap           // chats with unsent messages, soonest first: [0] replies, [1] bulk
	lastSeq  int64
	notified atomic.Bool // the outbox has news not yet read
	typed    string      // the message "typing…" was last shown for

	lastGlobal time.Time
	lastBulk   time.Time
	lastChat   map[string]time.Time
	retryAt    map[string]time.Time

	mu          sync.Mutex
	cond        *sync.Cond
	gen         uint64 // bumped each time the sender finds nothing left to send
	pausedUntil time.Time
}

// NewSender returns a sender; call Run to start it.
func NewSender(out Outbox, tr Transport, pace Pace, clk clock.Clock, log *slog.Logger, seed uint64) *Sender {
	s := &Sender{out: out, tr: tr, pace: pace, clock: clk, log: log,
		rng:      rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
		lastChat: make(map[string]time.Time), retryAt: make(map[string]time.Time),
		chats: make(map[string]*chatQueue)}
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

func (s *Sender) bump() {
	s.mu.Lock()
	s.gen++
	s.cond.Broadcast()
	s.mu.Unlock()
}

// Run sends until ctx is done. It returns ctx's error.
func (s *Sender) Run(ctx context.Context) error {
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
		for _, o := range batch {
			s.lastSeq = max(s.lastSeq, o.Seq)
		}
		for _, o := range batch {
			q := s.chats[o.Chat]
			if q == nil {
				q = &chatQueue{chat: o.Chat}
				s.chats[o.Chat] = q
			}
			q.msgs = append(q.msgs, o)
			if len(q.msgs) == 1 {
				s.rekey(q)
				heap.Push(&s.ready[q.kind], q)
			}
		}
		if len(batch) < 512 {
			return nil
		}
	}
}

var errNews = errors.New("the outbox has news")

// wait waits until at; a real wait ends early when new messages are queued, since one of them
// may be due sooner (a reply waiting behind a retry's backoff).
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
func (s *Sender) waiting() int { return len(s.ready[0]) + len(s.ready[1]) }

// next picks the chat whose first unsent message goes next, and the earliest time it may go: the
// soonest of the first reply and the first bulk message, a reply winning a tie. So a reminder
// never waits behind a reply that cannot go yet (one in a retry's backoff). Only a chat's first
// message is ever a candidate, so each chat's messages keep their order.
func (s *Sender) next() (*chatQueue, time.Time) {
	var best *chatQueue
	var bestAt time.Time
	for kind := range s.ready {
		if len(s.ready[kind]) == 0 {
			continue
		}
		q := s.ready[kind][0]
		if at := s.earliest(q); best == nil || at.Before(bestAt) {
			best, bestAt = q, at
		}
	}
	return best, bestAt
}

// earliest is when q's first message may go, by every pace.
func (s *Sender) earliest(q *chatQueue) time.Time {
	at := q.key
	if !s.clock.Virtual() {
		at = later(at, s.clock.Now())
	}
	at = later(at, s.lastGlobal.Add(s.pace.Global))
	if q.kind == 1 {
		at = later(at, s.lastBulk.Add(s.pace.Bulk))
	}
	s.mu.Lock()
	at = later(at, s.pausedUntil)
	s.mu.Unlock()
	return at
}

// rekey sets the earliest time of a chat's first message that depends on that chat alone: when it
// was queued, the chat's own pace and the message's retry backoff. The chat must not be in a heap.
func (s *Sender) rekey(q *chatQueue) {
	o := q.msgs[0]
	q.kind, q.seq = 0, o.Seq
	if o.Bulk {
		q.kind = 1
	}
	q.key = later(o.CreatedAt, s.lastChat[q.chat].Add(s.pace.Chat))
	q.key = later(q.key, s.retryAt[o.ID])
}

// requeue puts a chat back in order after its first message changed or failed.
func (s *Sender) requeue(q *chatQueue) {
	heap.Remove(&s.ready[q.kind], q.index)
	if len(q.msgs) == 0 {
		delete(s.chats, q.chat)
		return
	}
	s.rekey(q)
	heap.Push(&s.ready[q.kind], q)
}

// advance drops a chat's first message (sent or given up) and reorders the chat.
func (s *Sender) advance(q *chatQueue) {
	q.msgs[0] = bot.Outgoing{}
	q.msgs = q.msgs[1:]
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
		delete(s.retryAt, o.ID)
		s.advance(q)
		s.pruneChats(at)
		if err := s.out.MarkSent(context.WithoutCancel(ctx), o.ID, at); err != nil {
			// Sent but not recorded: the retry after a restart reuses the id, so WhatsApp shows
			// it once.
			s.log.Error("recording a sent message failed", "msg", o.ID, "err", err)
		}
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
		q.msgs[0].Attempts = attempts
		if giveUp {
			delete(s.retryAt, o.ID)
			s.advance(q)
		} else {
			s.requeue(q)
		}
		s.log.Warn("sending failed", "msg", o.ID, "to", bot.MaskPhone(o.Phone), "attempt", attempts,
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

// Flush blocks until the outbox holds nothing to send, or ctx is done.
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
	kind  int       // the heap it is in: 0 when msgs[0] is a reply, 1 when it is bulk
	seq   int64     // msgs[0]'s outbox position: ties go to the older message
	index int       // position in its heap
}

// chatHeap orders chats of one kind: soonest, then oldest.
type chatHeap []*chatQueue

func (h chatHeap) Len() int { return len(h) }
func (h chatHeap) Less(i, j int) bool {
	a, b := h[i], h[j]
	if !a.key.Equal(b.key) {
		return a.key.Before(b.key)
	}
	return a.seq < b.seq
}
func (h chatHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index, h[j].index = i, j
}
func (h *chatHeap) Push(x any) {
	q := x.(*chatQueue)
	q.index = len(*h)
	*h = append(*h, q)
}
func (h *chatHeap) Pop() any {
	old := *h
	q := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	return q
}
