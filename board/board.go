// Package board is the now-serving board of the waiting room: one web page, for a TV or a spare
// monitor, that shows the queue numbers being served and at which counter, the last calls, the
// time and today's seats left, and calls each new number with a chime and the browser's voice.
// The same listener answers /healthz for the operator's monitoring.
//
// The page shows queue numbers and counters only: the board's source has no names and no phone
// numbers to give, so neither the page nor its events can leak them.
//
// # Routes
//
//	GET /         the page (HTML with its CSS and JavaScript, embedded in the binary)
//	GET /events   the event stream (Server-Sent Events), below
//	GET /healthz  200 {"status":"ok","whatsapp":"connected","database":"writable"}, or 503 with
//	              "status":"unavailable" and the failing part ("whatsapp":"disconnected" or
//	              "database":"unwritable", and a "detail")
//
// # The event stream
//
// This format is a contract: other displays may read it. The stream starts with "retry: 2000"
// (reconnect after two seconds) and a state event. Two kinds of events follow:
//
//	event: call
//	id: 42
//	data: {"number":"007","counter":"2","recall":false,"at":"2026-12-08T08:01:02+07:00"}
//
// one per /next or /recall, in order; id is the call's number in the database's log of calls, so
// a client that reconnects with Last-Event-ID (EventSource does it by itself) receives exactly the
// calls it missed, then a state event. And
//
//	event: state
//	data: {"office":"…","title":"…","date":"2026-12-08","now":"2026-12-08T08:01:02+07:00",
//	       "serving":[{"counter":"1","number":"005","at":"…"}, …],
//	       "recent":[{"number":"007","counter":"2","recall":false,"at":"…"}, …],
//	       "seats_left":12,"waiting":20,"checked_in":4,"closed":false}
//
// (one line in the stream), sent after every change (a call, a check-in, a priority) and at
// midnight. serving has one entry per counter, the configured counters first in their order,
// with number "" for a counter that has called nobody yet today; recent holds the latest calls,
// latest first. State events carry no id, so Last-Event-ID always names the last call received.
// A comment line (": ping") every 15 seconds keeps the connection alive through proxies.
package board

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"law/bot"
)

// Source is what the board reads: the store implements it.
type Source interface {
	// BoardView returns the date's latest calls (at most recent, latest first) and its counts.
	BoardView(ctx context.Context, date string, recent int) (bot.BoardView, error)
	// Subscribe returns a channel signalled after every change the board shows, and the function
	// that ends the subscription.
	Subscribe() (<-chan struct{}, func())
}

// Health is the state /healthz reports.
type Health struct {
	WhatsApp bool   // connected to WhatsApp (always true in the simulator)
	Database bool   // the database takes writes
	Detail   string // why not, when one of them is false
}

// Options are what a board is built from.
type Options struct {
	Office   string   // the office's name, from [office]
	Title    string   // the heading; empty: "Antrian Paspor"
	Counters []string // the counters shown even before their first call, in this order
	// DailyQuota is a day's seats when staff set none for it (queue.daily_quota).
	DailyQuota int
	Location   *time.Location   // the office's time zone
	Now        func() time.Time // the clock: the simulator's or the real one
	Source     Source
	Health     func(ctx context.Context) Health
	Log        *slog.Logger
}

// Recent is how many of the latest calls the board lists.
const Recent = 6

// keepAlive is how often an idle stream gets a comment line, so that proxies and the browser know
// it is alive, and how often the board checks that the day has not changed.
const keepAlive = 15 * time.Second

type board struct {
	o    Options
	page []byte
}

//go:embed page.html
var pageHTML string

var pageTmpl = template.Must(template.New("page").Parse(pageHTML))

// New returns the board's handler: the page at /, its events at /events and /healthz. It returns
// an error when the page cannot be rendered, which only a broken build can cause.
func New(o Options) (http.Handler, error) {
	if o.Title == "" {
		o.Title = "Antrian Paspor"
	}
	if o.Location == nil {
		o.Location = time.Local
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	counters := make([]string, len(o.Counters)) // the caller's slice (the configuration's) stays as it is
	for i, c := range o.Counters {
		counters[i] = strings.ToUpper(strings.TrimSpace(c))
	}
	o.Counters = counters
	var page bytes.Buffer
	err := pageTmpl.Execute(&page, struct {
		Office, Title string
		Counters      []string
	}{o.Office, o.Title, o.Counters})
	if err != nil {
		return nil, fmt.Errorf("render the board's page: %w", err)
	}
	b := &board{o: o, page: page.Bytes()}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", b.servePage)
	mux.HandleFunc("GET /events", b.serveEvents)
	mux.HandleFunc("GET /healthz", b.serveHealth)
	return mux, nil
}

func (b *board) servePage(w http.ResponseWriter, _ *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	// Nothing from elsewhere: the office network may have no internet, and the page needs none.
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; "+
		"script-src 'unsafe-inline'; connect-src 'self'")
	h.Set("X-Content-Type-Options", "nosniff")
	_, _ = w.Write(b.page)
}

func (b *board) serveHealth(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()
	var h Health
	if b.o.Health != nil {
		h = b.o.Health(ctx)
	}
	out := struct {
		Status   string `json:"status"`
		WhatsApp string `json:"whatsapp"`
		Database string `json:"database"`
		Detail   string `json:"detail,omitempty"`
	}{"ok", "connected", "writable", h.Detail}
	code := http.StatusOK
	if !h.WhatsApp {
		out.WhatsApp, code = "disconnected", http.StatusServiceUnavailable
	}
	if !h.Database {
		out.Database, code = "unwritable", http.StatusServiceUnavailable
	}
	if code != http.StatusOK {
		out.Status = "unavailable"
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(out) // one line, ended by a newline
}

// callJSON is a call as the event stream carries it.
type callJSON struct {
	Number  string `json:"number"`
	Counter string `json:"counter"`
	Recall  bool   `json:"recall"`
	At      string `json:"at"`
}

type servingJSON struct {
	Counter string `json:"counter"`
	Number  string `json:"number"`
	At      string `json:"at"`
}

type stateJSON struct {
	Office    string        `json:"office"`
	Title     string        `json:"title"`
	Date      string        `json:"date"`
	Now       string        `json:"now"`
	Serving   []servingJSON `json:"serving"`
	Recent    []callJSON    `json:"recent"`
	SeatsLeft int           `json:"seats_left"`
	Waiting   int           `json:"waiting"`
	CheckedIn int           `json:"checked_in"`
	Closed    bool          `json:"closed"`
}

func (b *board) callOf(c bot.Call) callJSON {
	return callJSON{Number: fmt.Sprintf("%03d", c.Number), Counter: c.Counter, Recall: c.Recall,
		At: c.At.In(b.o.Location).Format(time.RFC3339)}
}

// state is what the board shows of date; serving is worked out from the latest calls read.
func (b *board) state(date string, v bot.BoardView, now time.Time) stateJSON {
	s := stateJSON{Office: b.o.Office, Title: b.o.Title, Date: date, Now: now.Format(time.RFC3339),
		Serving: []servingJSON{}, Recent: []callJSON{}, Waiting: v.Waiting, CheckedIn: v.CheckedIn, Closed: v.Closed}
	quota := v.Quota
	if quota == 0 {
		quota = b.o.DailyQuota
	}
	if !v.Closed {
		s.SeatsLeft = max(quota-v.Held, 0)
	}
	latest := map[string]bot.Call{}
	var extra []string
	for _, c := range v.Calls { // latest first
		if _, ok := latest[c.Counter]; !ok {
			latest[c.Counter] = c
			if !slices.Contains(b.o.Counters, c.Counter) {
				extra = append(extra, c.Counter)
			}
		}
	}
	slices.Sort(extra)
	for _, counter := range append(slices.Clone(b.o.Counters), extra...) {
		sv := servingJSON{Counter: counter}
		if c, ok := latest[counter]; ok {
			sv.Number, sv.At = fmt.Sprintf("%03d", c.Number), c.At.In(b.o.Location).Format(time.RFC3339)
		}
		s.Serving = append(s.Serving, sv)
	}
	for _, c := range v.Calls[:min(Recent, len(v.Calls))] {
		s.Recent = append(s.Recent, b.callOf(c))
	}
	return s
}

// readCalls is how many calls the board reads to find each counter's latest.
const readCalls = 50

func (b *board) serveEvents(w http.ResponseWriter, r *http.Request) {
	flusher, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	ctx := r.Context()
	// Subscribed before the first read, so that no change between the read and the wait is missed.
	sig, unsubscribe := b.o.Source.Subscribe()
	defer unsubscribe()
	var lastID int64
	if v := r.Header.Get("Last-Event-ID"); v != "" {
		lastID, _ = strconv.ParseInt(v, 10, 64) // a malformed id is a first connection
	}
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no") // nginx: do not buffer the stream
	w.WriteHeader(http.StatusOK)
	if _, err := fmt.Fprint(w, "retry: 2000\n\n"); err != nil {
		return
	}
	first := lastID == 0
	var lastState []byte
	var date string
	push := func() error {
		now := b.o.Now().In(b.o.Location)
		date = now.Format(bot.DateLayout)
		v, err := b.o.Source.BoardView(ctx, date, readCalls)
		if err != nil {
			return err
		}
		var buf bytes.Buffer
		for i := len(v.Calls) - 1; i >= 0; i-- { // oldest first
			c := v.Calls[i]
			if c.ID <= lastID {
				continue
			}
			if !first {
				data, err := json.Marshal(b.callOf(c))
				if err != nil {
					return err
				}
				fmt.Fprintf(&buf, "event: call\nid: %d\ndata: %s\n\n", c.ID, data)
			}
			lastID = c.ID
		}
		if first && lastID > 0 {
			// The page's first load shows the calls in the state, without calling them aloud, and
			// learns where it stands for a reconnection.
			fmt.Fprintf(&buf, "id: %d\n\n", lastID)
		}
		first = false
		st := b.state(date, v, now)
		cmp := st
		cmp.Now = ""
		key, err := json.Marshal(cmp)
		if err != nil {
			return err
		}
		if buf.Len() > 0 || !bytes.Equal(key, lastState) {
			data, err := json.Marshal(st)
			if err != nil {
				return err
			}
			fmt.Fprintf(&buf, "event: state\ndata: %s\n\n", data)
			lastState = key
		}
		if _, err := w.Write(buf.Bytes()); err != nil {
			return err
		}
		flusher.Flush()
		return nil
	}
	if err := push(); err != nil {
		b.logEnd(err)
		return
	}
	tick := time.NewTicker(keepAlive)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-sig:
		case <-tick.C:
			if b.o.Now().In(b.o.Location).Format(bot.DateLayout) == date {
				if _, err := fmt.Fprint(w, ": ping\n\n"); err != nil {
					return
				}
				flusher.Flush()
				continue
			}
		}
		if err := push(); err != nil {
			b.logEnd(err)
			return
		}
	}
}

// logEnd logs why a stream ended, unless the browser simply went away.
func (b *board) logEnd(err error) {
	if errors.Is(err, context.Canceled) {
		return
	}
	b.o.Log.Warn("board: event stream ended", "err", err)
}

// Serve serves h on ln until ctx ends, then shuts down gracefully (open event streams end at
// once; the pages reconnect by themselves to the next LAW), and closes ln. It returns an error
// when the server fails.
func Serve(ctx context.Context, ln net.Listener, h http.Handler, log *slog.Logger) error {
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		// Requests live as long as ctx, so that the event streams end when LAW stops.
		BaseContext: func(net.Listener) context.Context { return ctx },
		ErrorLog:    slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	log.Info("board: serving the now-serving board", "addr", "http://"+ln.Addr().String()+"/")
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return fmt.Errorf("board: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("board: shut down: %w", err)
	}
	if err := <-done; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("board: %w", err)
	}
	return nil
}
