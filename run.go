package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"law/bot"
	"law/clock"
	"law/config"
	"law/engine"
	"law/logmask"
	"law/schedule"
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

// cmdRun is `law` and `law run`: the bot on the office's WhatsApp, until SIGINT or SIGTERM.
func cmdRun(args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c common
	c.register(fs)
	pairPhone := fs.String("pair-phone", "",
		"link by an 8-character code typed on this phone (international form, 62…) instead of a QR code")
	clockOK := fs.Bool("clock-ok", false,
		"the computer's clock is right: run the no-show marking and data erasure even if it looks wrong")
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
				logmask.Phone(phone), logmask.Phone(cfg.Office.Phone))
		}
	}
	log, walog := runLoggers(stderr, cfg.Log.Level)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// After the first signal the default handling comes back, so a second Ctrl-C ends a shutdown
	// that hangs.
	context.AfterFunc(ctx, stop)
	return runBot(ctx, cfg, runSetup{log: log, walog: walog, out: stderr, pairPhone: phone, clockOK: *clockOK})
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
	clockOK   bool // the operator confirmed the clock (-clock-ok)
}

// runBot wires the engine to WhatsApp and runs until ctx is done (nil) or the connection cannot go
// on. Shutdown (engine.Drain) stops taking messages, which are then not acknowledged and come again
// to the next start, finishes the ones in hand, lets queued replies go out while connected, and
// stops the sender; then the connection ends and the databases close.
func runBot(ctx context.Context, cfg *config.Config, rs runSetup) error {
	log := rs.log
	lock, err := wa.LockDirs(filepath.Dir(cfg.Database.Path), filepath.Dir(cfg.SessionPath()))
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

	tr := wa.NewTransport(log)
	var jobs []schedule.Job
	if j, ok := backupJob(cfg, db, log); ok {
		jobs = append(jobs, j)
	}
	// The now-serving board and /healthz, when [board] listen is set.
	var boardLn net.Listener
	if cfg.Board.Listen != "" {
		if boardLn, err = net.Listen("tcp", cfg.Board.Listen); err != nil {
			return fmt.Errorf("board.listen: %w", err)
		}
	}
	eng, err := engine.New(engine.Options{Config: cfg, DB: db, Transport: tr, Clock: clock.Real{}, Log: log,
		ClockOK: rs.clockOK, Jobs: jobs, Board: boardLn, Connection: tr.State})
	if err != nil {
		return err
	}
	defer eng.Stop()
	conn, err := wa.New(wa.Options{
		Session: session, Inbox: eng, Settings: db, Outbox: db, Transport: tr,
		Log: log, WALog: rs.walog, Out: rs.out,
		OfficePhone: cfg.Office.Phone, PairPhone: rs.pairPhone,
		StaffPhones:     staffPhones(cfg, db),
		MaxMessageBytes: cfg.FairUse.MaxMessageBytes,
	})
	if err != nil {
		return err
	}
	if n, err := eng.Start(ctx); err != nil {
		return err
	} else if n > 0 {
		log.Info("handling messages left from the last run", "count", n)
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
	// The connection stays up while the engine drains, so that replies can still go out; the
	// dispatcher meanwhile refuses new messages.
	flush := flushFor
	if connEnded {
		flush = 0
	}
	eng.Drain(drainFor, flush)
	if err := eng.Stop(); err != nil {
		log.Error("the sender stopped with an error", "err", err)
	}
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

// staffPhones lists the staff whose LIDs are resolved after each connect: the configuration's
// admins and members, and the members added from chat.
func staffPhones(cfg *config.Config, db *store.DB) func(ctx context.Context) ([]string, error) {
	return func(ctx context.Context) ([]string, error) {
		phones := append(append([]string(nil), cfg.Staff.Admins...), cfg.Staff.Members...)
		var members []bot.StaffMember
		if err := db.View(ctx, func(tx bot.ReadTx) error {
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
	lock, err := wa.LockDirs(filepath.Dir(cfg.Database.Path), filepath.Dir(cfg.SessionPath()))
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
