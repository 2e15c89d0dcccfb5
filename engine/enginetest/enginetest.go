// Package enginetest is LAW's test rig, in the manner of net/http/httptest: a whole bot on a real
// database in the test's temporary folder, on a simulated clock the test moves, with the clock's
// jobs. Messages are handled synchronously, one at a time, so that a test reads every reply in
// order; the asynchronous pipeline (dispatcher, sender) is the engine's and the simulator's to test.
package enginetest

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"law/bot"
	"law/clock"
	"law/config"
	"law/engine"
	"law/logmask"
	"law/schedule"
	"law/store"
	"law/store/storetest"
)

// Rig is a bot, its database and its clock.
type Rig struct {
	TB    testing.TB
	Cfg   *config.Config
	DB    *store.DB
	Path  string // the database file
	Bot   *bot.Bot
	Clock *clock.Sim
	Jobs  *schedule.Scheduler

	seq   int
	taken int64 // the outbox position Take read up to
	log   *slog.Logger
}

// Option changes how a rig is built.
type Option func(*setup)

type setup struct {
	base *config.Config
	cfg  []func(*config.Config)
	now  time.Time
	path string
	log  *slog.Logger
	own  bool
}

// CloseDB leaves closing the database to the test (Rig.DB.Close), for a rig that outlives the test
// that built it (a fuzz target's database shared by its iterations).
func CloseDB() Option { return func(s *setup) { s.own = true } }

// UseConfig starts from cfg instead of the default configuration (it is still validated).
func UseConfig(cfg *config.Config) Option { return func(s *setup) { s.base = cfg } }

// Log gives the bot and its jobs a logger (default: one that writes nothing).
func Log(l *slog.Logger) Option { return func(s *setup) { s.log = l } }

// Config changes the default configuration before it is validated.
func Config(f func(*config.Config)) Option { return func(s *setup) { s.cfg = append(s.cfg, f) } }

// At starts the clock at t (default: Monday 7 December 2026, 09:00 WIB).
func At(t time.Time) Option { return func(s *setup) { s.now = t } }

// Path opens the database at path instead of a fresh one in the test's temporary folder (a restart
// of the bot on the same database).
func Path(path string) Option { return func(s *setup) { s.path = path } }

// Staff makes the given numbers the configured admin and member.
func Staff(admin, member string) Option {
	return Config(func(c *config.Config) {
		c.Staff.Admins = []string{admin}
		c.Staff.Members = []string{member}
	})
}

// New builds a rig. The configuration is the default one, changed by the options and validated.
func New(tb testing.TB, opts ...Option) *Rig {
	tb.Helper()
	s := setup{}
	for _, o := range opts {
		o(&s)
	}
	cfg := s.base
	if cfg == nil {
		cfg = config.Default()
	}
	for _, f := range s.cfg {
		f(cfg)
	}
	if err := cfg.Validate(); err != nil {
		tb.Fatal(err)
	}
	if s.now.IsZero() {
		s.now = time.Date(2026, 12, 7, 9, 0, 0, 0, cfg.Location())
	}
	if s.path == "" {
		s.path = filepath.Join(tb.TempDir(), "law.db")
	}
	if s.log == nil {
		s.log = storetest.Quiet()
	}
	var db *store.DB
	if s.own {
		var err error
		if db, err = store.Open(context.Background(), s.path); err != nil {
			tb.Fatal(err)
		}
	} else {
		db = storetest.OpenPath(tb, s.path)
	}
	r := &Rig{TB: tb, Cfg: cfg, DB: db, Path: s.path, Clock: clock.NewSim(s.now), log: s.log}
	r.Bot = bot.New(cfg, db, s.log)
	jobs, err := engine.Jobs(r.Bot, cfg, r.Clock, s.log)
	if err != nil {
		tb.Fatal(err)
	}
	r.Jobs = jobs
	return r
}

// Now returns the clock's time in the office's zone.
func (r *Rig) Now() time.Time { return r.Clock.Now().In(r.Cfg.Location()) }

// Handle stores one message in the inbox at the clock's time, as the transport would, and
// handles it. The id is the rig's own when in.ID is empty; so are At and Chat (the phone).
func (r *Rig) Handle(in bot.Incoming) {
	r.TB.Helper()
	r.seq++
	if in.ID == "" {
		in.ID = fmt.Sprintf("RIG%d", r.seq)
	}
	if in.At.IsZero() {
		in.At = r.Now()
	}
	if in.Chat == "" {
		in.Chat = in.Phone
	}
	ctx := context.Background()
	if _, err := r.DB.SaveInbound(ctx, in); err != nil {
		r.TB.Fatalf("store message %s: %v", in.ID, err)
	}
	if err := r.Bot.Handle(ctx, in); err != nil {
		r.TB.Fatalf("handle message %s from %s: %v", in.ID, logmask.Phone(in.Phone), err)
	}
}

// Take returns the messages queued since the last Take, to anyone, in order, and marks them sent
// at their creation time.
func (r *Rig) Take() []bot.Outgoing {
	r.TB.Helper()
	ctx := context.Background()
	var out []bot.Outgoing
	for {
		batch, err := r.DB.Pending(ctx, r.taken, 1000)
		if err != nil {
			r.TB.Fatal(err)
		}
		for _, o := range batch {
			if err := r.DB.MarkSent(ctx, o.ID, o.CreatedAt); err != nil {
				r.TB.Fatal(err)
			}
			r.taken = max(r.taken, o.Seq)
		}
		out = append(out, batch...)
		if len(batch) < 1000 {
			return out
		}
	}
}

// Advance moves the clock to t, running the jobs due on the way in order, as the simulator does.
func (r *Rig) Advance(t time.Time) {
	r.TB.Helper()
	if err := r.Jobs.RunDue(context.Background(), r.Clock.Now(), t); err != nil {
		r.TB.Fatal(err)
	}
	r.Clock.Set(t)
}

// Update runs fn in one write transaction and fails the test on error.
func (r *Rig) Update(fn func(bot.Tx) error) {
	r.TB.Helper()
	storetest.Update(r.TB, r.DB, fn)
}

// Layout is a date's seats per window under the configured quota or a staff quota.
func (r *Rig) Layout(tx bot.Tx, date string) ([]int, error) {
	d, err := tx.Day(date)
	if err != nil {
		return nil, err
	}
	quota := r.Cfg.Queue.DailyQuota
	if d.Quota > 0 {
		quota = d.Quota
	}
	return bot.Split(quota, len(r.Cfg.Windows())), nil
}

// Book gives an applicant the lowest free number of a window on date, as the conversation would,
// with the passport type EP10, and fails the test when there is none.
func (r *Rig) Book(date string, window int, name, phone string, lang bot.Lang) bot.Booking {
	r.TB.Helper()
	var bk bot.Booking
	r.Update(func(tx bot.Tx) error {
		layout, err := r.Layout(tx, date)
		if err != nil {
			return err
		}
		bk, err = tx.Book(bot.Booking{Date: date, Window: window, Name: name, Type: "EP10", Phone: phone,
			Chat: phone, Lang: lang, CreatedAt: r.Now()}, layout)
		return err
	})
	return bk
}

// For returns the rig reporting to tb, for the reads of a test other than the one that built the
// rig (a fuzz target's iterations share one rig). The two share the database and the clock.
func (r *Rig) For(tb testing.TB) *Rig {
	c := *r
	c.TB = tb
	return &c
}

// Status returns a booking's status.
func (r *Rig) Status(id int64) bot.Status {
	r.TB.Helper()
	var s bot.Status
	r.Update(func(tx bot.Tx) error {
		bk, err := tx.Booking(id)
		s = bk.Status
		return err
	})
	return s
}

// Conversation returns an applicant's conversation.
func (r *Rig) Conversation(phone string) bot.Conversation {
	r.TB.Helper()
	var c bot.Conversation
	r.Update(func(tx bot.Tx) (err error) {
		c, err = tx.Conversation(phone)
		return err
	})
	return c
}

// Count runs a query that returns one number.
func (r *Rig) Count(q string, args ...any) int {
	r.TB.Helper()
	var n int
	if err := r.DB.SQL().QueryRow(q, args...).Scan(&n); err != nil {
		r.TB.Fatalf("%s: %v", q, err)
	}
	return n
}

// Reopen closes the database and opens a new rig on the same database file at t, as a restart of the
// program would: a fresh bot, scheduler and clock.
func (r *Rig) Reopen(t time.Time, opts ...Option) *Rig {
	r.TB.Helper()
	r.DB.Close()
	return New(r.TB, append([]Option{Path(r.Path), At(t), UseConfig(r.Cfg), Log(r.log)}, opts...)...)
}
