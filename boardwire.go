package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"time"

	"law/board"
	"law/config"
	"law/store"
)

// boardServer returns what serves the now-serving board and /healthz on ln until its context
// ends, on the given clock. connected reports whether WhatsApp is connected: always true in the
// simulator; law run passes the transport's state.
func boardServer(cfg *config.Config, db *store.DB, ln net.Listener, connected func() bool,
	log *slog.Logger) func(ctx context.Context, now func() time.Time) error {
	return func(ctx context.Context, now func() time.Time) error {
		h, err := board.New(board.Options{
			Office: cfg.Office.Name, Title: cfg.Board.Title, Counters: cfg.Board.Counters,
			DailyQuota: cfg.Queue.DailyQuota, Location: cfg.Location(), Now: now, Source: db, Log: log,
			Health: func(ctx context.Context) board.Health {
				h := board.Health{WhatsApp: connected(), Database: true}
				if err := db.Writable(ctx); err != nil {
					h.Database, h.Detail = false, err.Error()
				}
				return h
			},
		})
		if err != nil {
			ln.Close()
			return err
		}
		return board.ServeListener(ctx, ln, h, log)
	}
}

// startBoard starts the board of law run when [board] listen is set, and returns what stops it
// (after which the database may close). It returns an error when the address cannot be listened on.
func startBoard(cfg *config.Config, db *store.DB, connected func() bool, log *slog.Logger) (func(), error) {
	if cfg.Board.Listen == "" {
		return func() {}, nil
	}
	ln, err := net.Listen("tcp", cfg.Board.Listen)
	if err != nil {
		return nil, fmt.Errorf("board.listen: %w", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := boardServer(cfg, db, ln, connected, log)(ctx, time.Now); err != nil {
			log.Error("the now-serving board stopped", "err", err)
		}
	}()
	return func() { cancel(); <-done }, nil
}
