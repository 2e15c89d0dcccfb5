package pipeline

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// markEvery bounds how long a sent message waits to be recorded as sent. The sender is one
// goroutine sending one message at a time, so it never shares a commit with itself through the
// store's group commit; the marker gathers its marks instead and records them in one write, paying
// one durable commit for many messages (issue 13: one commit per message before).
const markEvery = 250 * time.Millisecond

// markBatch bounds the marks of one write, so that one commit stays short for the handlers that
// wait on the same writer.
const markBatch = 256

// retryMarksAfter is the pause before trying again to record marks whose write failed.
const retryMarksAfter = 5 * time.Second

// marker records sent messages in batches: at the latest markEvery after a send, at once when
// markBatch are waiting, and whenever the sender has nothing left to send, so that Flush still
// means "everything sent is recorded".
//
// A crash between a send and its mark sends the message again at the next start, under the same
// message id (chosen when it was queued): WhatsApp shows a message id once, so the applicant sees
// it once. Batching widens that window by at most markEvery; it does not open it.
type marker struct {
	out   Outbox
	log   *slog.Logger
	every time.Duration // markEvery; tests make it longer to count writes exactly

	commit  sync.Mutex // held while writing, so that flush returns only after every earlier write
	mu      sync.Mutex // guards pending, timer and stopped
	pending map[string]time.Time
	timer   *time.Timer
	stopped bool
}

func newMarker(out Outbox, log *slog.Logger) *marker {
	return &marker{out: out, log: log, every: markEvery, pending: make(map[string]time.Time)}
}

// add notes that the message id went out at at.
func (m *marker) add(id string, at time.Time) {
	m.mu.Lock()
	m.pending[id] = at
	full := len(m.pending) >= markBatch
	if !full && m.timer == nil && !m.stopped {
		m.timer = time.AfterFunc(m.every, func() { m.flush(context.Background()) })
	}
	m.mu.Unlock()
	if full {
		m.flush(context.Background())
	}
}

// flush records every mark added before it was called, in one write, and returns once that write
// is done. A failed write is logged and its marks kept for the next try.
func (m *marker) flush(ctx context.Context) {
	m.commit.Lock()
	defer m.commit.Unlock()
	m.mu.Lock()
	batch := m.pending
	if m.timer != nil {
		m.timer.Stop()
		m.timer = nil
	}
	if len(batch) == 0 {
		m.mu.Unlock()
		return
	}
	m.pending = make(map[string]time.Time, len(batch))
	m.mu.Unlock()
	if err := m.out.MarkSentAll(ctx, batch); err != nil {
		m.log.Error("recording sent messages failed; they go again after a restart, under the same ids",
			"messages", len(batch), "err", err)
		m.mu.Lock()
		for id, at := range batch {
			if _, ok := m.pending[id]; !ok {
				m.pending[id] = at
			}
		}
		if m.timer == nil && !m.stopped {
			m.timer = time.AfterFunc(retryMarksAfter, func() { m.flush(context.Background()) })
		}
		m.mu.Unlock()
	}
}

// stop records what is left and arms no more timers; the sender calls it when Run returns.
func (m *marker) stop() {
	m.mu.Lock()
	m.stopped = true
	m.mu.Unlock()
	m.flush(context.Background())
}
