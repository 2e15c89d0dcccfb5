package bot_test

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"law/bot"
	"law/config"
	"law/engine/enginetest"
)

var update = flag.Bool("update", false, "rewrite the golden transcripts in testdata/transcripts")

// TestTranscripts plays each testdata/transcripts/*.in script through the bot, with a real store
// and a fixed clock, and compares the conversation with its .golden file.
//
// Script lines:
//
//	6280000000001> text     a message from that number, 20 s after the one before ([media]: a photo)
//	@now RFC3339            set the clock
//	@advance 90m            move the clock
//	@quota N                the configured daily quota (before the first message)
//	@days_ahead N           working days that can be booked (before the first message)
//	@per_phone N            bookings per WhatsApp number (before the first message)
//	@fill DATE [WINDOW]     other applicants take every free seat of the date (or of one window)
//	# ...                   a comment
func TestTranscripts(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("testdata/transcripts/*.in")
	if err != nil || len(files) == 0 {
		t.Fatalf("no transcripts: %v", err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".in")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got := playTranscript(t, f)
			golden := strings.TrimSuffix(f, ".in") + ".golden"
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./bot -run TestTranscripts -update)", err)
			}
			if got != string(want) {
				t.Errorf("transcript differs from %s (go test ./bot -run TestTranscripts -update rewrites it):\n%s",
					golden, firstDiff(string(want), got))
			}
		})
	}
}

func firstDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return fmt.Sprintf("line %d:\nwant: %s\n got: %s", i+1, w, g)
		}
	}
	return "(no difference)"
}

// trHarness is the test rig with a clock the script sets and the conversation written out.
type trHarness struct {
	*enginetest.Rig
	t       *testing.T
	now     time.Time
	out     strings.Builder
	fillers int
}

func newTrHarness(t *testing.T, cfg *config.Config) *trHarness {
	t.Helper()
	return &trHarness{Rig: enginetest.New(t, enginetest.UseConfig(cfg)), t: t}
}

// send handles one message synchronously and returns the replies it queued, marking them sent.
func (h *trHarness) send(phone, text string) []bot.Outgoing {
	h.t.Helper()
	in := bot.Incoming{Phone: phone, Text: text, At: h.now}
	if text == "[media]" { // a photo, voice note or sticker without caption
		in.Text, in.Media = "", true
	}
	h.Handle(in)
	return h.Take()
}

// fill books every free seat of date (or of one window) for other applicants.
func (h *trHarness) fill(date string, window int) {
	h.t.Helper()
	h.Update(func(tx bot.Tx) error {
		layout := bot.Split(h.Cfg.Queue.DailyQuota, len(h.Cfg.Windows()))
		for w := range layout {
			if window != 0 && w+1 != window {
				continue
			}
			for i := 0; ; i++ {
				h.fillers++
				_, err := tx.Book(bot.Booking{Date: date, Window: w + 1, Name: fmt.Sprintf("FILLER %d", h.fillers),
					Type: "EP10", Phone: fmt.Sprintf("62800009%05d", h.fillers), Chat: "x", Lang: bot.LangID,
					CreatedAt: h.now}, layout)
				if err == bot.ErrSeatTaken {
					break
				}
				if err != nil {
					return err
				}
			}
		}
		return nil
	})
}

func playTranscript(t *testing.T, path string) string {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cfg := config.Default()
	var h *trHarness
	start := func() {
		if h == nil {
			h = newTrHarness(t, cfg)
			h.now = time.Date(2026, 12, 1, 7, 0, 0, 0, cfg.Location())
		}
	}
	var now *time.Time
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if cmd, ok := strings.CutPrefix(line, "@"); ok {
			word, arg, _ := strings.Cut(cmd, " ")
			num := func() int {
				n, err := strconv.Atoi(arg)
				if err != nil {
					t.Fatalf("%s: %v", line, err)
				}
				return n
			}
			switch word {
			case "quota":
				cfg.Queue.DailyQuota = num()
			case "days_ahead":
				cfg.Queue.DaysAhead = num()
				cfg.Queue.DatesOffered = min(cfg.Queue.DatesOffered, cfg.Queue.DaysAhead)
			case "per_phone":
				cfg.FairUse.BookingsPerPhone = num()
			case "now":
				tm, err := time.Parse(time.RFC3339, arg)
				if err != nil {
					t.Fatal(err)
				}
				now = &tm
			case "advance":
				d, err := time.ParseDuration(arg)
				if err != nil {
					t.Fatal(err)
				}
				start()
				h.now = h.now.Add(d)
			case "fill":
				start()
				date, w, _ := strings.Cut(arg, " ")
				win := 0
				if w != "" {
					win, _ = strconv.Atoi(w)
				}
				h.fill(date, win)
			default:
				t.Fatalf("unknown directive %q", line)
			}
			if h == nil {
				continue
			}
			fmt.Fprintf(&h.out, "%s\n", line)
			continue
		}
		phone, text, ok := strings.Cut(line, "> ")
		if !ok {
			t.Fatalf("line %q is neither a message nor a directive", line)
		}
		start()
		if now != nil {
			h.now, now = now.In(cfg.Location()), nil
		} else {
			h.now = h.now.Add(20 * time.Second) // people take a while to read and type
		}
		fmt.Fprintf(&h.out, "\n%s> %s\n", phone, text)
		for _, o := range h.send(phone, text) {
			fmt.Fprintf(&h.out, "< %s\n", o.Chat)
			for _, l := range strings.Split(o.Text, "\n") {
				fmt.Fprintf(&h.out, "  %s\n", l)
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if h == nil {
		t.Fatal("empty transcript")
	}
	return h.out.String()
}

// TestLateAnswerApologises checks that a message which waited on WhatsApp's side while the bot was
// down is answered with an apology, and a fresh one without.
func TestLateAnswerApologises(t *testing.T) {
	t.Parallel()
	h := newTrHarness(t, config.Default())
	h.now = time.Date(2026, 12, 1, 8, 0, 0, 0, h.Cfg.Location())
	for i, sent := range []time.Time{h.now.Add(-5 * time.Hour), h.now.Add(-time.Second)} {
		h.Handle(bot.Incoming{ID: fmt.Sprint("L", i), Phone: "6280000000031", Text: "menu", At: h.now, SentAt: sent})
		out := h.Take()
		late := len(out) == 1 && strings.HasPrefix(out[0].Text, "Maaf, balasan kami terlambat")
		if late != (i == 0) {
			t.Errorf("message sent %v before it arrived: apology %v, replies %+v", h.now.Sub(sent), late, out)
		}
	}
}
