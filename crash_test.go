package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"law/config"
	"law/sim"
	"law/store"
)

// The crash test (issue 6): the real `law simulate` binary gets a burst of applicants, is killed
// with SIGKILL part-way, and is started again on the same database with the same input, as
// WhatsApp redelivers whatever was not acknowledged. Afterwards the database and everything the
// runs printed must show that nothing was lost and nothing done twice.

const (
	crashApplicants = 300
	crashNow        = "2026-12-01T07:00:00+07:00"
	// crashSteps is each applicant's whole booking flow, the short way: menu choice, name, passport
	// type (answered with the earliest seat, held), and "ya" (answered with the confirmation).
	crashSteps = 4
)

func crashPhone(i int) string { return fmt.Sprintf("62800000%04d", i) }

// crashName spells i in letters: names may not hold digits.
func crashName(i int) string {
	var b strings.Builder
	b.WriteString("Pemohon ")
	for _, d := range fmt.Sprintf("%04d", i) {
		b.WriteRune('A' + d - '0')
	}
	return b.String()
}

// crashInput is the simulator's input: every applicant's whole flow, one applicant after the
// other, each message with a stable id so that a second run on the same input is a redelivery.
func crashInput() (input string, ids map[string]string) {
	ids = make(map[string]string) // message id → phone
	var b strings.Builder
	for i := range crashApplicants {
		phone := crashPhone(i)
		for j, text := range [crashSteps]string{"1", crashName(i), "1", "ya"} {
			id := fmt.Sprintf("CRASH-%04d-%d", i, j)
			ids[id] = phone
			line, _ := json.Marshal(map[string]string{"from": phone, "text": text, "id": id})
			b.Write(line)
			b.WriteByte('\n')
		}
	}
	return b.String(), ids
}

// buildLaw builds the law binary, without the race detector whatever the test runs under.
func buildLaw(t *testing.T) string {
	t.Helper()
	gobin, err := exec.LookPath("go")
	if err != nil {
		gobin = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	bin := filepath.Join(t.TempDir(), "law")
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	cmd := exec.Command(gobin, "build", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// simRun is what one run of `law simulate` printed.
type simRun struct {
	lines  []sim.Output
	killed bool   // ended by our SIGKILL
	torn   bool   // the kill cut a line short; it was never recorded as sent
	stderr string // warnings and errors
}

// crashKill is where a run is killed.
type crashKill struct {
	after int // lines of output read before the kill; 0: no kill, the run must complete
	// stall stops reading the output before the kill, long enough for the pipe to fill up: the
	// sender is then blocked inside a send, with a reply printed in part or not at all.
	stall bool
}

// simulateBinary runs `law simulate` in dir on the database db with input from the file in, and
// kills it (SIGKILL) as kill says. It still reads what a killed process printed before it died.
func simulateBinary(t *testing.T, bin, dir, db, in string, kill crashKill) simRun {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	stdin, err := os.Open(in)
	if err != nil {
		t.Fatal(err)
	}
	defer stdin.Close()
	// The working directory holds no config.toml: the built-in defaults, 50 seats a day.
	cmd := exec.CommandContext(ctx, bin, "simulate", "-now", crashNow, "-db", db)
	cmd.Dir = dir
	cmd.Stdin = stdin
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var r simRun
	var killErr error
	killAfter := kill.after
	// A small buffer, so that the kill lands soon after the process printed line kill.after.
	rd := bufio.NewReader(stdout)
	for {
		line, err := rd.ReadBytes('\n')
		if len(line) > 0 && line[len(line)-1] != '\n' {
			if killAfter == 0 || len(r.lines) < killAfter {
				t.Errorf("output ends in a torn line without a kill: %q", line)
			}
			r.torn = true // cut by the kill: Send had not returned, so it was not marked sent
		} else if len(line) > 0 {
			var o sim.Output
			if err := json.Unmarshal(line, &o); err != nil {
				t.Fatalf("output line %q: %v", line, err)
			}
			r.lines = append(r.lines, o)
			if killAfter > 0 && len(r.lines) == killAfter {
				if kill.stall {
					time.Sleep(500 * time.Millisecond)
				}
				killErr = cmd.Process.Kill() // SIGKILL
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("read output: %v", err)
		}
	}
	err = cmd.Wait()
	r.stderr = stderr.String()
	if ctx.Err() != nil {
		t.Fatalf("law simulate did not finish within its time; stderr:\n%s", r.stderr)
	}
	if killAfter == 0 {
		if err != nil {
			t.Fatalf("law simulate: %v; stderr:\n%s", err, r.stderr)
		}
		return r
	}
	if len(r.lines) < killAfter || killErr != nil || err == nil {
		t.Fatalf("law simulate ended on its own after %d lines (kill at %d: %v, exit: %v): move the kill point",
			len(r.lines), killAfter, killErr, err)
	}
	if cmd.ProcessState.ExitCode() != -1 {
		t.Fatalf("law simulate exited with %v, not by the kill; stderr:\n%s", err, r.stderr)
	}
	r.killed = true
	return r
}

// TestCrashAndRedelivery kills `law simulate` with SIGKILL at a few points of a burst of
// applicants, restarts it on the same database with the same input until a run completes, and
// checks that no day is over quota, no number given twice, every message handled exactly once and
// answered, and every booking confirmed to its applicant.
func TestCrashAndRedelivery(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds and runs the law binary several times")
	}
	bin := buildLaw(t)
	input, ids := crashInput()
	in := filepath.Join(t.TempDir(), "input.jsonl")
	if err := os.WriteFile(in, []byte(input), 0o644); err != nil {
		t.Fatal(err)
	}
	const total = crashApplicants * crashSteps // replies of a run without crash
	for _, tc := range []struct {
		name  string
		kills []crashKill // output lines of each run before its kill
	}{
		{"first_reply", []crashKill{{after: 1}}},
		{"early", []crashKill{{after: total / 20}}},
		{"middle", []crashKill{{after: total / 2}}},
		// Not later: the rest of the output must not fit in the pipe, or the run may end first.
		{"late", []crashKill{{after: total * 3 / 4}}},
		{"inside_send", []crashKill{{after: total / 3, stall: true}}},
		{"twice", []crashKill{{after: total / 4}, {after: total / 4, stall: true}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			db := filepath.Join(dir, "law.db")
			var runs []simRun
			for _, k := range tc.kills {
				runs = append(runs, simulateBinary(t, bin, dir, db, in, k))
			}
			runs = append(runs, simulateBinary(t, bin, dir, db, in, crashKill{}))
			for i, r := range runs {
				if r.stderr != "" {
					// Not a failure by itself: what matters is checked below.
					t.Logf("run %d wrote to stderr:\n%s", i+1, r.stderr)
				}
			}
			checkCrashOutcome(t, db, ids, runs)
		})
	}
}

// checkCrashOutcome checks the database and the runs' output after the last, complete run.
func checkCrashOutcome(t *testing.T, path string, ids map[string]string, runs []simRun) {
	cfg := config.Default()
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	// Stop after a screenful: one defect tends to break the same check for every applicant.
	failures := 0
	errorf := func(format string, args ...any) {
		t.Helper()
		if failures++; failures > 20 {
			t.Fatalf("more failures left out")
		}
		t.Errorf(format, args...)
	}
	ctx := context.Background()
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	q := db.SQL()

	var ok string
	if err := q.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&ok); err != nil || ok != "ok" {
		t.Fatalf("integrity_check: %q, %v", ok, err)
	}

	// Every message of the input is in the inbox exactly once (the id is its key), and handled.
	inPerPhone := map[string]int{}
	seen := map[string]bool{}
	queryRows(t, q, `SELECT id, phone, handled_at IS NOT NULL FROM inbox`, func(scan func(...any)) {
		var id, phone string
		var handled bool
		scan(&id, &phone, &handled)
		if ids[id] != phone {
			errorf("inbox holds %s from %s, which the input does not", id, phone)
		}
		if !handled {
			errorf("message %s from %s left unhandled", id, phone)
		}
		seen[id] = true
		inPerPhone[phone]++
	})
	for id := range ids {
		if !seen[id] {
			errorf("message %s is missing from the inbox", id)
		}
	}

	// Every reply went out, to the chat of its applicant, and none is the apology for a failed
	// handling (a database error during the burst).
	outbox := map[string][]string{} // phone → reply texts in queue order
	queryRows(t, q, `SELECT phone, chat, text, sent_at IS NOT NULL, failed FROM outbox ORDER BY seq`,
		func(scan func(...any)) {
			var phone, chat, text string
			var sent, failed bool
			scan(&phone, &chat, &text, &sent, &failed)
			if !sent || failed || chat != phone {
				errorf("reply to %s (chat %s) sent %v, failed %v", phone, chat, sent, failed)
			}
			if strings.HasPrefix(text, "Maaf, sedang ada gangguan.") {
				errorf("%s was answered with the apology for a failed handling", phone)
			}
			outbox[phone] = append(outbox[phone], text)
		})
	// Each message was handled exactly once: each handling is one turn of replies, queued in its
	// transaction, so a phone's replies make as many turns as it sent messages. More turns: a
	// message handled twice; fewer: a message handled without an answer.
	for i := range crashApplicants {
		phone := crashPhone(i)
		if n, m := inPerPhone[phone], crashTurns(outbox[phone]); n != crashSteps || m != crashSteps {
			errorf("%s: %d messages in the inbox, %d turns of replies; want %d of each:\n%q", phone, n, m,
				crashSteps, outbox[phone])
		}
	}
	if len(outbox) != crashApplicants {
		errorf("replies queued to %d phones, want %d", len(outbox), crashApplicants)
	}

	// What the runs printed is the outbox, per recipient in order, each reply at least once. A run
	// after a kill may first print again the last replies to a recipient that the killed run
	// printed but had not yet recorded as sent (WhatsApp drops the repeat: same message id).
	printed := map[string]int{} // phone → outbox replies printed so far
	repeats := 0
	for ri, r := range runs {
		perPhone := map[string][]string{}
		for _, o := range r.lines {
			perPhone[o.To] = append(perPhone[o.To], o.Text)
		}
		for phone, got := range perPhone {
			want, j := outbox[phone], printed[phone]
			maxRepeat := 0
			if ri > 0 && runs[ri-1].killed {
				maxRepeat = min(j, len(got))
			}
			m := -1
			for k := 0; k <= maxRepeat; k++ {
				if n := len(got) - k; j+n <= len(want) &&
					slices.Equal(got[:k], want[j-k:j]) && slices.Equal(got[k:], want[j:j+n]) {
					m = k
					break
				}
			}
			if m < 0 {
				errorf("run %d printed to %s replies that do not follow its outbox (a reply lost, out of "+
					"order or unknown; %d printed before):\n%q\noutbox:\n%q", ri+1, phone, j, got, want)
				continue
			}
			repeats += m
			printed[phone] += len(got) - m
		}
	}
	for phone, want := range outbox {
		if printed[phone] != len(want) {
			errorf("%s: %d of %d replies printed", phone, printed[phone], len(want))
		}
	}

	// Bookings: none over a day's quota, no number twice, one per phone, each in its number's
	// window, and each confirmed in a printed reply to its applicant.
	days := map[string]int{}
	numbers := map[string]string{} // date/number → phone
	booked := map[string]string{}  // phone → date/number
	spans := cfg.Windows()
	perWindow := cfg.Queue.DailyQuota / len(spans)
	queryRows(t, q, `SELECT b.date, b.number, s.win, b.phone, b.name, b.status
		FROM bookings b JOIN seats s USING (date, number)`, func(scan func(...any)) {
		var date, phone, name, status string
		var number, win int
		scan(&date, &number, &win, &phone, &name, &status)
		key := fmt.Sprintf("%s/%03d", date, number)
		if status != "booked" {
			errorf("booking %s of %s is %s", key, phone, status)
		}
		days[date]++
		if other, dup := numbers[key]; dup {
			errorf("number %s given to %s and %s", key, other, phone)
		}
		numbers[key] = phone
		if other, dup := booked[phone]; dup {
			errorf("%s holds %s and %s", phone, other, key)
		}
		booked[phone] = key
		if number < 1 || number > cfg.Queue.DailyQuota || win != (number-1)/perWindow+1 {
			errorf("number %s in window %d", key, win)
		}
		confirmation := []string{
			fmt.Sprintf("Nomor antrian Anda: %03d*", number),
			"Nama: " + name,
			"Tanggal: " + dateWordsID(t, date),
			"Jam datang: " + spans[win-1].String() + " WIB",
		}
		if !printedTo(runs, phone, confirmation) {
			errorf("%s booked %s but no printed reply confirms it with %q", phone, key, confirmation)
		}
	})
	for date, n := range days {
		if n > cfg.Queue.DailyQuota {
			errorf("%s holds %d bookings, quota %d", date, n, cfg.Queue.DailyQuota)
		}
	}
	// No confirmation for a booking the database does not hold (a reply from a rolled-back
	// transaction).
	for _, r := range runs {
		for _, o := range r.lines {
			if _, rest, ok := strings.Cut(o.Text, "Nomor antrian Anda: "); ok {
				if key := booked[o.To]; len(rest) < 3 || !strings.HasSuffix(key, "/"+rest[:3]) {
					errorf("%s was told number %.3s, but holds %q", o.To, rest, key)
				}
			}
		}
	}
	// The burst must at least fill the first day, or the checks above prove little. (How many more book depends on the races between
	// applicants: a window taken between the list and the answer turns "ya" into a wrong answer.)
	if days["2026-12-02"] != cfg.Queue.DailyQuota {
		errorf("bookings per day %v: the burst booked %d of %d applicants", days, len(booked), crashApplicants)
	}
	torn := 0
	for _, r := range runs {
		if r.torn {
			torn++
		}
	}
	t.Logf("%d runs, %d lines printed, %d printed again after a kill, %d cut short by one; "+
		"%d applicants booked over %d days", len(runs), linesIn(runs), repeats, torn, len(booked), len(days))
}

// crashTurns counts the turns in one applicant's replies. A turn is one reply, except in the one
// path of this flow where a handling queues two: a wrong answer to the window question when the
// date has meanwhile filled up gets "reply with 1–N" alone, then "that date just filled up" with
// the dates.
func crashTurns(replies []string) int {
	n := len(replies)
	for i := 1; i < len(replies); i++ {
		prev := replies[i-1]
		if strings.HasPrefix(replies[i], "Maaf, tanggal ") &&
			strings.HasPrefix(prev, "Balas dengan salah satu angka 1–") && !strings.Contains(prev, "\n") {
			n--
		}
	}
	return n
}

func printedTo(runs []simRun, phone string, parts []string) bool {
	for _, r := range runs {
		for _, o := range r.lines {
			if o.To != phone {
				continue
			}
			all := true
			for _, p := range parts {
				all = all && strings.Contains(o.Text, p)
			}
			if all {
				return true
			}
		}
	}
	return false
}

func linesIn(runs []simRun) int {
	n := 0
	for _, r := range runs {
		n += len(r.lines)
	}
	return n
}

// dateWordsID writes a date as the replies do: "Rabu, 2 Desember 2026".
func dateWordsID(t *testing.T, date string) string {
	t.Helper()
	d, err := time.Parse("2006-01-02", date)
	if err != nil {
		t.Fatalf("booking date %q: %v", date, err)
	}
	days := [...]string{"Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu"}
	months := [...]string{"Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
		"September", "Oktober", "November", "Desember"}
	return fmt.Sprintf("%s, %d %s %d", days[d.Weekday()], d.Day(), months[d.Month()-1], d.Year())
}

// queryRows runs query and calls row for each result row with a scan function that fails the
// test on a scan error.
func queryRows(t *testing.T, q *sql.DB, query string, row func(scan func(...any))) {
	t.Helper()
	rows, err := q.Query(query)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	defer rows.Close()
	for rows.Next() {
		row(func(dest ...any) {
			if err := rows.Scan(dest...); err != nil {
				t.Fatalf("%s: %v", query, err)
			}
		})
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}
