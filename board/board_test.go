package board_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"law/board"
	"law/bot"
	"law/config"
	"law/store"
	"law/store/storetest"
)

const staffPhone = "628000000001"

// applicants are made-up people booked on the rig's day: their names and phone numbers must never
// reach the board.
var applicants = []struct{ name, phone string }{
	{"BUDI SANTOSO", "628000000101"},
	{"SITI AMINAH", "628000000102"},
	{"AGUS SALIM", "628000000103"},
}

// rig is a bot on a real database with the board in front of it, on Monday 7 December 2026.
type rig struct {
	t   *testing.T
	cfg *config.Config
	db  *store.DB
	bot *bot.Bot
	now time.Time
	seq int
	h   http.Handler
}

func newRig(t *testing.T, health func(context.Context) board.Health) *rig {
	t.Helper()
	cfg := config.Default()
	cfg.Staff.Admins = []string{staffPhone}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	db := storetest.Open(t)
	r := &rig{t: t, cfg: cfg, db: db, bot: bot.New(cfg, db, storetest.Quiet()),
		now: time.Date(2026, 12, 7, 7, 30, 0, 0, cfg.Location())}
	h, err := board.New(board.Options{Office: cfg.Office.Name, Title: "Antrian Paspor", Counters: []string{"1", "2", "3"},
		DailyQuota: cfg.Queue.DailyQuota, Location: cfg.Location(), Now: func() time.Time { return r.now },
		Source: db, Health: health, Log: storetest.Quiet()})
	if err != nil {
		t.Fatal(err)
	}
	r.h = h
	layout := bot.Split(cfg.Queue.DailyQuota, len(cfg.Windows()))
	storetest.Update(t, db, func(tx bot.Tx) error {
		for _, a := range applicants {
			if _, err := tx.Book(bot.Booking{Date: "2026-12-07", Window: 1, Name: a.name, Type: "EP10", Phone: a.phone,
				Chat: a.phone, Lang: bot.LangID, CreatedAt: r.now}, layout); err != nil {
				return err
			}
		}
		return nil
	})
	return r
}

// send handles one message as the real pipeline would, and fails the test when it cannot.
func (r *rig) send(phone, text string) {
	r.t.Helper()
	r.seq++
	in := bot.Incoming{ID: fmt.Sprintf("B%d", r.seq), Phone: phone, Chat: phone, Text: text, At: r.now}
	ctx := context.Background()
	if _, err := r.db.SaveInbound(ctx, in); err != nil {
		r.t.Fatal(err)
	}
	if err := r.bot.Handle(ctx, in); err != nil {
		r.t.Fatalf("handle %q: %v", text, err)
	}
}

// leaks returns the applicants' names and phone numbers (or their distinctive parts) found in s.
func leaks(s string) []string {
	var found []string
	for _, a := range applicants {
		// Whole words: "AGUS" is a name, "Agustus" a month.
		for _, part := range append(strings.Fields(a.name), a.phone, a.phone[len(a.phone)-4:]) {
			if regexp.MustCompile(`(?i)\b` + regexp.QuoteMeta(part) + `\b`).MatchString(s) {
				found = append(found, part)
			}
		}
	}
	return found
}

type event struct{ name, id, data string }

// stream reads an event stream's events into a channel, until the body ends.
func stream(t *testing.T, resp *http.Response) <-chan event {
	t.Helper()
	ch := make(chan event, 64)
	go func() {
		defer close(ch)
		sc := bufio.NewScanner(resp.Body)
		var e event
		for sc.Scan() {
			line := sc.Text()
			switch {
			case line == "":
				if e.name != "" || e.data != "" {
					ch <- e
				}
				e = event{}
			case strings.HasPrefix(line, "event: "):
				e.name = line[len("event: "):]
			case strings.HasPrefix(line, "id: "):
				e.id = line[len("id: "):]
			case strings.HasPrefix(line, "data: "):
				e.data = line[len("data: "):]
			}
		}
	}()
	return ch
}

// next returns the next event, failing the test when none comes within a generous bound (a hang,
// not a slowness: the bound is not what the test checks).
func next(t *testing.T, ch <-chan event) event {
	t.Helper()
	select {
	case e, ok := <-ch:
		if !ok {
			t.Fatal("event stream ended")
		}
		return e
	case <-time.After(10 * time.Second):
		t.Fatal("no event within 10 s")
	}
	return event{}
}

func connect(t *testing.T, srv *httptest.Server, lastID string) (*http.Response, <-chan event) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, err := http.NewRequestWithContext(ctx, "GET", srv.URL+"/events", nil)
	if err != nil {
		t.Fatal(err)
	}
	if lastID != "" {
		req.Header.Set("Last-Event-ID", lastID)
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	if ct := resp.Header.Get("Content-Type"); resp.StatusCode != 200 || ct != "text/event-stream" {
		t.Fatalf("/events: %d %s", resp.StatusCode, ct)
	}
	return resp, stream(t, resp)
}

type state struct {
	Serving []struct{ Counter, Number string } `json:"serving"`
	Recent  []struct {
		Number, Counter string
		Recall          bool
	} `json:"recent"`
	SeatsLeft int `json:"seats_left"`
	Waiting   int `json:"waiting"`
	CheckedIn int `json:"checked_in"`
}

func decodeState(t *testing.T, e event) state {
	t.Helper()
	if e.name != "state" {
		t.Fatalf("event %q, want state: %s", e.name, e.data)
	}
	var s state
	if err := json.Unmarshal([]byte(e.data), &s); err != nil {
		t.Fatal(err)
	}
	return s
}

// TestEvents follows the stream through a check-in, two calls and a recall, and a reconnection
// that resumes from Last-Event-ID; no name or phone number ever appears in it.
func TestEvents(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil)
	srv := httptest.NewServer(r.h)
	t.Cleanup(srv.Close)
	_, events := connect(t, srv, "")
	var all []string
	s := decodeState(t, next(t, events))
	if len(s.Recent) != 0 || s.SeatsLeft != 47 || s.Waiting != 3 || len(s.Serving) != 3 {
		t.Errorf("first state: %+v", s)
	}

	r.send(applicants[1].phone, "sudah sampai")
	e := next(t, events)
	all = append(all, e.data)
	if s := decodeState(t, e); s.CheckedIn != 1 {
		t.Errorf("after a check-in: %+v", s)
	}

	r.send(staffPhone, "/next 2") // the checked-in 002 goes first
	call := next(t, events)
	all = append(all, call.data)
	if call.name != "call" || call.id != "1" || call.data != `{"number":"002","counter":"2","recall":false,"at":"2026-12-07T07:30:00+07:00"}` {
		t.Errorf("call event: %+v", call)
	}
	e = next(t, events)
	all = append(all, e.data)
	if s := decodeState(t, e); s.Serving[1].Number != "002" || s.CheckedIn != 0 || s.Waiting != 2 || len(s.Recent) != 1 {
		t.Errorf("state after the call: %+v", s)
	}

	r.send(staffPhone, "/next 1")
	r.send(staffPhone, "/recall")
	// Whether the two commits come as one signal or two, the stream holds both calls, in order.
	var calls []event
	for len(calls) < 2 {
		e := next(t, events)
		all = append(all, e.data)
		if e.name == "call" {
			calls = append(calls, e)
		}
	}
	if calls[0].id != "2" || calls[1].id != "3" || !strings.Contains(calls[1].data, `"recall":true`) {
		t.Errorf("calls: %+v", calls)
	}

	// A board that lost its connection after the first call gets the two it missed, then the state.
	_, again := connect(t, srv, "1")
	for _, want := range []string{"2", "3"} {
		if e := next(t, again); e.name != "call" || e.id != want {
			t.Errorf("resumed stream: %+v, want call %s", e, want)
		}
	}
	if s := decodeState(t, next(t, again)); len(s.Recent) != 3 || s.Serving[0].Number != "001" {
		t.Errorf("resumed state: %+v", s)
	}
	if l := leaks(strings.Join(all, "\n")); len(l) > 0 {
		t.Errorf("the event stream shows %v", l)
	}
}

// TestPage checks that the page is self-contained (nothing loaded from elsewhere) and names no
// applicant.
func TestPage(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil)
	r.send(staffPhone, "/next 1")
	rec := httptest.NewRecorder()
	r.h.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	page := rec.Body.String()
	if rec.Code != 200 || !strings.Contains(page, "Kantor Imigrasi") || !strings.Contains(page, `data-counter="3"`) {
		t.Fatalf("page: %d\n%.300s", rec.Code, page)
	}
	for _, bad := range []string{"http://", "https://", "//cdn", "<link", "src="} {
		if strings.Contains(page, bad) {
			t.Errorf("the page loads something from elsewhere: %q", bad)
		}
	}
	if l := leaks(page); len(l) > 0 {
		t.Errorf("the page shows %v", l)
	}
	rec = httptest.NewRecorder()
	r.h.ServeHTTP(rec, httptest.NewRequest("GET", "/nothing", nil))
	if rec.Code != http.StatusNotFound {
		t.Errorf("/nothing: %d", rec.Code)
	}
}

// TestHealthz checks /healthz while all is well, without WhatsApp, and with the database closed.
func TestHealthz(t *testing.T) {
	t.Parallel()
	connected := true
	var db *store.DB
	r := newRig(t, func(ctx context.Context) board.Health {
		h := board.Health{WhatsApp: connected, Database: true}
		if err := db.Writable(ctx); err != nil {
			h.Database, h.Detail = false, err.Error()
		}
		return h
	})
	db = r.db
	get := func() (int, string) {
		rec := httptest.NewRecorder()
		r.h.ServeHTTP(rec, httptest.NewRequest("GET", "/healthz", nil))
		if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
			t.Errorf("Content-Type %q", ct)
		}
		return rec.Code, rec.Body.String()
	}
	code, body := get()
	if code != 200 || body != `{"status":"ok","whatsapp":"connected","database":"writable"}`+"\n" {
		t.Errorf("healthy: %d %s", code, body)
	}
	connected = false
	code, body = get()
	if code != 503 || body != `{"status":"unavailable","whatsapp":"disconnected","database":"writable"}`+"\n" {
		t.Errorf("without WhatsApp: %d %s", code, body)
	}
	connected = true
	db.Close()
	code, body = get()
	if code != 503 || !strings.HasPrefix(body, `{"status":"unavailable","whatsapp":"connected","database":"unwritable","detail":"database not writable: `) ||
		strings.Count(body, "\n") != 1 {
		t.Errorf("database closed: %d %s", code, body)
	}
}
