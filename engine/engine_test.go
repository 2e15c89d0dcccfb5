package engine_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"law/bot"
	"law/clock"
	"law/config"
	"law/engine"
	"law/pipeline"
	"law/store"
	"law/store/storetest"
)

// recorder is a transport that records what it sends, and what else happened meanwhile.
type recorder struct {
	mu     sync.Mutex
	events []string
	sent   chan bot.Outgoing
}

func newRecorder() *recorder { return &recorder{sent: make(chan bot.Outgoing, 100)} }

func (r *recorder) Send(_ context.Context, o bot.Outgoing, _ time.Time) error {
	r.note("send " + o.Phone)
	r.sent <- o
	return nil
}

func (r *recorder) note(e string) {
	r.mu.Lock()
	r.events = append(r.events, e)
	r.mu.Unlock()
}

func newEngine(t *testing.T, clk clock.Clock, tr pipeline.Transport) (*engine.Engine, *store.DB) {
	t.Helper()
	cfg := config.Default()
	cfg.Sending.GlobalInterval.Duration, cfg.Sending.ChatInterval.Duration = 0, 0
	cfg.Sending.Jitter.Duration = 0
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	db := storetest.Open(t)
	e, err := engine.New(engine.Options{Config: cfg, DB: db, Transport: tr, Clock: clk, Log: storetest.Quiet()})
	if err != nil {
		t.Fatal(err)
	}
	return e, db
}

// TestStartCatchesUpOnTheWallClockAndDrainStopsTheJobs is `law run`'s start and stop: each job's
// latest occurrence is caught up at Start, and Drain returns once the jobs have stopped.
func TestStartCatchesUpOnTheWallClockAndDrainStopsTheJobs(t *testing.T) {
	t.Parallel()
	e, db := newEngine(t, clock.Real{}, newRecorder())
	if _, err := e.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	jobs := len(e.Bot().ClockJobs())
	deadline := time.Now().Add(20 * time.Second)
	for {
		var n int
		if err := db.SQL().QueryRow(`SELECT count(DISTINCT job) FROM job_runs`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n == jobs {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d jobs caught up", n, jobs)
		}
		time.Sleep(10 * time.Millisecond) // the jobs run on their own goroutines; nothing to wait on
	}
	if !e.Drain(time.Second, time.Second) {
		t.Error("Drain left work for the next start on an idle engine")
	}
	if err := e.Stop(); err != nil {
		t.Fatal(err)
	}
}

// TestShutdownOrder: Drain refuses new messages (the transport then does not acknowledge them,
// and WhatsApp delivers them again), finishes the ones in hand, and flushes their replies before
// Stop ends the sender.
func TestShutdownOrder(t *testing.T) {
	t.Parallel()
	tr := newRecorder()
	e, _ := newEngine(t, clock.Real{}, tr)
	ctx := context.Background()
	if _, err := e.Start(ctx); err != nil {
		t.Fatal(err)
	}
	phones := []string{"628000000011", "628000000012", "628000000013"}
	for i, p := range phones {
		if err := e.Accept(ctx, bot.Incoming{ID: "M" + p, Phone: p, Chat: p, Text: "halo",
			At: time.Now()}); err != nil {
			t.Fatalf("message %d: %v", i, err)
		}
	}
	if !e.Drain(10*time.Second, 10*time.Second) {
		t.Fatal("Drain left work behind")
	}
	tr.note("drained")
	err := e.Accept(ctx, bot.Incoming{ID: "late", Phone: "628000000014", Chat: "628000000014", Text: "halo",
		At: time.Now()})
	if !errors.Is(err, pipeline.ErrClosed) {
		t.Fatalf("a message after Drain: %v, want ErrClosed", err)
	}
	if err := e.Stop(); err != nil {
		t.Fatal(err)
	}
	tr.mu.Lock()
	defer tr.mu.Unlock()
	// Every greeting is answered (welcome and menu in one message) before Drain returns.
	if n := len(tr.events); n != len(phones)+1 || tr.events[n-1] != "drained" {
		t.Fatalf("events %q: want %d sends, then drained", tr.events, len(phones))
	}
}

// TestAdvanceRunsTheJobsOnTheSimulatedClock: a simulated engine runs the jobs only as Advance moves
// its clock, and refuses to move it back.
func TestAdvanceRunsTheJobsOnTheSimulatedClock(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 11, 30, 17, 0, 0, 0, time.FixedZone("WIB", 7*3600))
	clk := clock.NewSim(start)
	e, _ := newEngine(t, clk, newRecorder())
	ctx := context.Background()
	if _, err := e.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer e.Stop()
	if err := e.Advance(ctx, start.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if got := clk.Now(); !got.Equal(start.Add(2 * time.Hour)) {
		t.Fatalf("clock at %s", got)
	}
	if err := e.Advance(ctx, start); err == nil {
		t.Fatal("the clock went back")
	}
}

// TestStopAfterAFailedStart: a start that fails half-way (here on a closed database, as a stop
// during start-up leaves it) is stopped cleanly, twice, and says why it failed.
func TestStopAfterAFailedStart(t *testing.T) {
	t.Parallel()
	e, db := newEngine(t, clock.Real{}, newRecorder())
	db.Close()
	if _, err := e.Start(context.Background()); err == nil {
		t.Fatal("Start on a closed database succeeded")
	}
	if err := e.Stop(); err != nil {
		t.Errorf("Stop after a failed Start: %v", err)
	}
	if err := e.Stop(); err != nil {
		t.Errorf("a second Stop: %v", err)
	}
}
