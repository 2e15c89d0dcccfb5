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
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"law/sim"
	"law/store"
	"law/store/storetest"
)

// The operator's world around the process (issue 12), through the built binary: a wrong clock, a
// backup taken during a burst, starts on the wrong files, and SIGTERM on the simulator.

// lawCmd is one run of the binary: its exit status and what it wrote.
type lawCmd struct {
	code           int
	stdout, stderr string
}

// runLaw runs the binary in dir with args and stdin, and waits for it (two minutes at most).
func runLaw(t *testing.T, bin, dir, stdin string, args ...string) lawCmd {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = dir
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("law %s did not finish; stderr:\n%s", strings.Join(args, " "), errb.String())
	}
	if err != nil && cmd.ProcessState == nil {
		t.Fatalf("law %s: %v", strings.Join(args, " "), err)
	}
	return lawCmd{code: cmd.ProcessState.ExitCode(), stdout: out.String(), stderr: errb.String()}
}

// bookingInput is n applicants' whole booking flow.
func bookingInput(n int) string {
	var b strings.Builder
	for i := range n {
		for _, text := range []string{"1", crashName(i), "1", "1", "1", "ya"} {
			line, _ := json.Marshal(map[string]string{"from": crashPhone(i), "text": text})
			b.Write(line)
			b.WriteByte('\n')
		}
	}
	return b.String()
}

func queryInt(t *testing.T, db *sql.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := db.QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// readOnlyDB opens a database file for checks without changing it.
func readOnlyDB(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestOperatorMistakes(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the law binary")
	}
	bin := buildLaw(t)
	t.Run("clock_jump_ahead", func(t *testing.T) { testClockJumpAhead(t, bin) })
	t.Run("backup_during_burst", func(t *testing.T) { testBackupDuringBurst(t, bin) })
	t.Run("refused_starts", func(t *testing.T) { testRefusedStarts(t, bin) })
	t.Run("simulate_sigterm", func(t *testing.T) { testSimulateSIGTERM(t, bin) })
}

// Book in December, then start with the clock on 1 April: nothing is marked no-show or erased,
// also at a second start on the same wrong clock, and the warning says so; -clock-ok then runs
// the roll-over and retention, once.
func testClockJumpAhead(t *testing.T, bin string) {
	dir := t.TempDir()
	path := filepath.Join(dir, "law.db")
	r := runLaw(t, bin, dir, bookingInput(3), "simulate", "-db", path, "-now", "2026-12-01T07:00:00+07:00")
	if r.code != 0 || strings.Count(r.stdout, "Nomor antrian Anda") != 3 {
		t.Fatalf("booking run: exit %d, stdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	db := readOnlyDB(t, path)
	intact := func(when string) {
		t.Helper()
		if n := queryInt(t, db, `SELECT count(*) FROM bookings WHERE status = 'booked' AND name <> '' AND phone <> ''`); n != 3 {
			t.Errorf("%s: %d of 3 bookings still booked with name and phone", when, n)
		}
		if n := queryInt(t, db, `SELECT count(*) FROM job_runs WHERE job IN ('rollover', 'retention') AND due >= '2027'`); n != 0 {
			t.Errorf("%s: %d roll-over or retention runs recorded for 2027", when, n)
		}
	}
	for _, start := range []string{"first start", "second start on the same wrong clock"} {
		r = runLaw(t, bin, dir, "", "simulate", "-db", path, "-now", "2027-04-01T07:00:00+07:00")
		if r.code != 0 || !strings.Contains(r.stderr, "clock doubted") || !strings.Contains(r.stderr, "121 days after") ||
			!strings.Contains(r.stderr, "-clock-ok") {
			t.Errorf("%s with the clock 4 months ahead: exit %d, stderr:\n%s", start, r.code, r.stderr)
		}
		intact(start)
	}

	for i := range 2 {
		r = runLaw(t, bin, dir, "", "simulate", "-db", path, "-now", "2027-04-01T07:00:00+07:00", "-clock-ok")
		if r.code != 0 || i == 0 && !strings.Contains(r.stderr, "confirmed by the operator") {
			t.Fatalf("-clock-ok run %d: exit %d, stderr:\n%s", i+1, r.code, r.stderr)
		}
		if n := queryInt(t, db, `SELECT count(*) FROM bookings WHERE status = 'no_show' AND name = '' AND phone = ''`); n != 3 {
			t.Errorf("after -clock-ok run %d: %d of 3 bookings closed and erased", i+1, n)
		}
		for _, job := range []string{"rollover", "retention"} {
			if n := queryInt(t, db, `SELECT count(*) FROM job_runs WHERE job = ? AND due >= '2027'`, job); n != 1 {
				t.Errorf("after -clock-ok run %d: %s ran %d times, want once", i+1, job, n)
			}
		}
	}
	// The confirmed clock is the one the next start compares with: no warning now.
	r = runLaw(t, bin, dir, "", "simulate", "-db", path, "-now", "2027-04-01T09:00:00+07:00")
	if r.code != 0 || strings.Contains(r.stderr, "clock") {
		t.Errorf("start after the confirmation: exit %d, stderr:\n%s", r.code, r.stderr)
	}
}

var confirmation = regexp.MustCompile(`Nomor antrian Anda: (\d{3})`)

// A backup taken while 300 applicants book restores to a sound database that holds every booking
// confirmed before the backup started.
func testBackupDuringBurst(t *testing.T, bin string) {
	dir := t.TempDir()
	path := filepath.Join(dir, "law.db")
	input, _ := crashInput()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "simulate", "-db", path, "-now", crashNow)
	cmd.Dir = dir
	cmd.Stdin = strings.NewReader(input)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	confirmed := map[string]string{} // phone → number, confirmed before the backup started
	backupFile := filepath.Join(t.TempDir(), "backup.db")
	var backup lawCmd
	took := false
	sc := bufio.NewScanner(stdout)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var o sim.Output
		if err := json.Unmarshal(sc.Bytes(), &o); err != nil {
			t.Fatalf("output %q: %v", sc.Text(), err)
		}
		if m := confirmation.FindStringSubmatch(o.Text); m != nil && !took {
			confirmed[o.To] = m[1]
			if len(confirmed) == crashApplicants/3 {
				// The simulator goes on handling messages while the backup runs; its output waits
				// in the pipe meanwhile.
				backup = runLaw(t, bin, dir, "", "backup", "-db", path, backupFile)
				took = true
			}
		}
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("law simulate: %v\n%s", err, stderr.String())
	}
	if !took || backup.code != 0 {
		t.Fatalf("backup during the burst: taken %v, exit %d, stderr:\n%s", took, backup.code, backup.stderr)
	}
	// Restore as the README says: copy the backup over law.db, with no -wal or -shm beside it.
	restored := filepath.Join(t.TempDir(), "law.db")
	data, err := os.ReadFile(backupFile)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(restored, data, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := store.CheckIntegrity(context.Background(), restored); err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(context.Background(), restored)
	if err != nil {
		t.Fatalf("opening the restored backup: %v", err)
	}
	defer db.Close()
	missing := 0
	for phone, number := range confirmed {
		var n int
		if err := db.SQL().QueryRow(`SELECT count(*) FROM bookings WHERE phone = ? AND printf('%03d', number) = ?
			AND status = 'booked'`, phone, number).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 1 {
			missing++
		}
	}
	if missing > 0 {
		t.Errorf("%d of %d bookings confirmed before the backup are not in it", missing, len(confirmed))
	}
	total := queryInt(t, readOnlyDB(t, path), `SELECT count(*) FROM bookings WHERE status = 'booked'`)
	t.Logf("backup holds the %d bookings confirmed before it; the burst ended with %d", len(confirmed), total)
}

// writeConfig writes a config.toml into dir with the given [database] keys.
func writeConfig(t *testing.T, dir, database string) string {
	t.Helper()
	p := filepath.Join(dir, "config.toml")
	if err := os.WriteFile(p, []byte("[database]\n"+database), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// Each start of the wrong kind stops at once, with exit status 1 and a message that says why.
func testRefusedStarts(t *testing.T, bin string) {
	dir := t.TempDir()
	other := filepath.Join(dir, "other.db")
	storetest.PlainSQLite(t, other, "CREATE TABLE notes (text TEXT)")
	session := filepath.Join(dir, "session.db")
	storetest.PlainSQLite(t, session, "CREATE TABLE whatsmeow_device (jid TEXT)", "CREATE TABLE whatsmeow_version (version INTEGER)")
	lawDir := t.TempDir()
	lawDB := filepath.Join(lawDir, "law.db")
	if r := runLaw(t, bin, lawDir, "", "simulate", "-db", lawDB); r.code != 0 {
		t.Fatalf("making a LAW database: %s", r.stderr)
	}
	cases := []struct {
		name string
		args []string
		cfg  string // [database] keys of a config.toml, when any
		want string
	}{
		{"-db names the session file beside it", []string{"run", "-db", filepath.Join(dir, "whatsapp.db")}, "",
			"must be two different files"},
		{"export on another program's database", []string{"export", "-db", other, "-date", "2026-12-01"}, "",
			"other.db is not a LAW database (it holds the tables notes)"},
		{"the session file as the queue", []string{"run", "-db", session}, "",
			"session.db is not a LAW database: it is a WhatsApp session file"},
		{"the queue as the session", []string{"run"},
			fmt.Sprintf("path = %q\nsession_path = %q\n", filepath.Join(dir, "new.db"), lawDB),
			"this is LAW's own database (the queue), not a WhatsApp session file"},
	}
	for _, c := range cases {
		args := c.args
		if c.cfg != "" {
			args = append(args, "-config", writeConfig(t, t.TempDir(), c.cfg))
		}
		r := runLaw(t, bin, dir, "", args...)
		if r.code != 1 || !strings.Contains(r.stderr, c.want) {
			t.Errorf("%s: exit %d, stderr:\n%s\nwant exit 1 and %q", c.name, r.code, r.stderr, c.want)
		}
	}
	// Nothing was added to the files that were refused.
	for _, p := range []string{other, session} {
		if n := queryInt(t, readOnlyDB(t, p), `SELECT count(*) FROM sqlite_schema WHERE name IN ('bookings', 'seats')`); n != 0 {
			t.Errorf("%s got LAW's tables", p)
		}
	}

	t.Run("unwritable database", func(t *testing.T) { testUnwritable(t, bin, lawDB) })
	t.Run("second copy on the same session", func(t *testing.T) { testSecondCopy(t, bin) })
}

// A database LAW cannot write stops the start with the reason. Root writes any file, so as root
// the binary runs as nobody.
func testUnwritable(t *testing.T, bin, lawDB string) {
	dir := t.TempDir()
	path := filepath.Join(dir, "law.db")
	data, err := os.ReadFile(lawDB)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o444); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "run", "-db", path)
	cmd.Dir = dir
	if os.Geteuid() == 0 {
		// nobody must reach the binary and the folder; the folder stays writable (law.lock, -shm),
		// the file does not.
		for _, d := range []string{filepath.Dir(bin), filepath.Dir(filepath.Dir(bin)), filepath.Dir(dir)} {
			os.Chmod(d, 0o755)
		}
		os.Chmod(dir, 0o777)
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	done := make(chan error, 1)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(time.Minute):
		cmd.Process.Kill()
		<-done
		t.Fatalf("law run on a read-only database is still running; stderr:\n%s", stderr.String())
	}
	if code := cmd.ProcessState.ExitCode(); code != 1 || !strings.Contains(stderr.String(), "cannot be written") ||
		!strings.Contains(stderr.String(), "readonly") {
		t.Errorf("law run on a read-only database: exit %d, stderr:\n%s", code, stderr.String())
	}
}

// Two copies with their databases in different folders and one session file: the second stops.
func testSecondCopy(t *testing.T, bin string) {
	sessionDir := t.TempDir()
	cfg := func(name string) string {
		d := t.TempDir()
		return writeConfig(t, d, fmt.Sprintf("path = %q\nsession_path = %q\n", filepath.Join(d, name),
			filepath.Join(sessionDir, "whatsapp.db")))
	}
	first := exec.Command(bin, "run", "-config", cfg("a.db"))
	first.Dir = sessionDir
	pr, pw := io.Pipe()
	first.Stderr, first.Stdout = pw, io.Discard
	if err := first.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		first.Process.Signal(syscall.SIGTERM)
		first.Wait()
		pw.Close()
	}()
	started := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		sent := false
		for sc.Scan() {
			if !sent && strings.Contains(sc.Text(), "starting") {
				started <- true
				sent = true
			}
		}
		if !sent {
			started <- false
		}
	}()
	select {
	case ok := <-started:
		if !ok {
			t.Fatal("the first copy ended before it started")
		}
	case <-time.After(time.Minute):
		t.Fatal("the first copy did not start")
	}
	r := runLaw(t, bin, sessionDir, "", "run", "-config", cfg("b.db"))
	if r.code != 1 || !strings.Contains(r.stderr, "another copy of LAW is running") {
		t.Errorf("second copy on the same session: exit %d, stderr:\n%s", r.code, r.stderr)
	}
}

// SIGTERM on `law simulate` ends the input: what was read is answered, and the exit status is 0.
func testSimulateSIGTERM(t *testing.T, bin string) {
	dir := t.TempDir()
	cmd := exec.Command(bin, "simulate", "-db", filepath.Join(dir, "law.db"), "-now", crashNow)
	cmd.Dir = dir
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer stdin.Close()
	const n = 20
	for i := range n {
		fmt.Fprintf(stdin, `{"from":%q,"text":"halo"}`+"\n", crashPhone(i))
	}
	sc := bufio.NewScanner(stdout)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	lines := 0
	for lines < n && sc.Scan() {
		lines++
	}
	// The input stays open: only the signal ends it.
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	for sc.Scan() {
		lines++
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err = <-done:
	case <-time.After(time.Minute):
		cmd.Process.Kill()
		t.Fatal("law simulate did not end after SIGTERM")
	}
	if err != nil || strings.Contains(stderr.String(), "context canceled") {
		t.Errorf("law simulate after SIGTERM: %v, stderr:\n%s", err, stderr.String())
	}
	if lines != n {
		t.Errorf("%d replies to %d messages", lines, n)
	}
}
