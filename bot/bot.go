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
)

// Bot handles incoming messages.
type Bot struct {
	cfg   *config.Config
	store Store
	log   *slog.Logger
	loc   *time.Location
	// staffLIDs maps a staff member's LID to their phone number, once the transport resolved it.
	staffLIDs func() map[string]string
	status    StatusSource // what /status reports beside the database; nil when not wired
}

// New returns a bot over a validated configuration and a store.
func New(cfg *config.Config, store Store, log *slog.Logger) *Bot {
	return &Bot{cfg: cfg, store: store, log: log, loc: cfg.Location(),
		staffLIDs: func() map[string]string { return nil }}
}

// SetStaffLIDs installs the lookup of staff LIDs; the WhatsApp adapter fills it after connecting.
func (b *Bot) SetStaffLIDs(f func() map[string]string) { b.staffLIDs = f }

// Handle handles one message from the inbox: the conversation's step, its bookings and its replies
// are one transaction, and the message is marked handled in it, so a redelivered or re-dispatched
// message is never handled twice. An error means nothing was committed.
func (b *Bot) Handle(ctx context.Context, in Incoming) error {
	return b.store.Update(ctx, func(tx Tx) error {
		fresh, err := tx.Claim(in.ID, in.At)
		if err != nil || !fresh {
			return err
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

// HandleFailure answers a message whose handling failed with one polite sentence, and marks it
// handled so that it does not fail again forever. It returns an error when even that failed; the
// message then stays in the inbox for the next start.
func (b *Bot) HandleFailure(ctx context.Context, in Incoming, cause error) error {
	b.log.Error("message handling failed", "msg", in.ID, "from", MaskPhone(in.Phone), "err", cause)
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
// from chat, by phone number or by a LID the transport resolved. Push names are never trusted.
func (b *Bot) staffPhone(tx Tx, in Incoming) (string, bool, error) {
	phones := []string{in.Phone}
	if in.LID != "" {
		phones = append(phones, b.staffLIDs()[in.LID])
	}
	for _, phone := range phones {
		if phone == "" {
			continue
		}
		if b.cfg.IsStaff(phone) {
			return phone, true, nil
		}
		ok, err := tx.IsStaffMember(phone)
		if err != nil || ok {
			return phone, ok, err
		}
	}
	return "", false, nil
}

// MaskPhone hides the middle of a phone number for logs: 6281******890.
func MaskPhone(p string) string {
	if len(p) <= 7 {
		return strings.Repeat("*", len(p))
	}
	return p[:4] + strings.Repeat("*", len(p)-7) + p[len(p)-3:]
}

// turn is one message's work: the conversation it moves and the replies it queues.
type turn struct {
	b    *Bot
	tx   Tx
	c    *Conversation
	now  time.Time // in the office's zone
	text string
	out  []string
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
	if !backlog(in) && b.flooding(t) {
		// Past the limit: counted and kept in the inbox, but answered only by the one notice.
	} else if in.Media && strings.TrimSpace(in.Text) == "" {
		t.say(t.t().Media)
	} else if err := t.step(); err != nil {
		return err
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
	if c.FloodStart.IsZero() || t.now.Sub(c.FloodStart) >= fu.FloodWindow.Duration {
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
