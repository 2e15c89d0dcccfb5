package sim_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"law/bot"
	"law/config"
	"law/store"
	"law/store/storetest"
)

// The office's year: 250 working days of 200 bookings before the rush of 1 December 2026.
const (
	yearDays      = 250
	yearPerDay    = 200
	yearCancelled = 15 // cancelled bookings a day besides the 200 that hold seats
)

// The texts of one booking's conversation, as long as the real ones: seven messages in, seven
// replies and a reminder out.
var (
	yearIn  = []string{"halo", "1", "", "1", "1", "1", "ya"} // "" is the name
	yearOut = []int{620, 70, 260, 330, 320, 240, 720, 420}
)

// buildYear fills the database at path with a year of a busy office, as the code before pruning
// kept it: every booking with its messages in and out, its conversation, and two audit rows (the
// call and the service), the day before the rush still open. Bulk SQL in one transaction, not
// through the bot: the benchmark is about what happens on top of it.
func buildYear(b *testing.B, path string, loc *time.Location) {
	ctx := context.Background()
	db, err := store.Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	tx, err := db.SQL().BeginTx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer tx.Rollback()
	prep := func(q string) *sql.Stmt {
		st, err := tx.Prepare(q)
		if err != nil {
			b.Fatal(err)
		}
		return st
	}
	day := prep(`INSERT INTO days (date, layout) VALUES (?, '40,40,40,40,40')`)
	seat := prep(`INSERT INTO seats (date, number, win) VALUES (?, ?, ?)`)
	booking := prep(`INSERT INTO bookings (date, number, name, passport_type, phone, chat, status, created_at,
		updated_at, called_at, counter, reminded_at, paid_at, collected_at) VALUES (?, ?, ?, 'EP10', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	inbox := prep(`INSERT INTO inbox (id, phone, chat, text, received_at, handled_at) VALUES (?, ?, ?, ?, ?, ?)`)
	outbox := prep(`INSERT INTO outbox (id, chat, phone, text, bulk, created_at, attempts, sent_at) VALUES (?, ?, ?, ?, ?, ?, 1, ?)`)
	conv := prep(`INSERT INTO conversations (phone, chat, state, updated_at) VALUES (?, ?, 'menu', ?)`)
	audit := prep(`INSERT INTO audit (at, staff, action, date, booking_id, detail) VALUES (?, '628000000001', ?, ?, ?, ?)`)
	texts := make([]string, len(yearOut))
	for i, n := range yearOut {
		texts[i] = strings.Repeat("x", n)
	}
	exec := func(st *sql.Stmt, args ...any) sql.Result {
		res, err := st.Exec(args...)
		if err != nil {
			b.Fatal(err)
		}
		return res
	}
	d := time.Date(2026, 12, 1, 0, 0, 0, 0, loc)
	for n := 0; n < yearDays; {
		d = d.AddDate(0, 0, -1)
		if d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
			continue
		}
		n++
		date := d.Format(bot.DateLayout)
		last := n == 1 // the day before the rush: not closed yet
		exec(day, date)
		for s := 1; s <= yearPerDay; s++ {
			exec(seat, date, s, (s-1)/(yearPerDay/5)+1)
		}
		booked := d.AddDate(0, 0, -1).Add(8 * time.Hour)
		for k := 0; k < yearPerDay+yearCancelled; k++ {
			phone := fmt.Sprintf("62801%04d%03d", n, k)
			at := booked.Add(time.Duration(k) * time.Minute)
			number, status := k+1, "served"
			switch {
			case k >= yearPerDay:
				number, status = k-yearPerDay+1, "cancelled"
			case last:
				status = "booked"
			case k%10 == 9:
				status = "no_show"
			}
			var paid, collected int64
			if status == "served" && n <= 5 {
				paid = d.Add(10 * time.Hour).UnixMilli()
				if n > 3 {
					collected = d.AddDate(0, 0, 3).UnixMilli()
				}
			}
			res := exec(booking, date, number, fmt.Sprintf("PEMOHON %s %d", letters(n), k), phone, phone, status,
				at.UnixMilli(), at.UnixMilli(), d.Add(9*time.Hour).UnixMilli(), "1", d.Add(-6*time.Hour).UnixMilli(),
				paid, collected)
			id, _ := res.LastInsertId()
			for j, text := range yearIn {
				if text == "" {
					text = fmt.Sprintf("Pemohon %s %d", letters(n), k)
				}
				t := at.Add(time.Duration(j) * time.Second).UnixMilli()
				exec(inbox, fmt.Sprintf("H%d-%d-%d", n, k, j), phone, phone, text, t, t)
				exec(outbox, fmt.Sprintf("O%d-%d-%d", n, k, j), phone, phone, texts[j], 0, t, t+1000)
			}
			t := d.Add(-6 * time.Hour).UnixMilli()
			exec(outbox, fmt.Sprintf("O%d-%d-r", n, k), phone, phone, texts[7], 1, t, t+60000)
			exec(conv, phone, phone, at.Add(10*time.Second).UnixMilli())
			if status != "cancelled" {
				call := d.Add(9 * time.Hour).UnixMilli()
				exec(audit, call, "next", date, id, "loket 1")
				exec(audit, call+600000, "done", date, id, "called -> "+status)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	// The bulk insert's WAL goes into the file now, not in the middle of the rush that follows.
	if _, err := db.SQL().Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		b.Fatal(err)
	}
}

// timedStore records how long each write transaction of the jobs took, from the call to the
// commit (the writer is otherwise idle, so that is the transaction).
type timedStore struct {
	*store.DB
	mu  sync.Mutex
	txs []time.Duration
}

func (s *timedStore) Update(ctx context.Context, fn func(bot.Tx) error) error {
	begin := time.Now()
	err := s.DB.Update(ctx, fn)
	s.mu.Lock()
	s.txs = append(s.txs, time.Since(begin))
	s.mu.Unlock()
	return err
}

// job runs one job and returns its total time and its longest transaction, in milliseconds.
func (s *timedStore) job(b *testing.B, run func(context.Context, time.Time, time.Time) error, due time.Time) (total, longest float64) {
	s.txs = nil
	begin := time.Now()
	if err := run(context.Background(), due, due); err != nil {
		b.Fatal(err)
	}
	total = float64(time.Since(begin).Microseconds()) / 1000
	for _, d := range s.txs {
		longest = max(longest, float64(d.Microseconds())/1000)
	}
	return total, longest
}

// BenchmarkYear is the rush on an empty database and, side by side in the same run, on a
// database that holds a year of a busy office (250 working days × 200 bookings, with their
// messages, conversations and audit rows, never pruned); then the night jobs on that database:
// the first retention run, which prunes the whole year at once (what an upgrade meets), then a
// whole ordinary night (the roll-over, the retention of one day, the pickup check) and the
// evening reminder; then the size the year takes once pruned.
//
//	go test ./sim -run '^$' -bench BenchmarkYear -benchtime 1x -count 3
func BenchmarkYear(b *testing.B) {
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		cfg := benchConfig(b)
		dir := b.TempDir()
		path := filepath.Join(dir, "year.db")
		buildStart := time.Now()
		buildYear(b, path, cfg.Location())
		build := time.Since(buildStart)
		// Back to back, once the build's writing is over, so that both meet the same machine.
		empty := rush(b, cfg, filepath.Join(dir, "empty.db"))
		year := rush(b, cfg, path)
		b.ReportMetric(empty.rate, "empty-msgs/s")
		b.ReportMetric(year.rate, "year-msgs/s")
		b.ReportMetric(year.rate/empty.rate, "year/empty")
		b.ReportMetric(empty.handleP99, "empty-handle-p99-ms")
		b.ReportMetric(year.handleP99, "year-handle-p99-ms")
		b.ReportMetric(build.Seconds(), "build-s")

		db, err := store.Open(context.Background(), path)
		if err != nil {
			b.Fatal(err)
		}
		ts := &timedStore{DB: db}
		bt := bot.New(cfg, ts, storetest.Quiet())
		at := func(date, hhmm string) time.Time {
			t, err := time.ParseInLocation("2006-01-02 15:04", date+" "+hhmm, cfg.Location())
			if err != nil {
				b.Fatal(err)
			}
			return t
		}
		report := func(name string, run func(context.Context, time.Time, time.Time) error, due time.Time) {
			total, longest := ts.job(b, run, due)
			b.ReportMetric(total, name+"-ms")
			b.ReportMetric(longest, name+"-max-tx-ms")
		}
		report("evening", bt.RunEveningReminder, at("2026-12-01", "18:00"))
		report("first-retention", bt.RunRetention, at("2026-12-02", "01:30"))
		report("rollover", bt.RunRollover, at("2026-12-03", "00:05"))
		before := countRows(b, db)
		report("retention", bt.RunRetention, at("2026-12-03", "01:30"))
		b.ReportMetric(float64(before-countRows(b, db)), "retention-rows-deleted")
		report("pickup", bt.RunPickupCheck, at("2026-12-03", "08:00"))
		db.Close()

		whole, kept := prunedSizes(b, dir, path, at("2026-12-03", "00:00").AddDate(0, 0, -cfg.Jobs.RetentionDays))
		beyond := yearDays*(yearPerDay+yearCancelled) - retentionBookings(cfg)
		b.ReportMetric(float64(whole)/float64(yearDays*(yearPerDay+yearCancelled)), "B/booking-all")
		b.ReportMetric(float64(whole-kept)/float64(beyond), "B/booking-beyond-retention")
		b.ReportMetric(float64(whole)/(1<<20), "pruned-MiB")
	}
}

// retentionBookings is how many of the year's bookings fall within the retention period before
// 3 December 2026 (working days only).
func retentionBookings(cfg *config.Config) int {
	cut := time.Date(2026, 12, 3, 0, 0, 0, 0, cfg.Location()).AddDate(0, 0, -cfg.Jobs.RetentionDays)
	n := 0
	for d := cut; d.Before(time.Date(2026, 12, 1, 0, 0, 0, 0, cfg.Location())); d = d.AddDate(0, 0, 1) {
		if d.Weekday() != time.Saturday && d.Weekday() != time.Sunday {
			n++
		}
	}
	return n * (yearPerDay + yearCancelled)
}

func countRows(b *testing.B, db *store.DB) int {
	var n int
	if err := db.SQL().QueryRow(`SELECT (SELECT count(*) FROM inbox) + (SELECT count(*) FROM outbox)
		+ (SELECT count(*) FROM conversations)`).Scan(&n); err != nil {
		b.Fatal(err)
	}
	return n
}

// prunedSizes returns the size of the pruned database compacted (what a year of running the
// pruning code leaves: freed pages are reused night after night), and the same without the
// bookings, seats, days and audit rows older than cut: the difference is what the history
// beyond retention costs.
func prunedSizes(b *testing.B, dir, path string, cut time.Time) (whole, kept int64) {
	db, err := sql.Open("sqlite", store.DSN(path))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	vacuum := func(name string) int64 {
		out := filepath.Join(dir, name)
		if _, err := db.Exec(`VACUUM INTO ?`, out); err != nil {
			b.Fatal(err)
		}
		st, err := os.Stat(out)
		if err != nil {
			b.Fatal(err)
		}
		return st.Size()
	}
	whole = vacuum("whole.db")
	date := cut.Format(bot.DateLayout)
	for _, q := range []string{`DELETE FROM bookings WHERE date < ?`, `DELETE FROM seats WHERE date < ?`,
		`DELETE FROM window_seats WHERE date < ?`, `DELETE FROM days WHERE date < ?`} {
		if _, err := db.Exec(q, date); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := db.Exec(`DELETE FROM audit WHERE at < ?`, cut.UnixMilli()); err != nil {
		b.Fatal(err)
	}
	return whole, vacuum("kept.db")
}
