package store

import (
	"fmt"
	"time"
)

// HandledSince counts the incoming messages handled at or after since (for /status), from the
// inbox_handled index.
func (t *tx) HandledSince(since time.Time) (int, error) {
	var n int
	if err := t.queryRow(`SELECT count(*) FROM inbox WHERE handled_at >= ?`, ms(since)).Scan(&n); err != nil {
		return 0, fmt.Errorf("count messages handled: %w", err)
	}
	return n, nil
}
