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
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"sync"
	"time"

	"law/bot"
	"law/clock"
	"law/config"
	"law/engine"
	"law/store"
)

// Options are what a simulation runs on.
type Options struct {
	Config *config.Config
	DB     *store.DB
	Now    time.Time // the starting clock
	In     io.Reader
	Out    io.Writer // replies, one JSON object a line
	Err    io.Writer // complaints about malformed lines
	Log    *slog.Logger
	// Workers bounds how many messages are handled at once; 0 is pipeline.DefaultWorkers.
	Workers int
	// ClockOK is the operator's word that the starting clock is right (-clock-ok): the simulated
	// clock is the one the jobs see, so it is judged like the real one.
	ClockOK bool
	// Board, when set, serves the now-serving board and /healthz on the simulator's clock from the
	// start of the run to its end (law simulate -board).
	Board net.Listener
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

// maxBatch bounds how many message lines share one inbox commit.
const maxBatch = 256

// Run simulates until the input ends or ctx is done, then waits for every reply and returns nil.
// It returns an error only when the database fails; a malformed line is reported on Err and
// skipped. Message lines that are waiting together in the input are stored in one commit, as
// the real bot's messages share the writer's commits.
func Run(ctx context.Context, o Options) error {
	enc := json.NewEncoder(o.Out)
	enc.SetEscapeHTML(false)
	clk := clock.NewSim(o.Now)
	eng, err := engine.New(engine.Options{Config: o.Config, DB: o.DB, Clock: clk, Log: o.Log,
		Transport: &writer{enc: enc, loc: o.Config.Location()}, Workers: o.Workers,
		Seed: uint64(o.Now.UnixNano()), ClockOK: o.ClockOK, Board: o.Board})
	if err != nil {
		return err
	}
	defer eng.Stop()
	if _, err := eng.Start(ctx); err != nil {
		return err
	}
	r := &reader{o: o, clk: clk, eng: eng, run: fmt.Sprintf("SIM%s-", randomHex(4)),
		lines: newLineReader(o.In, maxLine)}
	if err := r.read(ctx); err != nil {
		return err
	}
	// The end of input, or a stop (SIGTERM): what was accepted is handled and answered.
	return eng.Settle(context.WithoutCancel(ctx))
}

// reader turns input lines into the engine's work.
type reader struct {
	o     Options
	clk   *clock.Sim
	eng   *engine.Engine
	run   string // prefix of the ids of messages that come without one
	lines *lineReader
	line  int
	batch []bot.Incoming
}

func (r *reader) complain(format string, args ...any) {
	fmt.Fprintf(r.o.Err, "line %d: %s\n", r.line, fmt.Sprintf(format, args...))
}

// flush accepts the messages gathered so far in one commit.
func (r *reader) flush(ctx context.Context) error {
	err := r.eng.AcceptAll(ctx, r.batch)
	r.batch = r.batch[:0]
	return err
}

// read reads the input to its end, or until ctx is done (nil then).
func (r *reader) read(ctx context.Context) error {
	for ctx.Err() == nil {
		// A batch goes in when no further line is waiting, so that a slow writer's messages are
		// not held back for the next one.
		if len(r.batch) > 0 && (r.lines.r.Buffered() == 0 || len(r.batch) >= maxBatch) {
			if err := r.flush(ctx); err != nil && ctx.Err() == nil {
				return err
			}
		}
		raw, tooLong, err := r.lines.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("read input: %w", err)
		}
		r.line++
		if tooLong {
			r.complain("longer than %d bytes; skipped", maxLine)
			continue
		}
		if err := r.handle(ctx, strings.TrimSpace(string(raw))); err != nil {
			if ctx.Err() != nil {
				return nil // stopped: what was accepted is still answered
			}
			return err
		}
	}
	if ctx.Err() != nil {
		return nil
	}
	return r.flush(ctx)
}

// handle takes one input line.
func (r *reader) handle(ctx context.Context, text string) error {
	if text == "" {
		return nil
	}
	var in input
	dec := json.NewDecoder(strings.NewReader(text))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		r.complain("not a JSON object of the simulator's input: %v", err)
		return nil
	}
	switch {
	case in.From != nil:
		return r.message(in)
	case in.Advance != nil || in.At != nil:
		if in.Advance != nil && in.At != nil || in.Text != nil || in.ID != nil || in.Sync != nil {
			r.complain("a clock line has either advance or at, and nothing else")
			return nil
		}
		to, ok := r.clockTarget(in)
		if !ok {
			return nil
		}
		if err := r.flush(ctx); err != nil {
			return err
		}
		return r.eng.Advance(ctx, to)
	case in.Sync != nil:
		if in.Text != nil || in.ID != nil {
			r.complain("a sync line has only sync")
			return nil
		}
		if err := r.flush(ctx); err != nil {
			return err
		}
		return r.eng.Settle(ctx)
	}
	r.complain("expected from/text, advance, at or sync")
	return nil
}

// message gathers a message line into the batch.
func (r *reader) message(in input) error {
	if in.Advance != nil || in.At != nil || in.Sync != nil {
		r.complain("a message line has only from, text and id")
		return nil
	}
	phone := *in.From
	if !validPhone(phone) {
		r.complain("from must be a phone number in digits, 8 to 15 of them")
		return nil
	}
	if in.Text == nil {
		r.complain("a message needs text")
		return nil
	}
	id := r.run + fmt.Sprint(r.line)
	if in.ID != nil && *in.ID != "" {
		id = *in.ID
	}
	text := bot.ClipText(*in.Text, r.o.Config.FairUse.MaxMessageBytes)
	r.batch = append(r.batch, bot.Incoming{ID: id, Phone: phone, Chat: phone, Text: text, At: r.clk.Now()})
	return nil
}

// clockTarget reads a clock line's time; false (after complaining) when it is not one.
func (r *reader) clockTarget(in input) (time.Time, bool) {
	now := r.clk.Now()
	if in.Advance != nil {
		d, err := time.ParseDuration(*in.Advance)
		if err != nil || d < 0 {
			r.complain("advance must be a positive duration such as \"36h\" or \"90m\"")
			return time.Time{}, false
		}
		return now.Add(d), true
	}
	t, err := time.Parse(time.RFC3339, *in.At)
	if err != nil {
		r.complain("at must be an RFC 3339 time such as \"2026-12-02T18:00:00+07:00\"")
		return time.Time{}, false
	}
	if t.Before(now) {
		r.complain("at %s is before the clock's %s; the clock does not go back", *in.At,
			now.In(r.o.Config.Location()).Format(time.RFC3339))
		return time.Time{}, false
	}
	return t, true
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
