package sim_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	"law/sim"
	"law/store/storetest"
)

// TestBoardServedForTheRun checks that the simulator serves the board and /healthz (always
// connected) while it runs, and stops serving before Run returns.
func TestBoardServedForTheRun(t *testing.T) {
	t.Parallel()
	db, cfg, _ := setup(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	in, feed := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- sim.Run(context.Background(), sim.Options{Config: cfg, DB: db,
			Now: time.Date(2026, 12, 7, 7, 30, 0, 0, cfg.Location()), In: in, Out: io.Discard, Err: io.Discard,
			Log: storetest.Quiet(), Board: ln})
	}()
	client := &http.Client{Timeout: 5 * time.Second}
	var res *http.Response
	for i := 0; ; i++ { // the server starts with the run
		if res, err = client.Get("http://" + addr + "/healthz"); err == nil {
			break
		}
		if i == 100 {
			t.Fatal(err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Errorf("/healthz in the simulator: %s, want 200", res.Status)
	}
	feed.Close()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if _, err := client.Get("http://" + addr + "/healthz"); err == nil {
		t.Error("the board still answers after the simulation ended")
	}
}
