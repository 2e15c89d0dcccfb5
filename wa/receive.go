package wa

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"

	"law/bot"
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

// receiver turns one client's message events into inbox rows.
type receiver struct {
	inbox    Acceptor
	lids     PNLookup
	reader   ReadMarker // nil: no read receipts
	log      *slog.Logger
	now      func() time.Time
	maxBytes int
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
	resolved, err := Resolve(ctx, &in, r.lids)
	if err != nil {
		r.log.Error("message not acknowledged, WhatsApp will deliver it again", "msg", in.ID, "err", err)
		return false
	}
	if !resolved {
		r.log.Warn("no phone number known for this LID; keyed by the LID", "msg", in.ID,
			"lid", bot.MaskPhone(in.LID))
	}
	if err := r.inbox.Accept(ctx, in); err != nil {
		if errors.Is(err, pipeline.ErrClosed) {
			r.log.Info("shutting down: message left for WhatsApp to deliver again", "msg", in.ID)
			return false
		}
		r.log.Error("message not acknowledged, WhatsApp will deliver it again", "msg", in.ID,
			"from", bot.MaskPhone(in.Phone), "err", err)
		return false
	}
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
