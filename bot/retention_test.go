package bot_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"law/bot"
	"law/config"
)

// TestRetentionPrunesInBatchesAndKeepsRedelivery: with a retention shorter than WhatsApp's
// redelivery period, old messages lose their text but keep their id (a redelivery is still
// recognised) until 14 days have passed, then are deleted; more rows than one batch are all
// pruned; the audit keeps its rows without the staff's phones and free texts; the run is
// recorded once, and a second run does nothing.
func TestRetentionPrunesInBatchesAndKeepsRedelivery(t *testing.T) {
	h := newJobsHarness(t, func(c *config.Config) { c.Jobs.RetentionDays = 3 })
	ctx := context.Background()
	due := h.at("2026-12-20", "01:30")
	// 1,200 handled messages of 30 November (20 days back: deleted), 1 of 10 December (10 days
	// back: past retention, within the redelivery period), 1 of 19 December (kept whole).
	const old = 1200
	received := map[string]time.Time{"RECENT": h.at("2026-12-19", "09:00"), "MIDDLE": h.at("2026-12-10", "09:00")}
	for i := range old {
		received[fmt.Sprintf("OLD%04d", i)] = h.at("2026-11-30", "09:00")
	}
	for id, at := range received {
		if _, err := h.DB.SaveInbound(ctx, bot.Incoming{ID: id, Phone: "6280000000001", Chat: "6280000000001",
			Text: "halo", At: at}); err != nil {
			t.Fatal(err)
		}
	}
	h.update(func(tx bot.Tx) error {
		for id, at := range received {
			if _, err := tx.Claim(id, at); err != nil {
				return err
			}
			if err := tx.Send(bot.Outgoing{ID: "R" + id, Chat: "6280000000001", Phone: "6280000000001",
				Text: "reply", CreatedAt: at}); err != nil {
				return err
			}
		}
		for _, a := range []bot.AuditEntry{
			{At: h.at("2026-12-01", "10:00"), Staff: "628000000001", Action: "broadcast", Detail: "3 penerima: datang pagi"},
			{At: h.at("2026-12-01", "10:00"), Staff: "628000000001", Action: "quota", Detail: "50 -> 40"},
			{At: h.at("2026-12-19", "10:00"), Staff: "628000000001", Action: "close", Detail: "banjir"},
		} {
			if err := tx.Audit(a); err != nil {
				return err
			}
		}
		return nil
	})
	if _, err := h.DB.SQL().Exec(`UPDATE outbox SET sent_at = created_at`); err != nil {
		t.Fatal(err)
	}

	h.run(h.Bot.RunRetention, due, due)
	q := func(query string) string {
		t.Helper()
		var s string
		if err := h.DB.SQL().QueryRow(query).Scan(&s); err != nil {
			t.Fatalf("%s: %v", query, err)
		}
		return s
	}
	if got := q(`SELECT group_concat(id || ':' || text, ',') FROM (SELECT * FROM inbox ORDER BY id)`); got != "MIDDLE:,RECENT:halo" {
		t.Errorf("inbox after retention: %q", got)
	}
	if got := q(`SELECT group_concat(id, ',') FROM outbox`); got != "RRECENT" {
		t.Errorf("outbox after retention: %q", got)
	}
	if got := q(`SELECT group_concat(action || '|' || staff || '|' || detail, ',') FROM audit`); got !=
		"broadcast||,quota||50 -> 40,close|628000000001|banjir" {
		t.Errorf("audit after retention: %q", got)
	}
	if got := q(`SELECT count(*) FROM job_runs WHERE job = 'retention'`); got != "1" {
		t.Errorf("retention recorded %s times", got)
	}
	// The message of 10 December, redelivered, is still recognised; so is nothing older.
	for id, want := range map[string]bool{"MIDDLE": false, "OLD0001": true} {
		fresh, err := h.DB.SaveInbound(ctx, bot.Incoming{ID: id, Phone: "6280000000001", Chat: "6280000000001",
			Text: "halo", At: due})
		if err != nil || fresh != want {
			t.Errorf("redelivery of %s: fresh %v (%v), want %v", id, fresh, err, want)
		}
	}
	// Again for the same night: nothing more, no second record.
	h.run(h.Bot.RunRetention, due, due)
	if got := q(`SELECT count(*) FROM job_runs WHERE job = 'retention'`); got != "1" {
		t.Errorf("retention recorded %s times after a second run", got)
	}
	// 25 December: the message of 10 December is 15 days old and goes.
	h.run(h.Bot.RunRetention, h.at("2026-12-25", "01:30"), h.at("2026-12-25", "01:30"))
	if got := q(`SELECT group_concat(id, ',') FROM inbox WHERE id IN ('MIDDLE', 'RECENT')`); got != "RECENT" {
		t.Errorf("inbox after 25 December: %q", got)
	}
}

// TestRetentionMovesAtMostTheDaysSinceItsLastRun: a retention shortened from 90 to 30 days does
// not erase two months at once; each night moves the cut-off by the days passed plus one.
func TestRetentionMovesAtMostTheDaysSinceItsLastRun(t *testing.T) {
	h := newJobsHarness(t, nil) // 90 days
	first := h.book("2026-10-01", 1, "FIRST", "6280000000001", bot.LangID)
	second := h.book("2026-10-02", 1, "SECOND", "6280000000002", bot.LangID)
	within := h.book("2026-09-03", 1, "WITHIN", "6280000000003", bot.LangID)
	h.run(h.Bot.RunRetention, h.at("2026-12-01", "01:30"), h.at("2026-12-01", "01:30"))
	h.Cfg.Jobs.RetentionDays = 30 // as of 2 December: cut-off 2 November
	h.run(h.Bot.RunRetention, h.at("2026-12-02", "01:30"), h.at("2026-12-02", "01:30"))
	// The last run's cut-off was 2 September; one day passed: at most 4 September now.
	h.update(func(tx bot.Tx) error {
		got, err := tx.Booking(within.ID)
		if err == nil && got.Name != "" {
			t.Error("the booking of 3 September, within the night's reach, was not erased")
		}
		return err
	})
	for _, bk := range []bot.Booking{first, second} {
		h.update(func(tx bot.Tx) error {
			got, err := tx.Booking(bk.ID)
			if err == nil && got.Name == "" {
				t.Errorf("booking of %s erased one night after a shorter retention was set", bk.Date)
			}
			return err
		})
	}
}
