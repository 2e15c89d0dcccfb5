package bot_test

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"law/bot"
	"law/config"
	"law/engine/enginetest"
	"law/store/storetest"
)

// The fuzz targets and the hostile-input tests share this rig: the bot on a real database in a
// temp dir, a fixed clock, and checks that no reply ever carries something internal.

const (
	robAdmin  = "62800000000001" // a configured admin
	robMember = "62800000000002" // a configured member
)

// robRig is the test rig as the fuzz targets and hostile tests use it: one database in a folder
// they choose, closed by them. clip makes it cut texts as the transports do (bot.ClipText at
// fair_use.max_message_bytes); without it Handle gets the text as it is, whatever its size.
type robRig struct {
	*enginetest.Rig
	now   time.Time
	clip  bool
	seq   int
	after int64 // the outbox position read up to
}

// newRobRig opens a fresh database in dir, with robAdmin and robMember as staff, at Monday
// 7 December 2026, 09:00 WIB. The caller closes r.DB.
func newRobRig(tb testing.TB, dir string, tweak ...func(*config.Config)) *robRig {
	tb.Helper()
	opts := []enginetest.Option{enginetest.Path(filepath.Join(dir, "law.db")), enginetest.CloseDB(),
		enginetest.Staff(robAdmin, robMember)}
	for _, f := range tweak {
		opts = append(opts, enginetest.Config(f))
	}
	r := enginetest.New(tb, opts...)
	return &robRig{Rig: r, now: time.Date(2026, 12, 7, 9, 0, 0, 0, r.Cfg.Location())}
}

func (r *robRig) today() string { return r.now.Format(bot.DateLayout) }

// send stores one message in the inbox (clipped when r.clip) and handles it, as the pipeline
// would, and returns every message queued since the last call, to anyone.
func (r *robRig) send(t testing.TB, phone, text string) []bot.Outgoing {
	t.Helper()
	r.seq++
	if r.clip {
		text = bot.ClipText(text, r.Cfg.FairUse.MaxMessageBytes)
	}
	in := bot.Incoming{ID: fmt.Sprintf("ROB%d", r.seq), Phone: phone, Chat: phone + "@s.whatsapp.net",
		Text: text, At: r.now}
	ctx := context.Background()
	if _, err := r.DB.SaveInbound(ctx, in); err != nil {
		t.Fatalf("save %q: %v", short(text), err)
	}
	if err := r.Bot.Handle(ctx, in); err != nil {
		t.Fatalf("handle %q from %s: %v", short(text), phone, err)
	}
	return r.outbox(t)
}

// outbox returns the messages queued since the last call, in order.
func (r *robRig) outbox(t testing.TB) []bot.Outgoing {
	t.Helper()
	rows, err := r.DB.SQL().Query(`SELECT seq, phone, chat, text, bulk FROM outbox WHERE seq > ? ORDER BY seq`, r.after)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []bot.Outgoing
	for rows.Next() {
		var o bot.Outgoing
		if err := rows.Scan(&o.Seq, &o.Phone, &o.Chat, &o.Text, &o.Bulk); err != nil {
			t.Fatal(err)
		}
		out = append(out, o)
		r.after = o.Seq
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func (r *robRig) update(t testing.TB, fn func(tx bot.Tx) error) {
	t.Helper()
	storetest.Update(t, r.DB, fn)
}

// offeredDates are the working days after today that the booking flow offers, as the bot counts
// them (the configured service days, holidays excluded).
func (r *robRig) offeredDates() []string {
	var out []string
	day := time.Date(r.now.Year(), r.now.Month(), r.now.Day(), 0, 0, 0, 0, r.Cfg.Location())
	for i := 1; len(out) < r.Cfg.Queue.DatesOffered && i < 60; i++ {
		d := day.AddDate(0, 0, i)
		if r.Cfg.ServiceDay(d) {
			out = append(out, d.Format(bot.DateLayout))
		}
	}
	return out
}

// The marks of something internal: Go and SQLite error texts, fmt's complaints, stack traces.
// Compared in lower case.
var internalMarks = []string{"sql", "panic", "%!", "goroutine", "<nil>", "runtime error", "nil pointer",
	"out of range", "constraint", "no such", "database", "context canceled", "deadline exceeded",
	"unique", "foreign key", ".go:", "error", "exit status"}

// marksIn returns the internal marks a text carries.
func marksIn(text string) map[string]bool {
	lower := strings.ToLower(text)
	found := map[string]bool{}
	for _, m := range internalMarks {
		if strings.Contains(lower, m) {
			found[m] = true
		}
	}
	return found
}

// checkReplies fails when a message is not valid UTF-8, is empty, or carries something internal.
// A mark that the sender typed is not counted: staff corrections quote what was typed ("Perintah
// /sql tidak dikenal"), and an announcement passes the staff's text on.
func checkReplies(t testing.TB, input string, out []bot.Outgoing) {
	t.Helper()
	typed := marksIn(input)
	leak := func(reply string) string {
		for m := range marksIn(reply) {
			if !typed[m] {
				return m
			}
		}
		return ""
	}
	for _, o := range out {
		if !utf8.ValidString(o.Text) {
			t.Fatalf("reply to %q is not valid UTF-8: %q", short(input), short(o.Text))
		}
		if strings.TrimSpace(o.Text) == "" {
			t.Fatalf("empty reply to %q", short(input))
		}
		if m := leak(o.Text); m != "" {
			t.Fatalf("reply to %q carries %q:\n%s", short(input), m, o.Text)
		}
	}
}

// to returns the messages that went to phone.
func to(phone string, out []bot.Outgoing) []bot.Outgoing {
	var mine []bot.Outgoing
	for _, o := range out {
		if o.Phone == phone {
			mine = append(mine, o)
		}
	}
	return mine
}

// nameProblem says what is wrong with a stored name, or "" when it follows the rules: upper case,
// 3–60 characters, letters, spaces, '.', '\” and '-' only, no space at either end or twice.
func nameProblem(name string) string {
	if !utf8.ValidString(name) {
		return "not valid UTF-8"
	}
	if n := utf8.RuneCountInString(name); n < 3 || n > 60 {
		return fmt.Sprintf("%d characters", n)
	}
	if strings.ToUpper(name) != name {
		return "not upper case"
	}
	if strings.TrimSpace(name) != name || strings.Contains(name, "  ") {
		return "spaces at an end or twice"
	}
	for _, r := range name {
		if !unicode.IsLetter(r) && r != ' ' && r != '.' && r != '\'' && r != '-' {
			return fmt.Sprintf("character %q", r)
		}
	}
	return ""
}

var knownStates = map[bot.State]bool{bot.StateMenu: true, bot.StateName: true, bot.StateType: true,
	bot.StateDate: true, bot.StateWindow: true, bot.StateConfirm: true, bot.StateCancelChoose: true,
	bot.StateCancelConfirm: true, bot.StateWaitlist: true, bot.StateOffer: true, bot.StateMoveChoose: true}

// draftLimit is what a conversation's stored draft may take: a name of 60 characters, six dates,
// the windows and a few booking ids fit in far less.
const draftLimit = 600

// checkStored fails when the database holds more than the limits allow: an inbox text longer
// than fair_use.max_message_bytes (when the rig clips), a booking or draft name breaking the
// name rules, a large draft or an unknown state.
func (r *robRig) checkStored(t testing.TB) {
	t.Helper()
	if r.clip {
		if n := r.For(t).Count(`SELECT coalesce(max(length(CAST(text AS BLOB))), 0) FROM inbox`); n > r.Cfg.FairUse.MaxMessageBytes {
			t.Fatalf("an inbox text of %d bytes is stored; the limit is %d", n, r.Cfg.FairUse.MaxMessageBytes)
		}
	}
	rows, err := r.DB.SQL().Query(`SELECT name FROM bookings`)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		names = append(names, n)
	}
	rows.Close()
	for _, n := range names {
		if p := nameProblem(n); p != "" {
			t.Fatalf("booking name %q: %s", n, p)
		}
	}
	rows, err = r.DB.SQL().Query(`SELECT phone, state, draft FROM conversations`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var phone, state, draft string
		if err := rows.Scan(&phone, &state, &draft); err != nil {
			t.Fatal(err)
		}
		if !knownStates[bot.State(state)] {
			t.Fatalf("conversation %s stored in state %q", phone, state)
		}
		if len(draft) > draftLimit {
			t.Fatalf("conversation %s has a draft of %d bytes: %.200s", phone, len(draft), draft)
		}
		var d bot.Draft
		if err := json.Unmarshal([]byte(draft), &d); err != nil {
			t.Fatalf("conversation %s draft %q: %v", phone, draft, err)
		}
		if d.Name != "" {
			if p := nameProblem(d.Name); p != "" {
				t.Fatalf("conversation %s draft name %q: %s", phone, d.Name, p)
			}
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
}

// short cuts a text for a failure message.
func short(s string) string {
	if len(s) > 120 {
		return s[:120] + fmt.Sprintf("…(%d bytes)", len(s))
	}
	return s
}
