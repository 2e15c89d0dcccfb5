// Package pipeline moves messages: from the inbox to the bot, one sender at a time and different
// senders in parallel, and from the outbox to the transport at a safe pace. It knows neither
// WhatsApp nor the simulator.
package pipeline

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"

	"law/bot"
	"law/logmask"
)

// Inbox is where incoming messages are written before they are acknowledged.
type Inbox interface {
	// SaveInbound stores a message; false when its id is already stored (a redelivery).
	SaveInbound(ctx context.Context, in bot.Incoming) (bool, error)
	// SaveInboundAll stores a batch in one commit; fresh[i] is false for a redelivery.
	SaveInboundAll(ctx context.Context, ins []bot.Incoming) (fresh []bool, err error)
	// Unhandled returns the stored messages not yet handled, oldest first.
	Unhandled(ctx context.Context) ([]bot.Incoming, error)
}

// Handler handles one stored message.
type Handler interface {
	Handle(ctx context.Context, in bot.Incoming) error
	HandleFailure(ctx context.Context, in bot.Incoming, cause error) error
}

// DefaultWorkers is how many messages are handled at once. Handlers wait for each other only at
// the database's writer, which commits their work in batches: more handlers in flight make bigger
// batches and fewer disk syncs, at the cost of each waiting a little longer. BenchmarkRush chose 32
// over 16 (lower throughput) and 64 (p99 near 50 ms).
const DefaultWorkers = 32

// ErrClosed is returned by Accept after Close.
var ErrClosed = errors.New("dispatcher is closed")

// Dispatcher hands stored messages to the handler: in order for one sender, in parallel across
// senders, with at most a fixed number of handlers at once.
type Dispatcher struct {
	inbox Inbox
	h     Handler
	log   *slog.Logger
	ctx   context.Context
	sem   chan struct{}

	mu      sync.Mutex
	queues  map[string][]bot.Incoming // per sender, waiting behind the one being handled
	pending int                       // accepted and not yet handled
	idle    *sync.Cond
	closed  bool
}

// NewDispatcher returns a dispatcher whose handlers run under ctx, at most workers at once.
func NewDispatcher(ctx context.Context, inbox Inbox, h Handler, log *slog.Logger, workers int) *Dispatcher {
	d := &Dispatcher{inbox: inbox, h: h, log: log, ctx: ctx, sem: make(chan struct{}, max(workers, 1)),
		queues: make(map[string][]bot.Incoming)}
	d.idle = sync.NewCond(&d.mu)
	return d
}

// Accept stores a message in the inbox and schedules it. It returns an error when the message
// could not be stored: the transport must then not acknowledge it, so that it is delivered again.
// A redelivered message is stored once and handled once.
func (d *Dispatcher) Accept(ctx context.Context, in bot.Incoming) error {
	d.mu.Lock()
	closed := d.closed
	d.mu.Unlock()
	if closed {
		return ErrClosed
	}
	fresh, err := d.inbox.SaveInbound(ctx, in)
	if err != nil {
		return fmt.Errorf("accept message: %w", err)
	}
	if fresh {
		d.schedule(in)
	}
	return nil
}

// AcceptAll is Accept for a batch that arrived together, stored in one commit: the simulator's
// input lines share their durable commits as the real pipeline's messages do in the writer's
// batches. On an error nothing of the batch is stored.
func (d *Dispatcher) AcceptAll(ctx context.Context, ins []bot.Incoming) error {
	if len(ins) == 0 {
		return nil
	}
	d.mu.Lock()
	closed := d.closed
	d.mu.Unlock()
	if closed {
		return ErrClosed
	}
	fresh, err := d.inbox.SaveInboundAll(ctx, ins)
	if err != nil {
		return fmt.Errorf("accept messages: %w", err)
	}
	for i, in := range ins {
		if fresh[i] {
			d.schedule(in)
		}
	}
	return nil
}

// Resume schedules the messages a previous run stored but did not handle.
func (d *Dispatcher) Resume(ctx context.Context) (int, error) {
	ins, err := d.inbox.Unhandled(ctx)
	if err != nil {
		return 0, err
	}
	for _, in := range ins {
		d.schedule(in)
	}
	return len(ins), nil
}

func senderKey(in bot.Incoming) string {
	if in.Phone != "" {
		return in.Phone
	}
	return in.Chat
}

func (d *Dispatcher) schedule(in bot.Incoming) {
	key := senderKey(in)
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		return // stored in the inbox: the next start handles it
	}
	d.pending++
	q, running := d.queues[key]
	d.queues[key] = append(q, in)
	if !running {
		go d.work(key)
	}
}

// work handles one sender's messages until its queue is empty.
func (d *Dispatcher) work(key string) {
	for {
		d.mu.Lock()
		q := d.queues[key]
		if len(q) == 0 {
			delete(d.queues, key)
			d.mu.Unlock()
			return
		}
		in := q[0]
		d.mu.Unlock()

		d.sem <- struct{}{}
		d.handle(in)
		<-d.sem

		d.mu.Lock()
		d.queues[key] = d.queues[key][1:]
		d.pending--
		if d.pending == 0 {
			d.idle.Broadcast()
		}
		d.mu.Unlock()
	}
}

func (d *Dispatcher) handle(in bot.Incoming) {
	err := guard(func() error { return d.h.Handle(d.ctx, in) })
	if err == nil || d.ctx.Err() != nil {
		return // on shutdown the message stays in the inbox for the next start
	}
	// The failure answer claims the message, so a message that always fails (even by panicking)
	// is answered once and does not come back at every start.
	if ferr := guard(func() error { return d.h.HandleFailure(d.ctx, in, err) }); ferr != nil {
		d.log.Error("message left in the inbox for the next start", "msg", in.ID,
			"from", logmask.Phone(in.Phone), "err", ferr)
	}
}

// Wait blocks until every accepted message has been handled.
func (d *Dispatcher) Wait() {
	d.mu.Lock()
	for d.pending > 0 {
		d.idle.Wait()
	}
	d.mu.Unlock()
}

// Close stops accepting messages and waits for the accepted ones to be handled.
func (d *Dispatcher) Close() {
	d.mu.Lock()
	d.closed = true
	d.mu.Unlock()
	d.Wait()
}

// guard runs f, turning a panic into an error with its stack, so that one bad message cannot
// bring the process down.
func guard(f func() error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v\n%s", p, debug.Stack())
		}
	}()
	return f()
}
