package pipeline

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"law/bot"
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

// Clock tells the time and waits. The real clock sleeps; the simulator's returns at once with the
// time the real one would have reached, so that replies carry the time they would be sent at.
type Clock interface {
	Now() time.Time
	// WaitUntil waits until t (or returns at once for a virtual clock) and returns the time reached.
	WaitUntil(ctx context.Context, t time.Time) (time.Time, error)
	// Virtual reports whether the clock is simulated: then a message's earliest time is when it was
	// queued, not the wall clock.
	Virtual() bool
}

// Sender drains the outbox.
type Sender struct {
	out   Outbox
	tr    Transport
	pace  Pace
	clock Clock
	log   *slog.Logger
	rng   *rand.Rand

	queue    []bot.Outgoing // unsent, in outbox order; read once each
	lastSeq  int64
	notified atomic.Bool // the outbox has news not yet read

	lastGlobal time.Time
	lastBulk   time.Time
	lastChat   map[string]time.Time
	retryAt    map[string]time.Time

	mu          sync.Mutex
	cond        *sync.Cond
	gen         uint64 // bumped after each send and each empty look at the outbox
	pausedUntil time.Time
}

// NewSender returns a sender; call Run to start it.
func NewSender(out Outbox, tr Transport, pace Pace, clock Clock, log *slog.Logger, seed uint64) *Sender {
	s := &Sender{out: out, tr: tr, pace: pace, clock: clock, log: log,
		rng:      rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
		lastChat: make(map[string]time.Time), retryAt: make(map[string]time.Time)}
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
		if s.notified.Swap(false) || len(s.queue) == 0 {
			if err := s.refill(ctx); err != nil {
				if ctx.Err() != nil {
					return ctx.Err()
				}
				s.log.Error("reading the outbox failed", "err", err)
				if _, err := s.clock.WaitUntil(ctx, s.clock.Now().Add(time.Second)); err != nil {
					return err
				}
				continue
			}
		}
		if len(s.queue) == 0 {
			s.bump()
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-s.out.Notify():
				s.notified.Store(true)
			}
			continue
		}
		i, at := s.next()
		at, err := s.wait(ctx, at)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			continue // news in the outbox: choose again
		}
		s.send(ctx, i, at)
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
		s.queue = append(s.queue, batch...)
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
	defer cancel(nil)
	go func() {
		select {
		case <-s.out.Notify():
			s.notified.Store(true)
			cancel(errNews)
		case <-wctx.Done():
		}
	}()
	return s.clock.WaitUntil(wctx, at)
}

// next picks the message to send next and the earliest time it may go: the first waiting message
// of each chat (so each chat's replies keep their order), interactive replies before bulk ones,
// then the one that can go soonest. It returns the message's index in the queue.
func (s *Sender) next() (int, time.Time) {
	seen := make(map[string]bool)
	best, bestAt := -1, time.Time{}
	for i, o := range s.queue {
		if seen[o.Chat] {
			continue
		}
		seen[o.Chat] = true
		at := s.earliest(o)
		if best < 0 || (s.queue[best].Bulk && !o.Bulk) || (s.queue[best].Bulk == o.Bulk && at.Before(bestAt)) {
			best, bestAt = i, at
		}
	}
	return best, bestAt
}

func (s *Sender) earliest(o bot.Outgoing) time.Time {
	at := s.clock.Now()
	if s.clock.Virtual() {
		at = o.CreatedAt
	}
	at = later(at, s.lastGlobal.Add(s.pace.Global))
	at = later(at, s.lastChat[o.Chat].Add(s.pace.Chat))
	if o.Bulk {
		at = later(at, s.lastBulk.Add(s.pace.Bulk))
	}
	at = later(at, s.retryAt[o.ID])
	s.mu.Lock()
	at = later(at, s.pausedUntil)
	s.mu.Unlock()
	return at
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

func (s *Sender) send(ctx context.Context, i int, at time.Time) {
	o := s.queue[i]
	done := func() { s.queue = append(s.queue[:i], s.queue[i+1:]...) }
	if s.pace.Jitter > 0 {
		at = at.Add(time.Duration(s.rng.Int64N(int64(s.pace.Jitter))))
		if !s.clock.Virtual() {
			var err error
			if at, err = s.clock.WaitUntil(ctx, at); err != nil {
				return
			}
		}
	}
	defer s.bump()
	err := s.tr.Send(ctx, o, at)
	var pause *PauseError
	switch {
	case err == nil:
		s.lastGlobal, s.lastChat[o.Chat] = at, at
		if o.Bulk {
			s.lastBulk = at
		}
		delete(s.retryAt, o.ID)
		done()
		s.pruneChats(at)
		if err := s.out.MarkSent(ctx, o.ID, at); err != nil {
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
		giveUp := attempts >= max(s.pace.MaxAttempts, 1)
		backoff := min(time.Duration(1<<min(attempts, 10))*time.Second, 5*time.Minute)
		s.retryAt[o.ID] = at.Add(backoff)
		s.queue[i].Attempts = attempts
		if giveUp {
			delete(s.retryAt, o.ID)
			done()
		}
		s.log.Warn("sending failed", "msg", o.ID, "to", bot.MaskPhone(o.Phone), "attempt", attempts,
			"give_up", giveUp, "err", err)
		if err := s.out.MarkFailed(ctx, o.ID, err, giveUp); err != nil {
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
		if now.Sub(t) > s.pace.Chat {
			delete(s.lastChat, chat)
		}
	}
}

// Flush blocks until the outbox holds nothing to send, or ctx is done.
func (s *Sender) Flush(ctx context.Context) error {
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
