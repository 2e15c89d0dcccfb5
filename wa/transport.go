package wa

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/types"
	"google.golang.org/protobuf/proto"

	"law/bot"
	"law/logmask"
	"law/pipeline"
)

// MessageSender is the part of *whatsmeow.Client the transport uses.
type MessageSender interface {
	// IsConnected and IsLoggedIn are the client's own view of the connection; a keep-alive failure
	// makes whatsmeow reconnect without a Disconnected event, so no flag kept from events is trusted.
	IsConnected() bool
	IsLoggedIn() bool
	SendChatPresence(ctx context.Context, jid types.JID, state types.ChatPresence, media types.ChatPresenceMedia) error
	SendMessage(ctx context.Context, to types.JID, message *waE2E.Message,
		extra ...whatsmeow.SendRequestExtra) (whatsmeow.SendResponse, error)
}

// Transport sends outbox messages over the current WhatsApp client; it implements
// pipeline.Transport. It sends nothing before the client is connected and logged in (Send waits)
// nor while a temporary ban lasts (Send returns a *pipeline.PauseError).
type Transport struct {
	log *slog.Logger
	now func() time.Time
	// recheck is how often a waiting Send looks at the client again without being told: whatsmeow
	// reconnects after a keep-alive failure without an event.
	recheck time.Duration

	mu        sync.Mutex
	cli       MessageSender
	connected bool      // the last state the connection's events reported, for State
	since     time.Time // when connected last changed
	banUntil  time.Time
	changed   chan struct{} // closed and replaced on every change of the fields above
}

// NewTransport returns a transport that sends nothing until SetClient gives it a client that is
// connected and logged in.
func NewTransport(log *slog.Logger) *Transport {
	return &Transport{log: log, now: time.Now, recheck: 5 * time.Second, changed: make(chan struct{})}
}

// State reports, for staff's /status, whether the client is connected and logged in now, since
// when the connection's events have said so (or said otherwise), and until when a temporary ban
// stops sending (zero when there is none or it is over).
func (t *Transport) State() (connected bool, since, banUntil time.Time) {
	t.mu.Lock()
	cli, since, ban := t.cli, t.since, t.banUntil
	t.mu.Unlock()
	if !ban.After(t.now()) {
		ban = time.Time{}
	}
	return cli != nil && cli.IsConnected() && cli.IsLoggedIn(), since, ban
}

// changeLocked wakes every Send waiting for the state to change; t.mu must be held.
func (t *Transport) changeLocked() {
	close(t.changed)
	t.changed = make(chan struct{})
}

// SetClient switches to a new client (after a fresh pairing).
func (t *Transport) SetClient(cli MessageSender) {
	t.mu.Lock()
	t.cli = cli
	t.setLocked(false)
	t.changeLocked()
	t.mu.Unlock()
}

// SetConnected records what a connection event said (for State) and wakes the waiting Send, which
// then asks the client itself.
func (t *Transport) SetConnected(ok bool) {
	t.mu.Lock()
	t.setLocked(ok)
	t.changeLocked()
	t.mu.Unlock()
}

func (t *Transport) setLocked(ok bool) {
	if ok != t.connected || t.since.IsZero() {
		t.connected, t.since = ok, t.now()
	}
}

// Ban stops sending until until (a temporary ban).
func (t *Transport) Ban(until time.Time) {
	t.mu.Lock()
	if until.After(t.banUntil) {
		t.banUntil = until
	}
	t.changeLocked()
	t.mu.Unlock()
}

// ready waits until the client is connected and logged in, and returns a *pipeline.PauseError
// during a ban. With notNow it first waits for a change or a recheck, whatever the client says:
// the client said it was connected, and the send that followed said it was not.
func (t *Transport) ready(ctx context.Context, notNow bool) (MessageSender, error) {
	for {
		t.mu.Lock()
		cli, ban, changed := t.cli, t.banUntil, t.changed
		t.mu.Unlock()
		if ban.After(t.now()) {
			return nil, &pipeline.PauseError{Until: ban}
		}
		if !notNow && cli != nil && cli.IsConnected() && cli.IsLoggedIn() {
			return cli, nil
		}
		notNow = false
		timer := time.NewTimer(t.recheck)
		select {
		case <-ctx.Done():
			timer.Stop()
			return nil, ctx.Err()
		case <-changed:
		case <-timer.C:
		}
		timer.Stop()
	}
}

// Typing shows "typing…" in o's chat, best effort and without waiting: the sender calls it before
// it waits out its pace, so the applicant sees the answer being typed for that long, and a busy
// morning is not slowed by a pause per message. Reminders and broadcasts go without it.
func (t *Transport) Typing(ctx context.Context, o bot.Outgoing) {
	if o.Bulk {
		return
	}
	to, err := ParseChat(o.Chat)
	if err != nil {
		return
	}
	t.mu.Lock()
	cli := t.cli
	t.mu.Unlock()
	if cli == nil || !cli.IsConnected() || !cli.IsLoggedIn() {
		return
	}
	if err := cli.SendChatPresence(ctx, to, types.ChatPresenceComposing, types.ChatPresenceMediaText); err != nil {
		t.log.Debug("typing indicator not sent", "err", err)
	}
}

// Send delivers o to its chat under its outbox id, so that a resend after a crash is the same
// message. It waits for the connection (also when the send itself finds it gone: that is no failed
// attempt), returns a *pipeline.PauseError during a temporary ban, and otherwise the send's error,
// with phone numbers masked in its text, wrapping pipeline.ErrPermanent when no retry can mend it.
func (t *Transport) Send(ctx context.Context, o bot.Outgoing, _ time.Time) error {
	to, err := ParseChat(o.Chat)
	if err != nil {
		return err
	}
	for notNow := false; ; notNow = true {
		cli, err := t.ready(ctx, notNow)
		if err != nil {
			return err
		}
		_, err = cli.SendMessage(ctx, to, &waE2E.Message{Conversation: proto.String(o.Text)},
			whatsmeow.SendRequestExtra{ID: o.ID})
		if err == nil {
			return nil
		}
		t.mu.Lock()
		ban := t.banUntil
		t.mu.Unlock()
		if ban.After(t.now()) {
			// The ban came while this message was on its way: wait it out, do not count an attempt.
			return &pipeline.PauseError{Until: ban}
		}
		if errors.Is(err, whatsmeow.ErrNotConnected) || errors.Is(err, whatsmeow.ErrNotLoggedIn) {
			t.log.Debug("the connection went while sending; waiting for it", "msg", o.ID)
			continue
		}
		msg := fmt.Sprintf("send to %s: %v", logmask.Phone(to.User), err)
		if why := permanent(err); why != "" {
			return &maskedError{msg: logmask.Text(msg + " (" + why + "; not retried)"),
				errs: []error{err, pipeline.ErrPermanent}}
		}
		return &maskedError{msg: logmask.Text(msg), errs: []error{err}}
	}
}

// badRecipientCodes are the server's answers to a message that no retry delivers: 404 no such
// user, 463 the recipient cannot be reached from this number (WhatsApp's restriction on new chats
// or a missing privacy token), 479 a message the server refuses as invalid.
var badRecipientCodes = map[int]string{404: "no such WhatsApp user", 463: "WhatsApp refuses delivery to this chat",
	479: "WhatsApp refuses this message as invalid"}

// permanent says why a send error can never succeed, or "" when a retry may.
func permanent(err error) string {
	switch {
	case errors.Is(err, whatsmeow.ErrRecipientADJID), errors.Is(err, whatsmeow.ErrUnknownServer):
		return "not a chat WhatsApp can deliver to"
	case strings.Contains(err.Error(), "no LID found for "):
		// whatsmeow has no error value for a number that is not on WhatsApp: SendMessage builds
		// this text when the server knows no account behind the number (send.go).
		return "the number is not on WhatsApp"
	case errors.Is(err, whatsmeow.ErrServerReturnedError):
		// SendMessage wraps it as "server returned error %d".
		_, code, _ := strings.Cut(err.Error(), whatsmeow.ErrServerReturnedError.Error()+" ")
		n, _ := strconv.Atoi(strings.TrimSpace(code))
		return badRecipientCodes[n]
	}
	return ""
}

// maskedError keeps the causes for errors.Is and errors.As, and a text without phone numbers for
// the logs and the outbox's last_error column.
type maskedError struct {
	msg  string
	errs []error
}

func (e *maskedError) Error() string   { return e.msg }
func (e *maskedError) Unwrap() []error { return e.errs }

// ErrBadChat is returned for a chat the bot must not or cannot send to.
var ErrBadChat = fmt.Errorf("not a one-to-one WhatsApp chat (%w)", pipeline.ErrPermanent)

// ParseChat reads an outbox chat: a JID as Incoming.Chat holds it ("6281…@s.whatsapp.net",
// "1234…@lid"), or bare phone digits. Groups, broadcasts and newsletters are refused with
// ErrBadChat, so that no bug can make the bot post there.
func ParseChat(chat string) (types.JID, error) {
	if !strings.Contains(chat, "@") {
		if !isDigits(chat) {
			return types.JID{}, fmt.Errorf("%w: %q", ErrBadChat, logmask.Text(chat))
		}
		return types.NewJID(chat, types.DefaultUserServer), nil
	}
	j, err := types.ParseJID(chat)
	if err != nil {
		return types.JID{}, fmt.Errorf("%w: %s", ErrBadChat, logmask.Text(err.Error()))
	}
	if j.Server != types.DefaultUserServer && j.Server != types.HiddenUserServer || j.User == "" {
		return types.JID{}, fmt.Errorf("%w: %s", ErrBadChat, logmask.Text(chat))
	}
	return j.ToNonAD(), nil
}
