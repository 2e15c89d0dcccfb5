package wa

import (
	"context"
	"fmt"
	"log/slog"
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
	SendChatPresence(ctx context.Context, jid types.JID, state types.ChatPresence, media types.ChatPresenceMedia) error
	SendMessage(ctx context.Context, to types.JID, message *waE2E.Message,
		extra ...whatsmeow.SendRequestExtra) (whatsmeow.SendResponse, error)
}

// Transport sends outbox messages over the current WhatsApp client; it implements
// pipeline.Transport. It sends nothing before the connection is up (Send waits) nor while a
// temporary ban lasts (Send returns a *pipeline.PauseError).
type Transport struct {
	log *slog.Logger
	now func() time.Time

	mu        sync.Mutex
	cli       MessageSender
	connected bool
	banUntil  time.Time
	changed   chan struct{} // closed and replaced on every change of the fields above
}

// NewTransport returns a transport that sends nothing until SetClient and SetConnected say it may.
func NewTransport(log *slog.Logger) *Transport {
	return &Transport{log: log, now: time.Now, changed: make(chan struct{})}
}

// changeLocked wakes every Send waiting for the state to change; t.mu must be held.
func (t *Transport) changeLocked() {
	close(t.changed)
	t.changed = make(chan struct{})
}

// SetClient switches to a new client (after a fresh pairing); it starts disconnected.
func (t *Transport) SetClient(cli MessageSender) {
	t.mu.Lock()
	t.cli, t.connected = cli, false
	t.changeLocked()
	t.mu.Unlock()
}

// SetConnected records whether the client is connected and logged in.
func (t *Transport) SetConnected(ok bool) {
	t.mu.Lock()
	t.connected = ok
	t.changeLocked()
	t.mu.Unlock()
}

// Connected reports whether the client is connected and logged in (the board's /healthz).
func (t *Transport) Connected() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.connected
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

// ready waits until a client is connected, and returns a *pipeline.PauseError during a ban.
func (t *Transport) ready(ctx context.Context) (MessageSender, error) {
	for {
		t.mu.Lock()
		cli, ok, ban, changed := t.cli, t.connected, t.banUntil, t.changed
		t.mu.Unlock()
		if ban.After(t.now()) {
			return nil, &pipeline.PauseError{Until: ban}
		}
		if ok && cli != nil {
			return cli, nil
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-changed:
		}
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
	cli, ok := t.cli, t.connected
	t.mu.Unlock()
	if !ok || cli == nil {
		return
	}
	if err := cli.SendChatPresence(ctx, to, types.ChatPresenceComposing, types.ChatPresenceMediaText); err != nil {
		t.log.Debug("typing indicator not sent", "err", err)
	}
}

// Send delivers o to its chat under its outbox id, so that a resend after a crash is the same
// message. It waits for the connection, returns a *pipeline.PauseError during a temporary ban, and
// otherwise the send's error, with phone numbers masked in its text.
func (t *Transport) Send(ctx context.Context, o bot.Outgoing, _ time.Time) error {
	to, err := ParseChat(o.Chat)
	if err != nil {
		return err
	}
	cli, err := t.ready(ctx)
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
	return &maskedError{msg: logmask.Text(fmt.Sprintf("send to %s: %v", bot.MaskPhone(to.User), err)), err: err}
}

// maskedError keeps the cause for errors.Is and errors.As, and a text without phone numbers for the
// logs and the outbox's last_error column.
type maskedError struct {
	msg string
	err error
}

func (e *maskedError) Error() string { return e.msg }
func (e *maskedError) Unwrap() error { return e.err }

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
