package engine

import (
	"context"

	"law/board"
)

// startBoard serves the now-serving board and /healthz on the engine's listener until Stop: on the
// engine's clock, from its database, healthy while the transport is connected and the database
// writable. A board that cannot start is logged; the queue goes on without it.
func (e *Engine) startBoard() {
	ctx, cancel := context.WithCancel(context.Background())
	e.stopBoard, e.boardDone = cancel, make(chan struct{})
	cfg, db := e.o.Config, e.o.DB
	connected := func() bool {
		c, _, _ := e.o.Connection()
		return c
	}
	go func() {
		defer close(e.boardDone)
		h, err := board.New(board.Options{
			Office: cfg.Office.Name, Title: cfg.Board.Title, Counters: cfg.Board.Counters,
			DailyQuota: cfg.Queue.DailyQuota, Location: cfg.Location(), Now: e.o.Clock.Now, Source: db,
			Log: e.o.Log,
			Health: func(ctx context.Context) board.Health {
				// The last write's outcome, and a probe that takes and gives back the write lock (a
				// read-only mount fails it even while nothing was written).
				h := board.Health{WhatsApp: connected(), Database: true}
				err := db.LastWriteError()
				if err == nil {
					err = db.Writable(ctx)
				}
				if err != nil {
					h.Database, h.Detail = false, err.Error()
				}
				return h
			},
		})
		if err != nil {
			e.o.Board.Close()
			e.o.Log.Error("the now-serving board cannot start", "err", err)
			return
		}
		if err := board.Serve(ctx, e.o.Board, h, e.o.Log); err != nil {
			e.o.Log.Error("the now-serving board stopped", "err", err)
		}
	}()
}
