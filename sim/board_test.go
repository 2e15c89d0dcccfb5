package sim_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"law/sim"
)

// TestBoardHook checks that the simulator runs its board on the simulated clock for the whole run
// and stops it before Run returns.
func TestBoardHook(t *testing.T) {
	t.Parallel()
	db, cfg, _ := setup(t)
	start := time.Date(2026, 12, 7, 7, 30, 0, 0, cfg.Location())
	var seen []time.Time
	stopped := false
	board := func(ctx context.Context, now func() time.Time) error {
		seen = append(seen, now())
		<-ctx.Done()
		seen = append(seen, now())
		stopped = true
		return nil
	}
	var out bytes.Buffer
	err := sim.Run(context.Background(), sim.Options{Config: cfg, DB: db, Now: start,
		In: strings.NewReader(`{"advance":"2h"}` + "\n"), Out: &out, Err: io.Discard,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Board: board})
	if err != nil {
		t.Fatal(err)
	}
	if !stopped {
		t.Fatal("the board was still running when Run returned")
	}
	// The board may start before or after the clock moves; it stops after.
	end := start.Add(2 * time.Hour)
	if seen[0].Before(start) || seen[0].After(end) || !seen[1].Equal(end) {
		t.Errorf("the board's clock read %v, want the simulator's, from %v to %v", seen, start, end)
	}
}
