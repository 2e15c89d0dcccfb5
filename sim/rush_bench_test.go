package sim_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"law/bot"
	"law/clock"
	"law/config"
	"law/pipeline"
	"law/store"
	"law/store/storetest"
)

// timedHandler records, for each message, how long it took from Accept to the handler's commit,
// and tells the applicant's goroutine that its message was handled.
type timedHandler struct {
	bot     *bot.Bot
	mu      sync.Mutex
	start   map[string]time.Time
	handled map[string]chan struct{}
	lat     []time.Duration // accept to commit: waiting for a worker, then handling
	handle  []time.Duration // a worker took it to commit: the handling itself
}

func (h *timedHandler) Handle(ctx context.Context, in bot.Incoming) error {
	begin := time.Now()
	err := h.bot.Handle(ctx, in)
	h.mu.Lock()
	h.handle = append(h.handle, time.Since(begin))
	h.lat = append(h.lat, time.Since(h.start[in.ID]))
	done := h.handled[in.ID]
	h.mu.Unlock()
	close(done)
	return err
}

func (h *timedHandler) HandleFailure(ctx context.Context, in bot.Incoming, cause error) error {
	return h.bot.HandleFailure(ctx, in, cause)
}

type discard struct{}

func (discard) Send(context.Context, bot.Outgoing, time.Time) error { return nil }

func benchConfig(b *testing.B) *config.Config {
	cfg := config.Default()
	if err := cfg.Validate(); err != nil {
		b.Fatal(err)
	}
	return cfg
}

// bareWriteRate measures single-row write transactions per second on a fresh database in dir,
// with the bot's own DSN: the ceiling of anything that commits once per message.
func bareWriteRate(b *testing.B, dir string) float64 {
	db, err := sql.Open("sqlite", store.DSN(filepath.Join(dir, "bare.db")))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)`); err != nil {
		b.Fatal(err)
	}
	const n = 5000
	start := time.Now()
	for i := 0; i < n; i++ {
		if _, err := db.Exec(`INSERT INTO t (v) VALUES (?)`, "halo"); err != nil {
			b.Fatal(err)
		}
	}
	return n / time.Since(start).Seconds()
}

// BenchmarkRush is the morning the booking window opens: 1,000 applicants write the whole booking
// flow at once (7 messages each, each sent when the one before was handled, as a person answers
// a reply), through the real pipeline, bot and database. It reports messages handled per second
// end to end, the bare SQLite write-transaction rate on the same disk in the same run and their
// ratio, the handling latency p50 and p99 (from a worker taking the message to its commit, and end
// to end from Accept, which adds the wait for a worker among 1,000 senders), and how long the
// replies take to go out at the configured pace (simulated time, so the benchmark does not sleep).
//
//	go test ./sim -run '^$' -bench BenchmarkRush -benchtime 1x
func BenchmarkRush(b *testing.B) {
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		dir := b.TempDir()
		bare := bareWriteRate(b, dir)
		r := rush(b, benchConfig(b), filepath.Join(dir, "law.db"))
		b.ReportMetric(r.rate, "msgs/s")
		b.ReportMetric(bare, "bare-tx/s")
		b.ReportMetric(r.rate/bare, "ratio")
		b.ReportMetric(r.handleP50, "handle-p50-ms")
		b.ReportMetric(r.handleP99, "handle-p99-ms")
		b.ReportMetric(r.e2eP50, "e2e-p50-ms")
		b.ReportMetric(r.e2eP99, "e2e-p99-ms")
		b.ReportMetric(float64(r.replies), "replies")
		b.ReportMetric(r.span.Minutes(), "replies-out-min")
		b.ReportMetric(float64(r.replies)/r.span.Seconds(), "drain-msgs/s")
	}
}

// rushStats is what one rush measured.
type rushStats struct {
	rate                 float64 // messages handled per second, end to end
	handleP50, handleP99 float64 // ms, a worker took the message to its commit
	e2eP50, e2eP99       float64 // ms, Accept to commit
	replies              int
	span                 time.Duration // simulated time for the replies to go out
}

// rush runs the morning rush (1,000 applicants, 7 messages each, closed loop) against the
// database at path, which may already hold history, with the benchmark's timer running only
// while the messages are handled.
func rush(b *testing.B, cfg *config.Config, path string) rushStats {
	const applicants = 1000
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	db, err := store.Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	h := &timedHandler{bot: bot.New(cfg, db, storetest.Quiet()), start: make(map[string]time.Time),
		handled: make(map[string]chan struct{})}
	disp := pipeline.NewDispatcher(ctx, db, h, storetest.Quiet(), pipeline.DefaultWorkers)
	at := time.Date(2026, 12, 1, 7, 0, 0, 0, cfg.Location())
	clock := clock.NewSim(at)
	s := cfg.Sending
	rec := &sentRecorder{}
	sender := pipeline.NewSender(db, rec, pipeline.Pace{Global: s.GlobalInterval.Duration,
		Chat: s.ChatInterval.Duration, Bulk: s.BulkInterval.Duration, Jitter: s.Jitter.Duration,
		MaxAttempts: s.MaxAttempts, PerMinute: s.MaxPerMinute}, clock, storetest.Quiet(), 1)
	go sender.Run(ctx)
	msgs := make([][]bot.Incoming, applicants)
	for a := range msgs {
		phone := fmt.Sprintf("62800%07d", a)
		for j, text := range []string{"halo", "1", "Pemohon " + letters(a), "1", "1", "1", "ya"} {
			id := fmt.Sprintf("B%d-%d", a, j)
			h.start[id] = time.Time{}
			h.handled[id] = make(chan struct{})
			msgs[a] = append(msgs[a], bot.Incoming{ID: id, Phone: phone, Chat: phone, Text: text, At: at})
		}
	}
	runtime.GC()
	b.StartTimer()
	begin := time.Now()
	var wg sync.WaitGroup
	for a := range msgs {
		wg.Add(1)
		go func(ms []bot.Incoming) {
			defer wg.Done()
			for _, in := range ms {
				h.mu.Lock()
				h.start[in.ID] = time.Now()
				done := h.handled[in.ID]
				h.mu.Unlock()
				if err := disp.Accept(ctx, in); err != nil {
					b.Error(err)
					return
				}
				<-done
			}
		}(msgs[a])
	}
	wg.Wait()
	disp.Wait()
	elapsed := time.Since(begin)
	b.StopTimer()
	if err := sender.Flush(ctx); err != nil {
		b.Fatal(err)
	}
	slices.Sort(h.lat)
	slices.Sort(h.handle)
	ms := func(ds []time.Duration, pct int) float64 {
		return float64(ds[len(ds)*pct/100].Microseconds()) / 1000
	}
	return rushStats{rate: float64(applicants*7) / elapsed.Seconds(),
		handleP50: ms(h.handle, 50), handleP99: ms(h.handle, 99), e2eP50: ms(h.lat, 50), e2eP99: ms(h.lat, 99),
		replies: rec.n, span: rec.last.Sub(at)}
}

type sentRecorder struct {
	mu   sync.Mutex
	n    int
	last time.Time
}

func (r *sentRecorder) Send(_ context.Context, _ bot.Outgoing, at time.Time) error {
	r.mu.Lock()
	r.n++
	if at.After(r.last) {
		r.last = at
	}
	r.mu.Unlock()
	return nil
}

// BenchmarkIdleConversation measures the Go heap held per open conversation that waits for its
// next answer (an applicant who asked for a number and went quiet). Conversations live in SQLite,
// so this is what the process keeps besides SQLite's bounded page cache.
//
//	go test ./sim -run '^$' -bench BenchmarkIdleConversation -benchtime 1x
func BenchmarkIdleConversation(b *testing.B) {
	const open = 10000
	for i := 0; i < b.N; i++ {
		cfg := benchConfig(b)
		ctx, cancel := context.WithCancel(context.Background())
		db, err := store.Open(ctx, filepath.Join(b.TempDir(), "law.db"))
		if err != nil {
			b.Fatal(err)
		}
		disp := pipeline.NewDispatcher(ctx, db, bot.New(cfg, db, storetest.Quiet()), storetest.Quiet(), pipeline.DefaultWorkers)
		sender := pipeline.NewSender(db, discard{}, pipeline.Pace{}, clock.NewSim(time.Now()), storetest.Quiet(), 1)
		go sender.Run(ctx)
		at := time.Date(2026, 12, 1, 7, 0, 0, 0, cfg.Location())
		warm := func(from, to int) {
			for a := from; a < to; a++ {
				phone := fmt.Sprintf("62801%07d", a)
				if err := disp.Accept(ctx, bot.Incoming{ID: fmt.Sprint("I", a), Phone: phone, Chat: phone, Text: "1", At: at}); err != nil {
					b.Fatal(err)
				}
			}
			disp.Wait()
			if err := sender.Flush(ctx); err != nil {
				b.Fatal(err)
			}
		}
		warm(0, 1000) // caches and pools at their working size
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		warm(1000, 1000+open)
		runtime.GC()
		runtime.ReadMemStats(&after)
		per := (float64(after.HeapInuse) - float64(before.HeapInuse)) / open
		b.ReportMetric(max(per, 0), "heap-B/conversation")
		cancel()
		db.Close()
	}
}
