package store_test

import (
	"os"
	"strings"
	"testing"
	"time"

	"law/bot"
	"law/store/storetest"
)

// TestWALIsCheckpointedBesideTheWriter: the writer never checkpoints, so the database file grows
// only if the background checkpointer copies the WAL into it.
func TestWALIsCheckpointedBesideTheWriter(t *testing.T) {
	t.Parallel()
	db, path := storetest.OpenTemp(t)
	start, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Repeat("x", 1000)
	for i := range 200 {
		storetest.Update(t, db, func(tx bot.Tx) error {
			return tx.Send(bot.Outgoing{Chat: "c", Phone: "p", Text: text, CreatedAt: time.UnixMilli(int64(i + 1))})
		})
	}
	// Liveness, not timing: the checkpoint comes a fraction of a second after the commits.
	deadline := time.Now().Add(time.Minute)
	for {
		st, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if st.Size() > start.Size()+100_000 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("database file still %d bytes (was %d) a minute after 200 kB were committed", st.Size(), start.Size())
		}
		storetest.Update(t, db, func(bot.Tx) error { return nil }) // another commit asks again
		time.Sleep(50 * time.Millisecond)
	}
}
