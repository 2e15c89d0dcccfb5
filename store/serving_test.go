package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"law/bot"
	"law/store/storetest"
)

// TestServingOrderColumns: an outgoing message keeps its rank, one without a rank is ranked by when
// it was queued, a conversation keeps when it started, and several sends are marked in one write.
func TestServingOrderColumns(t *testing.T) {
	t.Parallel()
	db := storetest.Open(t)
	ctx := context.Background()
	queued := time.UnixMilli(1_796_000_000_000)
	started := queued.Add(-10 * time.Minute)
	storetest.Update(t, db, func(tx bot.Tx) error {
		if err := tx.SaveConversation(bot.Conversation{Phone: "62800000000001", Chat: "62800000000001",
			Lang: bot.LangID, State: bot.StateName, UpdatedAt: queued, StartedAt: started}); err != nil {
			return err
		}
		if err := tx.Send(bot.Outgoing{Chat: "a", Phone: "a", Text: "ranked", CreatedAt: queued, Rank: started}); err != nil {
			return err
		}
		return tx.Send(bot.Outgoing{Chat: "b", Phone: "b", Text: "unranked", CreatedAt: queued})
	})
	storetest.Update(t, db, func(tx bot.Tx) error {
		c, err := tx.Conversation("62800000000001")
		if err == nil && !c.StartedAt.Equal(started) {
			t.Errorf("conversation started at %v, want %v", c.StartedAt, started)
		}
		return err
	})
	p, err := db.Pending(ctx, 0, 10)
	if err != nil || len(p) != 2 {
		t.Fatalf("Pending = %v, %v", p, err)
	}
	if !p[0].Rank.Equal(started) || !p[1].Rank.Equal(queued) {
		t.Errorf("ranks %v and %v, want %v and the queued time %v", p[0].Rank, p[1].Rank, started, queued)
	}
	if err := db.MarkSentAll(ctx, map[string]time.Time{p[0].ID: queued, p[1].ID: queued.Add(time.Second)}); err != nil {
		t.Fatal(err)
	}
	if p, err := db.Pending(ctx, 0, 10); err != nil || len(p) != 0 {
		t.Errorf("after marking both sent, Pending = %v, %v", p, err)
	}
}

// TestHandledSince counts the messages handled from a time on, from an index rather than the
// whole inbox.
func TestHandledSince(t *testing.T) {
	t.Parallel()
	db := storetest.Open(t)
	ctx := context.Background()
	day := time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)
	for i, at := range []time.Time{day.Add(-time.Hour), day, day.Add(time.Hour), day.Add(2 * time.Hour)} {
		in := bot.Incoming{ID: string(rune('A' + i)), Phone: "62800000000001", Chat: "c", Text: "x", At: at}
		if _, err := db.SaveInbound(ctx, in); err != nil {
			t.Fatal(err)
		}
		if i == 3 {
			break // received, not handled
		}
		storetest.Update(t, db, func(tx bot.Tx) error {
			_, err := tx.Claim(in.ID, at)
			return err
		})
	}
	storetest.Update(t, db, func(tx bot.Tx) error {
		n, err := tx.HandledSince(day)
		if err == nil && n != 2 {
			t.Errorf("HandledSince = %d, want 2 (the one before midnight and the unhandled one do not count)", n)
		}
		return err
	})
	var plan strings.Builder
	rows, err := db.SQL().Query(`EXPLAIN QUERY PLAN SELECT count(*) FROM inbox WHERE handled_at >= ?`, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan.WriteString(detail + "\n")
	}
	if !strings.Contains(plan.String(), "inbox_handled") {
		t.Errorf("the count scans the inbox:\n%s", plan.String())
	}
}
