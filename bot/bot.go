// Package bot is LAW's domain: the applicant conversation, bookings and the staff commands. It
// talks to the world through Store (one transaction a message) and never imports WhatsApp.
package bot

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"law/config"
	"law/logmask"
)

// Bot handles incoming messages.
type Bot struct {
	cfg   *config.Config
	store Store
	log   *slog.Logger
	loc   *time.Location
	// clock says whether the clock may be trusted for work that cannot be undone; nil: trusted.
	clock  ClockTrust
	status StatusSource // what /status reports beside the database; nil when not wired
}

// ClockTrust says whether the clock may be trusted for work that cannot be undone (marking
// no-shows, erasing personal data); clockcheck.Guard is one.
type ClockTrust interface {
	Trusted() bool
}

// SetClockTrust installs the judge of the clock. Without one the clock is trusted.
func (b *Bot) SetClockTrust(c ClockTrust) { b.clock = c }

// clockTrusted reports whether the clock may be trusted now.
func (b *Bot) clockTrusted() bool { return b.clock == nil || b.clock.Trusted() }

// New returns a bot over a validated configuration and a store.
func New(cfg *config.Config, store Store, log *slog.Logger) *Bot {
	return &Bot{cfg: cfg, store: store, log: log, loc: cfg.Location()}
}

// Handle handles one message from the inbox: the conversation's step, its bookings and its replies
// are one transaction, and the message is marked handled in it, so a redelivered or re-dispatched
// message is never handled twice. An error means nothing was committed.
func (b *Bot) Handle(ctx context.Context, in Incoming) error {
	if out, phone, ok, err := b.readOnlyStaff(ctx, in); err != nil || ok {
		if err != nil {
			return err
		}
		// The read is done; the write only claims the message and queues the replies. A
		// redelivery repeats a harmless read and then finds the message claimed.
		return b.store.Update(ctx, func(tx Tx) error {
			fresh, err := tx.Claim(in.ID, in.At)
			if err != nil || !fresh {
				return err
			}
			return sendStaff(tx, in, phone, out)
		})
	}
	return b.store.Update(ctx, func(tx Tx) error {
		fresh, err := tx.Claim(in.ID, in.At)
		if err != nil || !fresh {
			return err
		}
		// The time is remembered only while the clock is trusted: a wrong clock's times would make
		// the next start on the same wrong clock look right.
		if b.clockTrusted() {
			if err := tx.NoteTime(in.At); err != nil {
				return err
			}
		}
		if in.LID != "" && in.Phone != "" && !IsLIDKey(in.Phone) {
			// The phone number behind a LID became known: what was kept under the LID is theirs.
			if moved, err := tx.RekeyLID(in.LID, in.Phone); err != nil {
				return err
			} else if moved {
				b.log.Info("an applicant known only by LID now has a phone number; records moved",
					"lid", logmask.Phone(in.LID), "phone", logmask.Phone(in.Phone))
			}
		}
		if strings.HasPrefix(strings.TrimSpace(in.Text), "/") {
			phone, ok, err := b.staffPhone(tx, in)
			if err != nil {
				return err
			}
			if ok {
				return b.staffCommand(tx, in, phone)
			}
		}
		return b.converse(tx, in)
	})
}

// readOnlyStaff runs a read-only staff command (/list, /find, /stats, /help) from a staff member
// in a read transaction, so that its reading never holds up the writer, and returns its replies
// and the staff member's phone. ok is false when the message is not such a command from staff:
// it then goes the ordinary way.
func (b *Bot) readOnlyStaff(ctx context.Context, in Incoming) (out []string, phone string, ok bool, err error) {
	if !strings.HasPrefix(strings.TrimSpace(in.Text), "/") {
		return nil, "", false, nil
	}
	name, _ := parseCommand(in.Text)
	if cmd, found := findCommand(name); !found || !cmd.readOnly {
		return nil, "", false, nil
	}
	err = b.store.View(ctx, func(rx ReadTx) error {
		var err error
		if phone, ok, err = b.staffPhone(rx, in); err != nil || !ok {
			return err
		}
		out, err = b.runStaff(nil, rx, in, phone)
		return err
	})
	return out, phone, ok, err
}

// HandleFailure answers a message whose handling failed with one polite sentence, and marks it
// handled so that it does not fail again forever. It returns an error when even that failed; the
// message then stays in the inbox for the next start.
func (b *Bot) HandleFailure(ctx context.Context, in Incoming, cause error) error {
	b.log.Error("message handling failed", "msg", in.ID, "from", logmask.Phone(in.Phone), "err", cause)
	return b.store.Update(ctx, func(tx Tx) error {
		fresh, err := tx.Claim(in.ID, in.At)
		if err != nil || !fresh {
			return err
		}
		c, err := tx.Conversation(in.Phone)
		if err != nil {
			return err
		}
		return tx.Send(Outgoing{Chat: in.Chat, Phone: in.Phone, Text: textsFor(c.Lang).Failure, CreatedAt: in.At,
			Rank: c.StartedAt})
	})
}

// staffPhone returns the staff member's phone number when the sender is staff, configured or added
// from chat, by the phone number the transport resolved (also for a LID address). Push names are
// never trusted.
func (b *Bot) staffPhone(tx ReadTx, in Incoming) (string, bool, error) {
	if in.Phone == "" {
		return "", false, nil
	}
	if b.cfg.IsStaff(in.Phone) {
		return in.Phone, true, nil
	}
	ok, err := tx.IsStaffMember(in.Phone)
	return in.Phone, ok, err
}

// lidKeyPrefix marks an applicant key that is a LID, for a sender whose phone number WhatsApp did
// not tell: such a key is never shown or exported as a phone number.
const lidKeyPrefix = "lid:"

// LIDKey returns the key of an applicant known only by their LID (the LID's user part).
func LIDKey(lid string) string { return lidKeyPrefix + lid }

// IsLIDKey reports whether an applicant key (Incoming.Phone, Booking.Phone) is a LID, not a phone
// number.
func IsLIDKey(phone string) bool { return strings.HasPrefix(phone, lidKeyPrefix) }

// turn is one message's work: the conversation it moves and the replies it queues.
type turn struct {
	b    *Bot
	tx   Tx
	c    *Conversation
	now  time.Time // in the office's zone
	text string
	out  []string
	// The message read at a question (conversation.go read): step, the state's handler and the
	// menu each ask, and a turn reads the text once per question.
	readAt  State
	readAns *answer
}

func (t *turn) t() *texts { return textsFor(t.c.Lang) }

func (t *turn) say(format string, args ...any) {
	if len(args) > 0 {
		format = fmt.Sprintf(format, args...)
	}
	t.out = append(t.out, format)
}

// sayMore appends to the last reply, so one answer arrives as one message.
func (t *turn) sayMore(format string, args ...any) {
	if len(args) > 0 {
		format = fmt.Sprintf(format, args...)
	}
	if len(t.out) == 0 {
		t.out = append(t.out, format)
		return
	}
	t.out[len(t.out)-1] += "\n\n" + format
}

func (t *turn) today() string { return t.now.Format(DateLayout) }

func (b *Bot) converse(tx Tx, in Incoming) error {
	c, err := tx.Conversation(in.Phone)
	if err != nil {
		return err
	}
	c.Chat = in.Chat
	if in.LID != "" {
		c.LID = in.LID
	}
	if c.StartedAt.IsZero() || in.At.Sub(c.UpdatedAt) > sessionGap {
		c.StartedAt = in.At
	}
	t := &turn{b: b, tx: tx, c: &c, now: in.At.In(b.loc), text: in.Text}
	// Seats whose hold lapsed are free again before anything counts them.
	if _, err := tx.ExpireHolds(t.now); err != nil {
		return err
	}
	held := c.Draft.Held
	if !backlog(in) && b.flooding(t) {
		// Past the limit: counted and kept in the inbox, but answered only by the one notice.
	} else if in.Media && strings.TrimSpace(in.Text) == "" {
		t.say(t.t().Media)
	} else if err := t.step(); err != nil {
		return err
	}
	if held && !c.Draft.Held {
		// The flow that held a seat ended without taking it (stopped, menu, another booking):
		// the seat goes back at once rather than when the hold lapses.
		if err := tx.Release(c.Phone); err != nil {
			return err
		}
	}
	c.UpdatedAt = in.At
	if err := tx.SaveConversation(c); err != nil {
		return err
	}
	if len(t.out) > 0 && !in.SentAt.IsZero() && in.At.Sub(in.SentAt) > lateAfter {
		// Written while the bot was down: the answer says it is late, so it is not taken as news.
		t.out[0] = textsFor(c.Lang).Late + "\n\n" + t.out[0]
	}
	for _, text := range t.out {
		if err := tx.Send(Outgoing{Chat: in.Chat, Phone: in.Phone, Text: text, CreatedAt: in.At,
			Rank: c.StartedAt}); err != nil {
			return err
		}
	}
	return nil
}

// sessionGap is the silence after which a conversation counts as starting again. A conversation's
// start ranks its replies in a rush (the sender serves the earliest first), so one that started
// yesterday must not jump today's queue; within the gap, an applicant whose reply waited in the
// queue keeps their place when they answer it.
const sessionGap = time.Hour

// startFlow marks the start of a flow from the menu: a conversation that started more than
// sessionGap ago starts again now, while a newcomer who chose from the menu just shown keeps the
// place their first message took.
func (t *turn) startFlow() {
	if t.now.Sub(t.c.StartedAt) > sessionGap {
		t.c.StartedAt = t.now
	}
}

// lateAfter is how long a message may wait on WhatsApp's side before its answer apologises.
const lateAfter = 15 * time.Minute

// backlog reports whether a message waited long on WhatsApp's side (sent while the bot was down or
// offline): such messages arrive together and are answered, not taken for a flood.
func backlog(in Incoming) bool {
	return !in.SentAt.IsZero() && in.At.Sub(in.SentAt) > time.Minute
}

// flooding counts the sender's messages in the configured window and reports whether this one is
// over the limit; the first one over gets the polite notice.
func (b *Bot) flooding(t *turn) bool {
	fu := b.cfg.FairUse
	if fu.FloodMessages <= 0 {
		return false
	}
	c := t.c
	// A clock that went back (now before the window's start) starts a new window: otherwise the
	// count would not reset until the clock caught up again, and a slow writer would be cut off.
	if c.FloodStart.IsZero() || t.now.Before(c.FloodStart) || t.now.Sub(c.FloodStart) >= fu.FloodWindow.Duration {
		c.FloodStart, c.FloodCount, c.FloodNoticed = t.now, 0, false
	}
	c.FloodCount++
	if c.FloodCount <= fu.FloodMessages {
		return false
	}
	if !c.FloodNoticed {
		c.FloodNoticed = true
		t.say(t.t().Flood)
	}
	return true
}
