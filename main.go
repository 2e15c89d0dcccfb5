// Command law is LAW — Layanan Antri via WhatsApp: a passport office's queue on its WhatsApp number.
//
//	law [run]        the WhatsApp bot
//	law simulate     the same bot on JSON lines (stdin/stdout)
//	law export       one day's bookings as CSV
//	law logout       unlink the WhatsApp device
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

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	cmd := "run"
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
		return 1
	}
	return 0
}

func cmdSimulate(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("simulate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c common
	c.register(fs)
	nowFlag := fs.String("now", "", "starting clock, RFC 3339 (default: the current time)")
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
	// The simulator answers what the database's inbox and outbox hold: on the live database of a
	// linked bot, it would print the replies applicants are waiting for instead of sending them.
	if _, err := os.Stat(cfg.SessionPath()); err == nil {
		return fmt.Errorf("%s has a linked WhatsApp session beside it (%s): simulate on a copy, or with -db on another file",
			cfg.Database.Path, cfg.SessionPath())
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	db, err := store.Open(ctx, cfg.Database.Path)
	if err != nil {
		return err
	}
	defer db.Close()
	// The simulator's own chatter stays out of the way: warnings and errors only.
	log := slog.New(logmask.NewHandler(newLogger(stderr, "warn").Handler()))
	var serveBoard func(context.Context, func() time.Time) error
	if *boardAddr != "" {
		// Listening before the first line, so that a busy port stops the simulation at once.
		ln, err := net.Listen("tcp", *boardAddr)
		if err != nil {
			return fmt.Errorf("-board: %w", err)
		}
		serveBoard = boardServer(cfg, db, ln, func() bool { return true }, log)
	}
	return sim.Run(ctx, sim.Options{Config: cfg, DB: db, Now: now, In: stdin, Out: stdout, Err: stderr,
		Log: log, NewJobs: newSimJobs, Board: serveBoard})
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
	if err := db.Update(ctx, func(tx bot.Tx) error {
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
		cw.Write([]string{b.Date, fmt.Sprintf("%03d", b.Number), window, b.Name, b.Type, b.Phone, string(b.Status)})
	}
	cw.Flush()
	return cw.Error()
}
