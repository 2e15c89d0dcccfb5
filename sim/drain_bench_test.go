package sim_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"law/bot"
	"law/clock"
	"law/pipeline"
	"law/store"
	"law/store/storetest"
)

// countingOutbox counts the writes that record sends.
type countingOutbox struct {
	*store.DB
	writes atomic.Int64
}

func (c *countingOutbox) MarkSentAll(ctx context.Context, sent map[string]time.Time) error {
	c.writes.Add(1)
	return c.DB.MarkSentAll(ctx, sent)
}

// BenchmarkSenderDrain drains 2,000 queued replies through the real store on the simulator's clock
// (no sleeping through the pace) and reports the durable writes that recorded them per message
// sent, and the drain rate. Each sent message used to cost a write (and a disk sync) of its own.
//
//	go test ./sim -run '^$' -bench SenderDrain -benchtime 1x -count 3
func BenchmarkSenderDrain(b *testing.B) {
	const n = 2000
	cfg := benchConfig(b)
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		db := storetest.Open(b)
		at := time.Date(2026, 12, 1, 7, 0, 0, 0, cfg.Location())
		for j := 0; j < n; j += 100 {
			storetest.Update(b, db, func(tx bot.Tx) error {
				for k := j; k < j+100; k++ {
					chat := fmt.Sprintf("62800%07d", k)
					if err := tx.Send(bot.Outgoing{Chat: chat, Phone: chat, Text: "halo", CreatedAt: at}); err != nil {
						return err
					}
				}
				return nil
			})
		}
		out := &countingOutbox{DB: db}
		s := cfg.Sending
		sender := pipeline.NewSender(out, discard{}, pipeline.Pace{Global: s.GlobalInterval.Duration,
			Chat: s.ChatInterval.Duration, Bulk: s.BulkInterval.Duration, Jitter: s.Jitter.Duration,
			PerMinute: s.MaxPerMinute, MaxAttempts: s.MaxAttempts}, clock.NewSim(at), storetest.Quiet(), 1)
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		b.StartTimer()
		begin := time.Now()
		go func() { done <- sender.Run(ctx) }()
		if err := sender.Flush(ctx); err != nil {
			b.Fatal(err)
		}
		elapsed := time.Since(begin)
		b.StopTimer()
		cancel()
		<-done
		b.ReportMetric(float64(out.writes.Load())/n, "writes/msg")
		b.ReportMetric(n/elapsed.Seconds(), "msgs/s")
	}
}
