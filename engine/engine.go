// Package engine is the one place that builds LAW's moving parts: given the configuration, the
// database, a transport and a clock, it builds the bot, the dispatcher that hands it stored
// messages, the sender that drains the outbox at a safe pace, and the scheduler of the clock's
// jobs, and it starts and stops them in the one right order. `law run` gives it WhatsApp and the
// wall clock; `law simulate` and the tests give it JSON lines or a recorder and a simulated clock.
package engine

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"time"

	"law/bot"
	"law/clock"
	"law/clockcheck"
	"law/config"
	"law/pipeline"
	"law/schedule"
	"law/store"
)

// Options are what an engine runs on. Config, DB, Transport, Clock and Log are required.
type Options struct {
	Config    *config.Config
	DB        *store.DB
	Transport pipeline.Transport
	Clock     clock.Clock
	Log       *slog.Logger
	// Workers bounds how many messages are handled at once; 0 is pipeline.DefaultWorkers.
	Workers int
	// Seed seeds the sender's jitter; 0 takes it from the clock.
	Seed uint64
	// Jobs are run by the clock beside the bot's own (the nightly backup, say).
	Jobs []schedule.Job
	// ClockOK is the operator's word that the clock is right (-clock-ok), for the clock check
	// that holds back the jobs that cannot be undone (see clockcheck).
	ClockOK bool
	// Board, when set, is where the now-serving board and /healthz are served, from Start to Stop.
	Board net.Listener
	// Connection reports the transport's state, for /status and /healthz: connected or not and
	// since when, and the end of a ban (zero: none). Nil: always connected, since the engine was
	// built (the simulator).
	Connection func() (connected bool, since, banUntil time.Time)
}

// Engine is a running bot: handlers, sender and jobs.
type Engine struct {
	o      Options
	bot    *bot.Bot
	disp   *pipeline.Dispatcher
	sender *pipeline.Sender
	sched  *schedule.Scheduler
	guard  *clockcheck.Guard // set by Start

	// The handlers' context outlives Drain's start, so that the messages in hand can finish; it
	// is cancelled only when draining runs out of time.
	work     context.Context
	stopWork context.CancelFunc

	mu       sync.Mutex
	started  bool
	stopSend context.CancelFunc
	sendDone chan error
	stopJobs context.CancelFunc
	jobsDone chan struct{}
	stopped  bool
	// The board's server, when Options.Board is set.
	stopBoard context.CancelFunc
	boardDone chan struct{}
}

// New builds an engine; Start starts it. It returns an error when an option is missing or a job's
// schedule does not parse (which a validated configuration rules out).
func New(o Options) (*Engine, error) {
	if o.Config == nil || o.DB == nil || o.Transport == nil || o.Clock == nil || o.Log == nil {
		return nil, errors.New("engine: Config, DB, Transport, Clock and Log are required")
	}
	if o.Workers <= 0 {
		o.Workers = pipeline.DefaultWorkers
	}
	if o.Seed == 0 {
		o.Seed = uint64(o.Clock.Now().UnixNano())
	}
	e := &Engine{o: o, bot: bot.New(o.Config, o.DB, o.Log)}
	e.work, e.stopWork = context.WithCancel(context.Background())
	e.disp = pipeline.NewDispatcher(e.work, o.DB, e.bot, o.Log, o.Workers)
	e.sender = pipeline.NewSender(o.DB, o.Transport, Pace(o.Config.Sending), o.Clock, o.Log, o.Seed)
	if o.Connection == nil {
		since := o.Clock.Now()
		o.Connection = func() (bool, time.Time, time.Time) { return true, since, time.Time{} }
		e.o.Connection = o.Connection
	}
	e.bot.SetStatus(bot.HealthFunc(e.health))
	sched, err := Jobs(e.bot, o.Config, o.Clock, o.Log, o.Jobs...)
	if err != nil {
		e.stopWork()
		return nil, err
	}
	e.sched = sched
	return e, nil
}

// Jobs returns the scheduler of the bot's jobs by the clock ([jobs] in the configuration) and the
// extra ones, read in the office's time zone, on clk. It returns an error when a schedule does not
// parse, which a validated configuration rules out.
func Jobs(b *bot.Bot, cfg *config.Config, clk clock.Clock, log *slog.Logger, extra ...schedule.Job) (*schedule.Scheduler, error) {
	var jobs []schedule.Job
	for _, j := range b.ClockJobs() {
		jobs = append(jobs, schedule.Job{Name: j.Name, Spec: j.Spec, Run: j.Run})
	}
	jobs = append(jobs, extra...)
	s, err := schedule.New(cfg.Location(), clk, log, jobs...)
	if err != nil {
		return nil, fmt.Errorf("the clock's jobs: %w", err)
	}
	return s, nil
}

// Pace is the sender's pace from the configuration.
func Pace(s config.Sending) pipeline.Pace {
	return pipeline.Pace{Global: s.GlobalInterval.Duration, Chat: s.ChatInterval.Duration,
		Bulk: s.BulkInterval.Duration, Jitter: s.Jitter.Duration, MaxAttempts: s.MaxAttempts,
		PerMinute: s.MaxPerMinute}
}

// health is what /status shows beside the database: the transport's state, the sender's, and the
// clock's verdict.
func (e *Engine) health() bot.Health {
	connected, since, ban := e.o.Connection()
	h := bot.Health{Known: true, Connected: connected, Since: since, BannedUntil: ban}
	if g := e.guard; g != nil {
		if v := g.Verdict(); v != "" {
			h.Clock = v
		} else if skew, ok := g.Skew(); ok {
			h.Clock = fmt.Sprintf("the clock is %s off WhatsApp's", skew.Round(time.Second).Abs())
		}
	}
	return e.sender.Health(h)
}

// Bot returns the engine's bot.
func (e *Engine) Bot() *bot.Bot { return e.bot }

// Start schedules the messages a previous run stored but did not handle, starts the sender, and
// catches up on the jobs that fell due while nothing ran, once. On the wall clock the jobs then
// follow it with timers until Drain; on a virtual clock they run when Advance moves it. It returns
// the number of messages resumed, and an error when the database cannot be read.
func (e *Engine) Start(ctx context.Context) (resumed int, err error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.started {
		return 0, errors.New("engine: started twice")
	}
	e.started = true
	// The clock is judged before anything runs on it: a clock far off holds back the no-show
	// marking and the erasure until it is confirmed.
	guard, err := openGuard(ctx, e.o.DB, e.o.Clock.Now(), e.o.ClockOK, e.o.Log)
	if err != nil {
		return 0, err
	}
	e.guard = guard
	e.bot.SetClockTrust(guard)
	if e.o.Board != nil {
		e.startBoard()
	}
	n, err := e.disp.Resume(ctx)
	if err != nil {
		return 0, err
	}
	sendCtx, stopSend := context.WithCancel(context.Background())
	e.stopSend, e.sendDone = stopSend, make(chan error, 1)
	go func() { e.sendDone <- e.sender.Run(sendCtx) }()

	jobsCtx, stopJobs := context.WithCancel(context.Background())
	e.stopJobs, e.jobsDone = stopJobs, make(chan struct{})
	if e.o.Clock.Virtual() {
		close(e.jobsDone)
		now := e.o.Clock.Now()
		// Catch-up before any new input, as a restart of the real bot does.
		if err := e.sched.RunDue(ctx, now, now); err != nil {
			return n, err
		}
	} else {
		var wg sync.WaitGroup
		wg.Go(func() {
			_ = e.sched.Run(jobsCtx) // returns the context's error; jobs log their own failures
		})
		// The jobs held back while the clock was doubted run when it is confirmed.
		wg.Go(func() { catchUpWhenTrusted(jobsCtx, guard, e.sched.CatchUp, e.o.DB, e.o.Clock, e.o.Log) })
		go func() {
			wg.Wait()
			close(e.jobsDone)
		}()
	}
	return n, nil
}

// Accept stores an incoming message in the inbox and schedules it; see pipeline.Dispatcher.Accept.
// An error means the message is not stored and must not be acknowledged. The message's times
// (when WhatsApp stamped it, when it arrived) confirm or doubt the clock.
func (e *Engine) Accept(ctx context.Context, in bot.Incoming) error {
	e.observe(in)
	return e.disp.Accept(ctx, in)
}

func (e *Engine) observe(in bot.Incoming) {
	if e.guard != nil {
		e.guard.Observe(in.SentAt, in.At)
	}
}

// AcceptAll stores a batch of incoming messages in one commit and schedules them; see
// pipeline.Dispatcher.AcceptAll.
func (e *Engine) AcceptAll(ctx context.Context, ins []bot.Incoming) error {
	for _, in := range ins {
		e.observe(in)
	}
	return e.disp.AcceptAll(ctx, ins)
}

// Settle waits until every accepted message is handled and every reply it queued is sent (on a
// virtual clock, written out at the time it would be sent). It returns ctx's error.
func (e *Engine) Settle(ctx context.Context) error {
	e.disp.Wait()
	return e.sender.Flush(ctx)
}

// Advance moves a simulated clock to t: what was said before is handled at its own time, then the
// jobs due on the way run in order and what they queue goes out at their time, before anything
// said after the move. It returns an error when t is before the clock, or ctx's.
func (e *Engine) Advance(ctx context.Context, to time.Time) error {
	sim, ok := e.o.Clock.(*clock.Sim)
	if !ok {
		return errors.New("engine: only a simulated clock can be moved")
	}
	now := sim.Now()
	if to.Before(now) {
		return fmt.Errorf("engine: the clock does not go back (%s is before %s)", to.Format(time.RFC3339),
			now.Format(time.RFC3339))
	}
	e.disp.Wait()
	if err := e.sched.RunDue(ctx, now, to); err != nil {
		return err
	}
	if err := e.sender.Flush(ctx); err != nil {
		return err
	}
	sim.Set(to)
	return nil
}

// Drain stops taking messages and ends the day's work in order: the jobs stop (none is cut in
// the middle), the messages in hand are handled (at most within drain; then their context is
// cancelled and what is left stays in the inbox for the next start), and the replies already
// queued get flush to go out. A reply that cannot go in time stays in the outbox for the next
// start. It returns false when something was left for the next start.
func (e *Engine) Drain(drain, flush time.Duration) bool {
	complete := true
	e.mu.Lock()
	stopJobs, jobsDone := e.stopJobs, e.jobsDone
	e.mu.Unlock()
	if stopJobs != nil {
		stopJobs()
		<-jobsDone
	}
	done := make(chan struct{})
	go func() {
		e.disp.Close()
		close(done)
	}()
	t := time.NewTimer(drain)
	defer t.Stop()
	select {
	case <-done:
	case <-t.C:
		e.o.Log.Warn("messages still in hand are left in the inbox for the next start")
		e.stopWork()
		<-done
		complete = false
	}
	if flush > 0 {
		ctx, cancel := context.WithTimeout(context.Background(), flush)
		if err := e.sender.Flush(ctx); err != nil {
			e.o.Log.Info("replies still queued are sent at the next start")
			complete = false
		}
		cancel()
	}
	return complete
}

// Stop stops whatever Start started (the jobs, when Drain did not; the sender; the board) and the
// handlers. Call it after Drain; it is safe after a Start that failed half-way, and twice. The
// database stays open (its owner closes it). It returns the sender's error other than its stop.
func (e *Engine) Stop() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.stopped {
		return nil
	}
	e.stopped = true
	if e.stopJobs != nil {
		e.stopJobs()
		<-e.jobsDone
	}
	var err error
	if e.stopSend != nil {
		e.stopSend()
		err = <-e.sendDone
	}
	e.stopWork()
	if e.stopBoard != nil {
		e.stopBoard()
		<-e.boardDone
	}
	if err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	return nil
}
