// Command law is LAW — Layanan Antri via WhatsApp: a passport office's queue on its WhatsApp number.
//
//	law [run]        the WhatsApp bot
//	law simulate     the same bot on JSON lines (stdin/stdout)
//	law export       one day's bookings as CSV
//	law logout       unlink the WhatsApp device
//	law backup FILE  a consistent copy of the bot's database
package main

import (
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"law/bot"
	"law/config"
	"law/logmask"
	"law/sim"
	"law/store"
	"law/wa"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

const usage = `usage: law [command] [flags]

commands:
  run        the WhatsApp bot (the default)
  simulate   the same bot with WhatsApp replaced by JSON lines on stdin and stdout
  export     one day's bookings as CSV: law export -date 2026-12-01
  logout     unlink this device from the office's WhatsApp
  backup     a consistent, checked copy of the bot's database, also while it runs: law backup FILE

every command takes:
  -config FILE   configuration (default config.toml when present, else built-in defaults)
  -db FILE       the bot's database (overrides database.path)
`

// common holds what every command reads from its flags.
type common struct {
	configPath string
	dbPath     string
}

func (c *common) register(fs *flag.FlagSet) {
	fs.StringVar(&c.configPath, "config", "", "configuration file (default config.toml when present)")
	fs.StringVar(&c.dbPath, "db", "", "the bot's database file (overrides database.path)")
}

// load reads the configuration: an explicit -config must exist; the default config.toml may not.
func (c *common) load() (*config.Config, error) {
	path, required := c.configPath, true
	if path == "" {
		path, required = "config.toml", false
	}
	cfg, err := config.Load(path, required)
	if err != nil {
		return nil, err
	}
	if c.dbPath != "" {
		cfg.Database.Path = c.dbPath
		// Again with the flag applied: -db must not name the session file, for one.
		if err := cfg.Validate(); err != nil {
			return nil, fmt.Errorf("-db %s: %w", c.dbPath, err)
		}
	}
	return cfg, nil
}

func newLogger(w io.Writer, level string) *slog.Logger {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		l = slog.LevelInfo
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: l}))
}

// exitAccountBlocked is the exit status when WhatsApp locked or banned the office number: 78
// (EX_CONFIG), which law.service's RestartPreventExitStatus keeps systemd from restarting, since
// only the office phone can mend it.
const exitAccountBlocked = 78

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	cmd := "run"
	if len(args) > 0 && (args[0] == "-h" || args[0] == "-help" || args[0] == "--help") {
		fmt.Fprint(stdout, usage)
		return 0
	}
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	var err error
	switch cmd {
	case "run":
		err = cmdRun(args, stderr)
	case "simulate":
		err = cmdSimulate(args, stdin, stdout, stderr)
	case "export":
		err = cmdExport(args, stdout, stderr)
	case "logout":
		err = cmdLogout(args, stderr)
	case "backup":
		err = cmdBackup(args, stdout, stderr)
	case "help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "law: unknown command %q\n\n%s", cmd, usage)
		return 2
	}
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "law %s: %v\n", cmd, err)
	}
	return exitStatus(err)
}

// exitStatus is the process's exit status for a command's error: 0 for none, exitAccountBlocked
// when WhatsApp locked or banned the office number, 1 otherwise.
func exitStatus(err error) int {
	switch {
	case err == nil:
		return 0
	case errors.Is(err, wa.ErrAccountLocked), errors.Is(err, wa.ErrAccountBanned):
		return exitAccountBlocked
	}
	return 1
}

func cmdSimulate(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("simulate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c common
	c.register(fs)
	nowFlag := fs.String("now", "", "starting clock, RFC 3339 (default: the current time)")
	clockOK := fs.Bool("clock-ok", false,
		"the starting clock is right: run the no-show marking and data erasure even if it looks wrong")
	boardAddr := fs.String("board", "", "serve the now-serving board and /healthz on this host:port, e.g. 127.0.0.1:8080")
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg, err := c.load()
	if err != nil {
		return err
	}
	now := time.Now()
	if *nowFlag != "" {
		if now, err = time.Parse(time.RFC3339, *nowFlag); err != nil {
			return fmt.Errorf("-now: not an RFC 3339 time such as 2026-12-01T07:00:00+07:00: %q", *nowFlag)
		}
	}
	// SIGINT or SIGTERM ends the input: what was read is handled and answered, and the exit is 0.
	// A second signal ends the process at once.
	sig, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	context.AfterFunc(sig, stop)
	ctx := context.Background()
	// The simulator answers what the database's inbox and outbox hold: on the live database of a
	// linked bot, it would print the replies applicants are waiting for instead of sending them.
	if linked, err := wa.Linked(ctx, cfg.SessionPath()); err != nil {
		return err
	} else if linked {
		return fmt.Errorf("%s has a linked WhatsApp session beside it (%s): simulate on a copy, or with -db on another file",
			cfg.Database.Path, cfg.SessionPath())
	}
	db, err := store.Open(ctx, cfg.Database.Path)
	if err != nil {
		return err
	}
	defer db.Close()
	// The simulator's own chatter stays out of the way: warnings and errors only.
	log := slog.New(logmask.NewHandler(newLogger(stderr, "warn").Handler()))
	var boardLn net.Listener
	if *boardAddr != "" {
		// Listening before the first line, so that a busy port stops the simulation at once.
		if boardLn, err = net.Listen("tcp", *boardAddr); err != nil {
			return fmt.Errorf("-board: %w", err)
		}
	}
	return sim.Run(ctx, sim.Options{Config: cfg, DB: db, Now: now, In: inputUntil(sig, stdin), Out: stdout,
		Err: stderr, Log: log, ClockOK: *clockOK, Board: boardLn})
}

// inputUntil returns r as it reads until ctx is done, and the end of the input from then on.
func inputUntil(ctx context.Context, r io.Reader) io.Reader {
	pr, pw := io.Pipe()
	go func() {
		_, err := io.Copy(pw, r)
		pw.CloseWithError(err) // nil: io.EOF for the reader
	}()
	context.AfterFunc(ctx, func() { pw.Close() })
	return pr
}

func cmdExport(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c common
	c.register(fs)
	date := fs.String("date", "", "the day to export, 2026-12-01 (required)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if _, err := time.Parse(bot.DateLayout, *date); err != nil {
		return fmt.Errorf("-date: need a date like 2026-12-01, got %q", *date)
	}
	cfg, err := c.load()
	if err != nil {
		return err
	}
	ctx := context.Background()
	if _, err := os.Stat(cfg.Database.Path); err != nil {
		return fmt.Errorf("database %s: %w", cfg.Database.Path, err)
	}
	db, err := store.Open(ctx, cfg.Database.Path)
	if err != nil {
		return err
	}
	defer db.Close()
	var bookings []bot.Booking
	// A read transaction: the export never waits for, nor holds up, a running bot's writer.
	if err := db.View(ctx, func(tx bot.ReadTx) error {
		bookings, err = tx.Bookings(*date)
		return err
	}); err != nil {
		return err
	}
	return writeCSV(stdout, cfg, bookings)
}

// writeCSV writes bookings in the export format PRODUCT.md fixes.
func writeCSV(w io.Writer, cfg *config.Config, bookings []bot.Booking) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"date", "number", "window", "name", "passport_type", "phone", "status"})
	spans := cfg.Windows()
	for _, b := range bookings {
		window := fmt.Sprint(b.Window)
		if b.Window >= 1 && b.Window <= len(spans) {
			s := spans[b.Window-1]
			window = fmt.Sprintf("%02d:%02d-%02d:%02d", s.Start/60, s.Start%60, s.End/60, s.End%60)
		}
		phone := b.Phone
		if bot.IsLIDKey(phone) {
			phone = "" // WhatsApp did not tell the number: a LID is no phone number
		}
		cw.Write([]string{b.Date, fmt.Sprintf("%03d", b.Number), window, b.Name, b.Type, phone, string(b.Status)})
	}
	cw.Flush()
	return cw.Error()
}
