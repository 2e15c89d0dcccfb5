package store

import (
	"context"
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"law/bot"
)

// bigTables grow with the office's history: a query that reads one of them from end to end would
// slow down a little more every day.
var bigTables = map[string]bool{"bookings": true, "seats": true, "inbox": true, "outbox": true,
	"audit": true, "conversations": true}

// readerQueries are the statements the DB runs on the pool's reader connections itself, outside
// the writer and outside the Tx methods (which the workload below exercises).
var readerQueries = []string{
	`SELECT id, phone, lid, chat, text, media, received_at FROM inbox
		WHERE handled_at IS NULL ORDER BY received_at, rowid`,
	`SELECT seq, id, chat, phone, text, bulk, created_at, attempts, rank_at
		FROM outbox WHERE sent_at IS NULL AND failed = 0 AND seq > ? ORDER BY seq LIMIT ?`,
	`SELECT chat, text FROM outbox WHERE id = ?`,
	`SELECT value FROM settings WHERE key = ?`,
	lastSeenSQL,
	identifySQL,
	boardCallsSQL,
	boardCountsSQL,
}

// TestQueriesUseIndexes runs every query of the store (every Tx method and DB method, collected
// from the writer's prepared statements, plus readerQueries) through EXPLAIN QUERY PLAN, and
// fails on a full scan of a big table, directly or through a full index. (The statements inside
// the triggers do not show in a plan: they all name a primary key, see migrations/.) It first checks that the queries run cover every SQL
// string in store/*.go, so that a new query cannot escape the check.
func TestQueriesUseIndexes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d := openInternal(t)
	exerciseEverything(t, d)

	queries := append([]string(nil), readerQueries...)
	done := make(chan struct{})
	// The writer's statements map is the writer goroutine's: read it from inside a unit of work.
	if err := d.write(ctx, func(*tx) error {
		for q := range d.w.stmts {
			queries = append(queries, q)
		}
		close(done)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	<-done
	sort.Strings(queries)

	run := make([]string, len(queries))
	for i, q := range queries {
		run[i] = squash(q)
	}
	for _, frag := range sqlInSource(t) {
		found := false
		for _, q := range run {
			if strings.Contains(q, frag) {
				found = true
				break
			}
		}
		if !found {
			t.Errorf("SQL in store/*.go that this test never ran (add it to exerciseEverything or readerQueries):\n%s", frag)
		}
	}

	// A scan through a partial index reads only the rows it holds (the unhandled messages, the
	// bookings not yet erased); through a full one, or none, it reads the whole table.
	partial := map[string]bool{}
	rows, err := d.db.QueryContext(ctx, `SELECT name FROM sqlite_schema WHERE type = 'index' AND sql LIKE '%WHERE%'`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		partial[name] = true
	}
	rows.Close()
	scan := regexp.MustCompile(`^SCAN (\w+)(?: USING (?:COVERING )?INDEX (\w+))?$`)
	for _, q := range queries {
		if !regexp.MustCompile(`^\s*(SELECT|INSERT|UPDATE|DELETE|WITH)\b`).MatchString(q) {
			continue // BEGIN, SAVEPOINT and the like
		}
		args := make([]any, strings.Count(q, "?"))
		rows, err := d.db.QueryContext(ctx, "EXPLAIN QUERY PLAN "+q, args...)
		if err != nil {
			t.Errorf("explain %s: %v", squash(q), err)
			continue
		}
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		aliases := tableAliases(q)
		for _, step := range plan {
			m := scan.FindStringSubmatch(step)
			if m == nil {
				continue
			}
			if table := aliases[m[1]]; bigTables[table] && !partial[m[2]] {
				t.Errorf("full scan of %s:\n%s\nplan: %s", table, squash(q), strings.Join(plan, "; "))
			}
		}
	}
}

// squash collapses runs of white space, so that SQL compares whatever its indentation.
func squash(s string) string { return strings.Join(strings.Fields(s), " ") }

// tableAliases maps every name a query gives a table (the table's own, and its alias) to the table.
func tableAliases(q string) map[string]string {
	out := map[string]string{}
	keywords := map[string]bool{"WHERE": true, "JOIN": true, "ON": true, "ORDER": true, "LIMIT": true,
		"GROUP": true, "SET": true, "RETURNING": true, "VALUES": true, "AS": true}
	re := regexp.MustCompile(`(?:FROM|JOIN|UPDATE|INTO)\s+(\w+)(?:\s+(?:AS\s+)?(\w+))?`)
	for _, m := range re.FindAllStringSubmatch(q, -1) {
		out[m[1]] = m[1]
		if m[2] != "" && !keywords[m[2]] {
			out[m[2]] = m[1]
		}
	}
	return out
}

// sqlInSource returns every string literal of store/*.go (tests left out) that holds SQL,
// squashed; a fragment of a query built from pieces is returned as the fragment.
func sqlInSource(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	isSQL := regexp.MustCompile(`\b(SELECT|INSERT|UPDATE|DELETE|FROM|WHERE)\b`)
	var out []string
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			if err == nil && isSQL.MatchString(s) {
				if frag := squash(s); frag != "" {
					out = append(out, frag)
				}
			}
			return true
		})
	}
	if len(out) < 20 {
		t.Fatalf("found only %d SQL strings in store/*.go: the scan is broken", len(out))
	}
	return out
}

// exerciseEverything calls every method of the store at least once, down the paths that run
// different statements (a quota that grows and shrinks, a repeated stamp, every erasure step).
func exerciseEverything(t *testing.T, d *DB) {
	t.Helper()
	ctx := context.Background()
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	date, layout := "2026-12-02", []int{3, 3}
	in := bot.Incoming{ID: "IN1", Phone: "6280000000001", Chat: "6280000000001", Text: "halo", At: now}
	must := func(err error) {
		t.Helper()
		if err != nil && !errors.Is(err, bot.ErrNotFound) {
			t.Fatal(err)
		}
	}
	_, err := d.SaveInbound(ctx, in)
	must(err)
	_, err = d.Unhandled(ctx)
	must(err)
	c := bot.Conversation{Phone: in.Phone, Chat: in.Chat, Lang: bot.LangID, State: bot.StateMenu, UpdatedAt: now}
	var id int64
	must(d.Update(ctx, func(tx bot.Tx) error {
		steps := []func() error{
			func() error { _, err := tx.Claim(in.ID, now); return err },
			func() error { return tx.NoteTime(now) },
			func() error { _, err := tx.HandledSince(now.Add(-time.Hour)); return err },
			func() error { // someone known only by a LID, whose phone number then becomes known
				lc := c
				lc.Phone = bot.LIDKey("99000000001")
				if err := tx.SaveConversation(lc); err != nil {
					return err
				}
				_, err := tx.RekeyLID("99000000001", "6280000000098")
				return err
			},
			func() error { _, err := tx.Conversation(in.Phone); return err },
			func() error { return tx.SaveConversation(c) },
			func() error {
				return tx.Send(bot.Outgoing{ID: "OUT1", Chat: in.Chat, Phone: in.Phone, Text: "x", CreatedAt: now})
			},
			func() error { _, err := tx.Day(date); return err },
			func() error { return tx.SetDay(bot.Day{Date: date}) },
			func() error { _, err := tx.FreeSeats(date, layout); return err },
			func() error { _, err := tx.FreeSeats(date, []int{1, 1}); return err }, // shrink: retire
			func() error { _, err := tx.FreeSeats(date, []int{4, 1}); return err }, // grow: reopen and add
			func() error { _, err := tx.FreeSeats(date, []int{4}); return err },    // a window fewer
			func() error { _, err := tx.Days(date, date); return err },
			func() error {
				_, err := tx.FreeSeatsOf(map[string][]int{date: layout, "2026-12-03": layout})
				return err
			},
			func() error {
				_, err := tx.Hold(in.Phone, date, 1, layout, now, now.Add(10*time.Minute))
				return err
			},
			func() error { // the same window again: the hold is kept and extended
				_, err := tx.Hold(in.Phone, date, 1, layout, now, now.Add(11*time.Minute))
				return err
			},
			func() error { _, _, err := tx.Held(in.Phone, now); return err },
			func() error {
				b, err := tx.Book(bot.Booking{Date: date, Window: 1, Name: "BUDI", Type: "EP10", Phone: in.Phone,
					Chat: in.Chat, Lang: bot.LangID, CreatedAt: now}, layout)
				id = b.ID
				return err
			},
			func() error {
				_, err := tx.Hold("6280000000009", date, 1, layout, now, now.Add(time.Minute))
				return err
			},
			func() error { return tx.Release("6280000000009") },
			func() error { _, err := tx.ExpireHolds(now); return err },
			func() error { _, err := tx.CheckIn(id, now); return err },
			func() error { return tx.SetPriority(id, "lansia") },
			func() error { return tx.AskPriority(id, "hamil") },
			func() error { _, err := tx.Arrivals(date); return err },
			func() error {
				_, err := tx.RecordCall(bot.Call{Date: date, Number: 1, Counter: "2", At: now})
				return err
			},
			func() error { _, err := tx.Bookings(date); return err },
			func() error { _, err := tx.ActiveBookings(in.Phone, date); return err },
			func() error { _, err := tx.NameDates("BUDI", "2026-12-01"); return err },
			func() error { _, err := tx.Booking(id); return err },
			func() error { _, _, err := tx.NoShows(in.Phone, date); return err },
			func() error { return tx.JoinWaitlist(c, now) },
			func() error { _, err := tx.TakeWaitlist(1); return err },
			func() error { _, err := tx.IsStaffMember(in.Phone); return err },
			func() error { _, err := tx.StaffMembers(); return err },
			func() error {
				_, err := tx.AddStaff(bot.StaffMember{Phone: "6280000000002", AddedBy: "6280000000003", AddedAt: now})
				return err
			},
			func() error { _, err := tx.RemoveStaff("6280000000002"); return err },
			func() error { return tx.Audit(bot.AuditEntry{At: now, Staff: "6280000000003", Action: "next"}) },
			func() error { _, err := tx.StaffState("6280000000003"); return err },
			func() error { return tx.SaveStaffState(bot.StaffState{Phone: "6280000000003"}) },
			func() error { return tx.Call(id, "1", now) },
			func() error { _, err := tx.MarkNear(id, now); return err },
			func() error { _, err := tx.FindBookings("BUDI", "0001", 5); return err },
			func() error { return tx.SetStatus(id, bot.StatusCancelled, now) },
			func() error { return tx.NoteClosed(date, []int64{id}) },
			func() error { _, err := tx.RestoreBooking(id, now); return err },
			func() error { _, err := tx.TakeClosed(date); return err },
			func() error { return tx.MarkPaid(id, now) },
			func() error { return tx.MarkPaid(id, now) }, // the second keeps the first: another path
			func() error { return tx.MarkReady(id, now) },
			func() error { _, err := tx.Pickups(); return err },
			func() error { return tx.MarkPickupNotified(id, date, now) },
			func() error { return tx.MarkPickupReminded(id, now) },
			func() error { return tx.MarkCollected(id, now) },
			func() error { _, err := tx.ToRemind(date, bot.ReminderEvening); return err },
			func() error { _, err := tx.ToRemind(date, bot.ReminderMorning); return err },
			func() error { return tx.MarkReminded(id, bot.ReminderEvening, now) },
			func() error { return tx.MarkReminded(id, bot.ReminderMorning, now) },
			func() error { _, err := tx.ClaimJobRun("retention", "2026-12-01 01:30", now); return err },
			func() error { _, err := tx.LastJobRun("retention"); return err },
			func() error { _, err := tx.MarkNoShows(date, now); return err },
			func() error { return tx.SaveSetting("k", "v") },
			func() error { _, err := tx.Setting("k"); return err },
		}
		for _, step := range bot.EraseSteps {
			steps = append(steps, func() error {
				_, err := tx.EraseBatch(step, bot.Erasure{Date: date, Before: now, Forget: now, At: now}, 10)
				return err
			})
		}
		for _, s := range steps {
			if err := s(); err != nil && !errors.Is(err, bot.ErrNotFound) {
				return err
			}
		}
		return nil
	}))
	must(d.MarkSent(ctx, "OUT1", now))
	must(d.MarkFailed(ctx, "OUT1", errors.New("test"), false))
	_, err = d.Pending(ctx, 0, 10)
	must(err)
	_, _, err = d.SentText(ctx, "OUT1")
	must(err)
	_, err = d.Setting(ctx, "k")
	must(err)
	must(d.SetSetting(ctx, "k", "w"))
}
