package wa

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"

	"law/bot"
	"law/logmask"
	"law/pipeline"
)

// Acceptor stores an incoming message before it is acknowledged; pipeline.Dispatcher is one. An
// error means the message is not stored and WhatsApp must deliver it again.
type Acceptor interface {
	Accept(ctx context.Context, in bot.Incoming) error
}

// ReadMarker sends read receipts; *whatsmeow.Client is one.
type ReadMarker interface {
	MarkRead(ctx context.Context, ids []types.MessageID, timestamp time.Time, chat, sender types.JID,
		receiptTypeExtra ...types.ReceiptType) error
}

// acceptTimeout bounds one message's trip to the inbox: the handler runs on whatsmeow's event loop,
// and a stuck database must not stall the connection for long.
const acceptTimeout = 15 * time.Second

// resetAfter is how many refused messages in a row reset the connection even while the store
// still fails, so that WhatsApp tries them again without waiting for a message that succeeds.
const resetAfter = 3

// receiver turns one client's message events into inbox rows.
type receiver struct {
	inbox    Acceptor
	lids     PNLookup
	reader   ReadMarker // nil: no read receipts
	log      *slog.Logger
	now      func() time.Time
	maxBytes int
	// staff returns the staff LIDs resolved after connecting (LID user part to phone number);
	// nil: none.
	staff func() map[string]string
	// reset makes WhatsApp deliver again what was left unacknowledged (ResetConnection): on a
	// healthy connection it never does by itself. Required.
	reset func()
	// refused counts messages left unacknowledged since the last reset, and streakReset says a
	// reset was already spent on the current run of failures; both live on whatsmeow's event loop,
	// which handles one message at a time.
	refused     int
	streakReset bool
}

// refuse logs a message left unacknowledged; the resetAfter-th refusal in a row resets the
// connection, once per run of failures, so that a broken database does not make the connection
// bounce. It returns false, the handler's answer for such a message.
func (r *receiver) refuse(id string, args ...any) bool {
	r.refused++
	r.log.Error("MESSAGE NOT STORED: the database refused it; WhatsApp keeps it and delivers it again "+
		"after a reconnect, which LAW forces once the database works again",
		append([]any{"msg", id, "refused", r.refused}, args...)...)
	if r.refused >= resetAfter && !r.streakReset {
		r.log.Warn("several messages refused in a row; reconnecting once so that WhatsApp delivers them again")
		r.streakReset, r.refused = true, 0
		r.reset()
	}
	return false
}

// stored notes a message safely in the inbox: when messages were refused since the last reset,
// the database works again and one reset makes WhatsApp deliver them.
func (r *receiver) stored() {
	if r.refused > 0 {
		r.log.Warn("the database works again; reconnecting so that WhatsApp delivers the refused messages again",
			"refused", r.refused)
		r.reset()
	}
	r.refused, r.streakReset = 0, false
}

// handle stores one message and reports whether it may be acknowledged: true for a message the bot
// does not want and for one safely in the inbox, false when storing it failed, so that WhatsApp
// delivers it again (SynchronousAck). The reply is written later by the dispatcher's workers; this
// runs on the connection's loop and must stay short.
func (r *receiver) handle(evt *events.Message) bool {
	in, skip := convert(evt, r.now(), r.maxBytes)
	if skip != "" {
		r.log.Debug("message ignored", "msg", evt.Info.ID, "why", skip)
		return true
	}
	ctx, cancel := context.WithTimeout(context.Background(), acceptTimeout)
	defer cancel()
	if r.staff != nil && in.LID != "" {
		if phone, ok := r.staff()[in.LID]; ok {
			// A staff member writing from a LID: the bot knows staff by phone number only.
			in.Phone = phone
		}
	}
	resolved, err := Resolve(ctx, &in, r.lids)
	if err != nil {
		return r.refuse(in.ID, "err", err)
	}
	if !resolved {
		r.log.Warn("no phone number known for this LID; keyed by the LID", "msg", in.ID,
			"lid", logmask.Phone(in.LID))
	}
	if err := r.inbox.Accept(ctx, in); err != nil {
		if errors.Is(err, pipeline.ErrClosed) {
			r.log.Info("shutting down: message left for WhatsApp to deliver again", "msg", in.ID)
			return false
		}
		return r.refuse(in.ID, "from", logmask.Phone(in.Phone), "err", err)
	}
	r.stored()
	if r.reader != nil {
		// Best effort: the blue ticks tell the applicant the office got the message; a lost
		// receipt changes nothing else.
		if err := r.reader.MarkRead(ctx, []types.MessageID{evt.Info.ID}, r.now(), evt.Info.Chat,
			evt.Info.Sender); err != nil {
			r.log.Debug("read receipt not sent", "msg", in.ID, "err", err)
		}
	}
	return true
}
