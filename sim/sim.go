// Package sim is `law simulate`: the whole bot, clock and jobs, with WhatsApp replaced by JSON
// lines on stdin and stdout.
package sim

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"time"

	"law/bot"
	"law/clock"
	"law/config"
	"law/pipeline"
	"law/store"
)

// Jobs runs the clock's jobs that fall due in (from, to], in order.
type Jobs interface {
	RunDue(ctx context.Context, from, to time.Time) error
}

// Options are what a simulation runs on.
type Options struct {
	Config *config.Config
	DB     *store.DB
	Now    time.Time // the starting clock
	In     io.Reader
	Out    io.Writer // replies, one JSON object a line
	Err    io.Writer // complaints about malformed lines
	Log    *slog.Logger
	// Jobs, when set, are run as the clock moves; NewJobs builds them on the simulator's clock.
	NewJobs func(b *bot.Bot, clk *clock.Sim) Jobs
	// Workers bounds how many messages are handled at once; 0 is pipeline.DefaultWorkers.
	Workers int
}

// input is one line of the simulator's input. Exactly one of the forms is used.
type input struct {
	From    *string `json:"from"`
	Text    *string `json:"text"`
	ID      *string `json:"id"`
	Advance *string `json:"advance"`
	At      *string `json:"at"`
	Sync    *bool   `json:"sync"`
}

// Output is one line of the simulator's output: a message the bot sends.
type Output struct {
	To   string `json:"to"`
	Text string `json:"text"`
	At   string `json:"at"`
}

// writer is the simulator's transport: it prints each message as a JSON line.
type writer struct {
	mu  sync.Mutex
	enc *json.Encoder
	loc *time.Location
}

func (w *writer) Send(_ context.Context, o bot.Outgoing, at time.Time) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.enc.Encode(Output{To: o.Chat, Text: o.Text, At: at.In(w.loc).Format(time.RFC3339)})
}

// Run simulates until the input ends, then waits for every reply and returns nil. It returns an
// error only when the database fails; a malformed line is reported on Err and skipped.
func Run(ctx context.Context, o Options) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	loc := o.Config.Location()
	clk := clock.NewSim(o.Now)
	b := bot.New(o.Config, o.DB, o.Log)
	workers := o.Workers
	if workers <= 0 {
		workers = pipeline.DefaultWorkers
	}
	disp := pipeline.NewDispatcher(ctx, o.DB, b, o.Log, workers)
	enc := json.NewEncoder(o.Out)
	enc.SetEscapeHTML(false)
	s := o.Config.Sending
	sender := pipeline.NewSender(o.DB, &writer{enc: enc, loc: loc}, pipeline.Pace{
		Global: s.GlobalInterval.Duration, Chat: s.ChatInterval.Duration, Bulk: s.BulkInterval.Duration,
		Jitter: s.Jitter.Duration, MaxAttempts: s.MaxAttempts, PerMinute: s.MaxPerMinute,
	}, clk, o.Log, uint64(o.Now.UnixNano()))
	// /status: in the simulator WhatsApp is always connected, since the simulation started.
	b.SetStatus(bot.HealthFunc(func() bot.Health {
		return sender.Health(bot.Health{Known: true, Connected: true, Since: o.Now})
	}))
	sendDone := make(chan error, 1)
	go func() { sendDone <- sender.Run(ctx) }()

	var jobs Jobs
	if o.NewJobs != nil {
		jobs = o.NewJobs(b, clk)
	}
	if _, err := disp.Resume(ctx); err != nil {
		return err
	}
	if jobs != nil {
		// Catch-up: what fell due while no simulation ran is decided by the jobs themselves.
		if err := jobs.RunDue(ctx, o.Now, o.Now); err != nil {
			return err
		}
	}
	settle := func() error {
		disp.Wait()
		return sender.Flush(ctx)
	}
	run := fmt.Sprintf("SIM%s-", randomHex(4))
	lines := newLineReader(o.In, maxLine)
	line := 0
	for {
		raw, tooLong, err := lines.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("read input: %w", err)
		}
		line++
		complain := func(format string, args ...any) {
			fmt.Fprintf(o.Err, "line %d: %s\n", line, fmt.Sprintf(format, args...))
		}
		if tooLong {
			complain("longer than %d bytes; skipped", maxLine)
			continue
		}
		text := strings.TrimSpace(string(raw))
		if text == "" {
			continue
		}
		var in input
		dec := json.NewDecoder(strings.NewReader(text))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&in); err != nil {
			complain("not a JSON object of the simulator's input: %v", err)
			continue
		}
		switch {
		case in.From != nil:
			if in.Advance != nil || in.At != nil || in.Sync != nil {
				complain("a message line has only from, text and id")
				continue
			}
			phone := *in.From
			if !validPhone(phone) {
				complain("from must be a phone number in digits, 8 to 15 of them")
				continue
			}
			if in.Text == nil {
				complain("a message needs text")
				continue
			}
			id := run + fmt.Sprint(line)
			if in.ID != nil && *in.ID != "" {
				id = *in.ID
			}
			text := bot.ClipText(*in.Text, o.Config.FairUse.MaxMessageBytes)
			msg := bot.Incoming{ID: id, Phone: phone, Chat: phone, Text: text, At: clk.Now()}
			if err := disp.Accept(ctx, msg); err != nil {
				return err
			}
		case in.Advance != nil || in.At != nil:
			if in.Advance != nil && in.At != nil || in.Text != nil || in.ID != nil || in.Sync != nil {
				complain("a clock line has either advance or at, and nothing else")
				continue
			}
			now := clk.Now()
			var to time.Time
			if in.Advance != nil {
				d, err := time.ParseDuration(*in.Advance)
				if err != nil || d < 0 {
					complain("advance must be a positive duration such as \"36h\" or \"90m\"")
					continue
				}
				to = now.Add(d)
			} else {
				t, err := time.Parse(time.RFC3339, *in.At)
				if err != nil {
					complain("at must be an RFC 3339 time such as \"2026-12-02T18:00:00+07:00\"")
					continue
				}
				if t.Before(now) {
					complain("at %s is before the clock's %s; the clock does not go back", *in.At,
						now.In(loc).Format(time.RFC3339))
					continue
				}
				to = t
			}
			// What was said before the clock moved is handled at its own time, before any job, and
			// what the jobs send goes out at their time, before anything said after the move.
			disp.Wait()
			if jobs != nil {
				if err := jobs.RunDue(ctx, now, to); err != nil {
					return err
				}
			}
			if err := sender.Flush(ctx); err != nil {
				return err
			}
			clk.Set(to)
		case in.Sync != nil:
			if in.Text != nil || in.ID != nil {
				complain("a sync line has only sync")
				continue
			}
			if err := settle(); err != nil {
				return err
			}
		default:
			complain("expected from/text, advance, at or sync")
		}
	}
	if err := settle(); err != nil {
		return err
	}
	cancel()
	if err := <-sendDone; err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	return nil
}

func validPhone(p string) bool {
	if len(p) < 8 || len(p) > 15 {
		return false
	}
	for _, r := range p {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return strings.ToUpper(hex.EncodeToString(b))
}

// maxLine is the longest input line read; a longer one is skipped whole, like any malformed line.
const maxLine = 4 << 20

// lineReader reads lines of at most max bytes, and skips the rest of a longer one.
type lineReader struct {
	r   *bufio.Reader
	max int
}

func newLineReader(r io.Reader, max int) *lineReader {
	return &lineReader{r: bufio.NewReaderSize(r, 64*1024), max: max}
}

// next returns the next line without its end, or tooLong for a line over the limit. The last line
// may lack its newline. It returns io.EOF at the end.
func (l *lineReader) next() (line []byte, tooLong bool, err error) {
	var buf []byte
	for {
		chunk, err := l.r.ReadSlice('\n')
		if len(buf)+len(chunk) > l.max+1 {
			tooLong = true
			buf = buf[:0]
		} else if !tooLong {
			buf = append(buf, chunk...)
		}
		switch {
		case err == bufio.ErrBufferFull:
			continue
		case err == io.EOF:
			if len(buf) == 0 && !tooLong {
				return nil, false, io.EOF
			}
			return buf, tooLong, nil
		case err != nil:
			return nil, false, err
		}
		return bytes.TrimRight(buf, "\r\n"), tooLong, nil
	}
}
