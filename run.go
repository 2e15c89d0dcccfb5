package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"law/bot"
	"law/clock"
	"law/config"
	"law/logmask"
	"law/pipeline"
	"law/store"
	"law/wa"
)

const (
	// drainFor bounds the wait for messages in hand at shutdown; what is left stays in the inbox
	// for the next start. systemd's default stop timeout is 90 s.
	drainFor = 30 * time.Second
	// flushFor is how long replies already queued get to go out at shutdown.
	flushFor = 5 * time.Second
)

// jobStarter starts the clock's jobs for the real bot (rollover, reminders, erasure) and returns a
// function that stops them and waits until they have stopped.
type jobStarter func(ctx context.Context, b *bot.Bot, db *store.DB, clock clock.Clock,
	log *slog.Logger) (stop func(), err error)

// cmdRun is `law` and `law run`: the bot on the office's WhatsApp, until SIGINT or SIGTERM.
func cmdRun(args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c common
	c.register(fs)
	pairPhone := fs.String("pair-phone", "",
		"link by an 8-character code typed on this phone (international form, 62…) instead of a QR code")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	cfg, err := c.load()
	if err != nil {
		return err
	}
	var phone string
	if *pairPhone != "" {
		if phone, err = wa.NormalizePhone(*pairPhone); err != nil {
			return fmt.Errorf("-pair-phone: %w", err)
		}
		if cfg.Office.Phone != "" && phone != cfg.Office.Phone {
			return fmt.Errorf("-pair-phone %s is not the office number in office.phone (%s)",
				bot.MaskPhone(phone), bot.MaskPhone(cfg.Office.Phone))
		}
	}
	log, walog := runLoggers(stderr, cfg.Log.Level)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// After the first signal the default handling comes back, so a second Ctrl-C ends a shutdown
	// that hangs.
	context.AfterFunc(ctx, stop)
	return runBot(ctx, cfg, runSetup{log: log, walog: walog, out: stderr, pairPhone: phone, jobs: startJobs})
}

// runLoggers returns LAW's logger, which masks phone numbers in everything it writes, and
// whatsmeow's, which passes only its warnings (or its info lines when LAW logs at debug).
func runLoggers(w io.Writer, level string) (*slog.Logger, *wa.Logger) {
	log := slog.New(logmask.NewHandler(newLogger(w, level).Handler()))
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		l = slog.LevelInfo
	}
	return log, wa.NewLogger(log, wa.WhatsmeowLevel(l))
}

// runSetup is what runBot needs besides the configuration.
type runSetup struct {
	log       *slog.Logger
	walog     *wa.Logger
	out       io.Writer // QR and pairing codes
	pairPhone string
	jobs      jobStarter
}

// runBot wires the bot to WhatsApp and runs until ctx is done (nil) or the connection cannot go on.
// Shutdown stops taking messages, lets the ones in hand finish, stops the sender and the jobs,
// disconnects, and closes the databases.
func runBot(ctx context.Context, cfg *config.Config, rs runSetup) (err error) {
	log := rs.log
	lock, err := wa.LockDir(filepath.Dir(cfg.Database.Path))
	if err != nil {
		return err
	}
	defer func() {
		if rerr := lock.Release(); rerr != nil {
			log.Warn("releasing the data folder lock failed", "err", rerr)
		}
	}()
	db, err := store.Open(ctx, cfg.Database.Path)
	if err != nil {
		return err
	}
	defer db.Close()
	version, err := wa.ApplySavedVersion(ctx, db)
	if err != nil {
		return err
	}
	wa.SetDeviceName(cfg.WhatsApp.DeviceName)
	session, err := wa.OpenSession(ctx, cfg.SessionPath(), rs.walog)
	if err != nil {
		return err
	}
	defer session.Close()
	log.Info("starting", "database", cfg.Database.Path, "session", cfg.SessionPath(),
		"whatsapp_version", version.String())

	b := bot.New(cfg, db, log)
	// The handlers' context outlives the signal, so that messages in hand can finish.
	work, stopWork := context.WithCancel(context.Background())
	defer stopWork()
	disp := pipeline.NewDispatcher(work, db, b, log, pipeline.DefaultWorkers)
	tr := wa.NewTransport(log)
	s := cfg.Sending
	sender := pipeline.NewSender(db, tr, pipeline.Pace{
		Global: s.GlobalInterval.Duration, Chat: s.ChatInterval.Duration, Bulk: s.BulkInterval.Duration,
		Jitter: s.Jitter.Duration, MaxAttempts: s.MaxAttempts, PerMinute: s.MaxPerMinute,
	}, clock.Real{}, log, uint64(time.Now().UnixNano()))
	conn, err := wa.New(wa.Options{
		Session: session, Inbox: disp, Settings: db, Outbox: db, Transport: tr,
		Log: log, WALog: rs.walog, Out: rs.out,
		OfficePhone: cfg.Office.Phone, PairPhone: rs.pairPhone,
		StaffPhones:     staffPhones(cfg, db),
		MaxMessageBytes: cfg.FairUse.MaxMessageBytes,
	})
	if err != nil {
		return err
	}
	b.SetStaffLIDs(conn.StaffLIDs)
	// /status (issue 11): the outbox's side. WhatsApp's side, once wa.Transport reports its state,
	// goes in the Health passed here (Known, Connected, Since, BannedUntil).
	b.SetStatus(bot.HealthFunc(func() bot.Health { return sender.Health(bot.Health{}) }))

	if n, err := disp.Resume(ctx); err != nil {
		return err
	} else if n > 0 {
		log.Info("handling messages left from the last run", "count", n)
	}
	sendCtx, stopSend := context.WithCancel(context.Background())
	defer stopSend()
	sendDone := make(chan error, 1)
	go func() { sendDone <- sender.Run(sendCtx) }()

	jobsCtx, stopJobsCtx := context.WithCancel(context.Background())
	defer stopJobsCtx()
	stopJobs, err := rs.jobs(jobsCtx, b, db, clock.Real{}, log)
	if err != nil {
		stopSend()
		<-sendDone
		return fmt.Errorf("start the clock's jobs: %w", err)
	}

	connCtx, stopConn := context.WithCancel(context.Background())
	defer stopConn()
	connDone := make(chan error, 1)
	go func() { connDone <- conn.Run(connCtx) }()

	var runErr error
	connEnded := false
	select {
	case <-ctx.Done():
		log.Info("stopping: finishing the messages in hand")
	case runErr = <-connDone:
		connEnded = true
	}

	// From here on the connection still runs but the dispatcher refuses new messages, which are
	// then not acknowledged: WhatsApp delivers them again to the next start.
	stopJobsCtx()
	stopJobs()
	drain(disp, stopWork, log)
	if !connEnded {
		flushCtx, cancel := context.WithTimeout(context.Background(), flushFor)
		if err := sender.Flush(flushCtx); err != nil {
			log.Info("replies still queued are sent at the next start")
		}
		cancel()
	}
	stopSend()
	<-sendDone
	stopConn()
	if !connEnded {
		runErr = <-connDone
	}
	conn.Wait()
	if runErr != nil {
		return runErr
	}
	log.Info("stopped")
	return nil
}

// drain closes the dispatcher and waits for the messages in hand, at most drainFor; then it cancels
// their context, and what is left stays in the inbox for the next start.
func drain(disp *pipeline.Dispatcher, cancel context.CancelFunc, log *slog.Logger) {
	done := make(chan struct{})
	go func() {
		disp.Close()
		close(done)
	}()
	t := time.NewTimer(drainFor)
	defer t.Stop()
	select {
	case <-done:
	case <-t.C:
		log.Warn("messages still in hand are left in the inbox for the next start")
		cancel()
		<-done
	}
}

// staffPhones lists the staff whose LIDs are resolved after each connect: the configuration's
// admins and members, and the members added from chat.
func staffPhones(cfg *config.Config, db *store.DB) func(ctx context.Context) ([]string, error) {
	return func(ctx context.Context) ([]string, error) {
		phones := append(append([]string(nil), cfg.Staff.Admins...), cfg.Staff.Members...)
		var members []bot.StaffMember
		if err := db.Update(ctx, func(tx bot.Tx) error {
			var err error
			members, err = tx.StaffMembers()
			return err
		}); err != nil {
			return phones, fmt.Errorf("list staff added from chat: %w", err)
		}
		for _, m := range members {
			phones = append(phones, m.Phone)
		}
		return phones, nil
	}
}

// cmdLogout is `law logout`: unlink this computer from the office's WhatsApp. The queue stays.
func cmdLogout(args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("logout", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c common
	c.register(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg, err := c.load()
	if err != nil {
		return err
	}
	log, walog := runLoggers(stderr, cfg.Log.Level)
	lock, err := wa.LockDir(filepath.Dir(cfg.Database.Path))
	if err != nil {
		return fmt.Errorf("%w; `law logout` needs the bot stopped", err)
	}
	defer func() {
		if rerr := lock.Release(); rerr != nil {
			log.Warn("releasing the data folder lock failed", "err", rerr)
		}
	}()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	if _, err := os.Stat(cfg.SessionPath()); errors.Is(err, os.ErrNotExist) {
		fmt.Fprintln(stderr, "Nothing to do: this computer is not linked to WhatsApp.")
		return nil
	}
	if _, err := os.Stat(cfg.Database.Path); err == nil {
		// The version WhatsApp last asked for, so that logging out is not refused as outdated.
		db, err := store.Open(ctx, cfg.Database.Path)
		if err != nil {
			return err
		}
		_, err = wa.ApplySavedVersion(ctx, db)
		db.Close()
		if err != nil {
			return err
		}
	}
	session, err := wa.OpenSession(ctx, cfg.SessionPath(), walog)
	if err != nil {
		return err
	}
	defer session.Close()
	switch err := wa.Logout(ctx, session, walog); {
	case errors.Is(err, wa.ErrNotLinked):
		fmt.Fprintln(stderr, "Nothing to do: this computer is not linked to WhatsApp (any more).")
		return nil
	case err != nil:
		return err
	}
	fmt.Fprintln(stderr, "Unlinked: the office phone no longer lists this device. The queue database is "+
		"untouched; `law run` links again.")
	return nil
}
