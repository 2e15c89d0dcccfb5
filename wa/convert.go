// Package wa connects LAW to WhatsApp through whatsmeow, as a linked device of the office's phone:
// it turns incoming messages into bot.Incoming values, sends the outbox, pairs, and handles the
// connection's events. Nothing of whatsmeow goes past this package: bot/ and pipeline/ never see it.
package wa

import (
	"context"
	"fmt"
	"strings"
	"time"

	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"

	"law/bot"
	"law/logmask"
)

// Reasons a message is not passed to the bot. They show in debug logs, and tests name them.
const (
	skipFromMe     = "own message"
	skipGroup      = "group"
	skipStatus     = "status broadcast"
	skipBroadcast  = "broadcast list"
	skipNewsletter = "newsletter"
	skipBot        = "bot"
	skipChat       = "not a one-to-one chat"
	skipProtocol   = "protocol message"
	skipEdit       = "edit or revoke"
	skipReaction   = "reaction"
	skipEmpty      = "nothing the bot can read"
	skipNoSender   = "no sender"
)

// Convert reduces a WhatsApp message to what the bot may see. It returns false for everything the
// bot must never answer: its own messages (also what the office types on the phone), groups,
// status, broadcast lists, newsletters, bots, protocol messages (history, revokes, edits),
// reactions, and kinds it cannot read. It looks nothing up: when the sender is a LID and the
// message carries no phone number, Phone is empty and Resolve fills it in.
//
// at is when the message was received; maxBytes (0: no limit) cuts long texts, as the configured
// fair_use.max_message_bytes says.
func Convert(evt *events.Message, at time.Time, maxBytes int) (bot.Incoming, bool) {
	in, skip := convert(evt, at, maxBytes)
	return in, skip == ""
}

// convert is Convert with the reason for skipping ("" when the message is for the bot).
func convert(evt *events.Message, at time.Time, maxBytes int) (bot.Incoming, string) {
	info := evt.Info
	chat := info.Chat
	switch {
	case info.IsFromMe:
		return bot.Incoming{}, skipFromMe
	case chat.Server == types.GroupServer:
		return bot.Incoming{}, skipGroup
	case chat == types.StatusBroadcastJID:
		return bot.Incoming{}, skipStatus
	case chat.Server == types.BroadcastServer:
		return bot.Incoming{}, skipBroadcast
	case chat.Server == types.NewsletterServer:
		return bot.Incoming{}, skipNewsletter
	case info.Sender.IsBot() || chat.IsBot():
		return bot.Incoming{}, skipBot
	case info.IsGroup || (chat.Server != types.DefaultUserServer && chat.Server != types.HiddenUserServer):
		// Messenger, interop and whatever comes next: the bot answers only plain WhatsApp chats.
		return bot.Incoming{}, skipChat
	}
	msg := evt.Message
	if msg == nil {
		msg = evt.RawMessage
	}
	switch {
	case msg.GetProtocolMessage() != nil:
		return bot.Incoming{}, skipProtocol
	case evt.IsEdit || info.Edit != types.EditAttributeEmpty:
		return bot.Incoming{}, skipEdit
	case msg.GetReactionMessage() != nil || msg.GetEncReactionMessage() != nil:
		return bot.Incoming{}, skipReaction
	}
	text, media := content(msg)
	if text == "" && !media {
		return bot.Incoming{}, skipEmpty
	}
	in := bot.Incoming{
		ID:     info.ID,
		Chat:   chat.ToNonAD().String(),
		Text:   bot.ClipText(text, maxBytes),
		Media:  media && strings.TrimSpace(text) == "",
		At:     at,
		SentAt: evt.Info.Timestamp,
	}
	in.Phone, in.LID = addresses(info.Sender, info.SenderAlt)
	if in.Phone == "" && in.LID == "" {
		// A DM's sender is the chat when the server left the sender out.
		in.Phone, in.LID = addresses(chat, info.SenderAlt)
	}
	if in.Phone == "" && in.LID == "" {
		return bot.Incoming{}, skipNoSender
	}
	return in, ""
}

// addresses splits a sender and its alternative address into the phone number (digits) and the
// LID user part, whichever of the two each one is.
func addresses(sender, alt types.JID) (phone, lid string) {
	for _, j := range []types.JID{sender, alt} {
		switch j.Server {
		case types.DefaultUserServer:
			if phone == "" && isDigits(j.User) {
				phone = j.User
			}
		case types.HiddenUserServer:
			if lid == "" && j.User != "" {
				lid = j.User
			}
		}
	}
	return phone, lid
}

// content returns the text the applicant wrote (plain, extended, caption, or the label of a list
// or button reply) and whether the message is media or another kind the bot cannot read as text
// (voice note, sticker, location, contact, poll), which gets a "please write text" reply.
func content(m *waE2E.Message) (text string, media bool) {
	switch {
	case m.GetConversation() != "":
		return m.GetConversation(), false
	case m.GetExtendedTextMessage() != nil:
		return m.GetExtendedTextMessage().GetText(), false
	case m.GetListResponseMessage() != nil:
		// The label is what the applicant saw and chose; row ids are the list author's, and
		// the bot sends no lists of its own.
		r := m.GetListResponseMessage()
		return firstNonEmpty(r.GetTitle(), r.GetSingleSelectReply().GetSelectedRowID()), false
	case m.GetButtonsResponseMessage() != nil:
		r := m.GetButtonsResponseMessage()
		return firstNonEmpty(r.GetSelectedDisplayText(), r.GetSelectedButtonID()), false
	case m.GetTemplateButtonReplyMessage() != nil:
		r := m.GetTemplateButtonReplyMessage()
		return firstNonEmpty(r.GetSelectedDisplayText(), r.GetSelectedID()), false
	case m.GetInteractiveResponseMessage() != nil:
		return m.GetInteractiveResponseMessage().GetBody().GetText(), false
	case m.GetImageMessage() != nil:
		return m.GetImageMessage().GetCaption(), true
	case m.GetVideoMessage() != nil:
		return m.GetVideoMessage().GetCaption(), true
	case m.GetDocumentMessage() != nil:
		return m.GetDocumentMessage().GetCaption(), true
	case m.GetAudioMessage() != nil, m.GetStickerMessage() != nil, m.GetPtvMessage() != nil,
		m.GetLocationMessage() != nil, m.GetLiveLocationMessage() != nil,
		m.GetContactMessage() != nil, m.GetContactsArrayMessage() != nil,
		m.GetPollCreationMessage() != nil, m.GetPollCreationMessageV2() != nil,
		m.GetPollCreationMessageV3() != nil:
		return "", true
	}
	// Poll votes, pins, keep-in-chat and the like: nothing was said to the bot.
	return "", false
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// PNLookup finds the phone number behind a LID; whatsmeow's device store (client.Store.LIDs)
// is one. It returns an empty JID and no error when the LID is unknown.
type PNLookup interface {
	GetPNForLID(ctx context.Context, lid types.JID) (types.JID, error)
}

// Resolve fills in.Phone from the LID store when Convert found only a LID. When the store does
// not know the LID either, Phone becomes bot.LIDKey(LID), marked so that it is never taken, shown
// or exported as a phone number, and one person is still one conversation; the bot moves what is
// kept under it to the phone number once a message carries both. It returns the store's error, in
// which case the message must not be acknowledged.
func Resolve(ctx context.Context, in *bot.Incoming, lids PNLookup) (resolved bool, err error) {
	if in.Phone != "" {
		return true, nil
	}
	if in.LID == "" {
		return false, nil
	}
	pn, err := lids.GetPNForLID(ctx, types.NewJID(in.LID, types.HiddenUserServer))
	if err != nil {
		return false, fmt.Errorf("look up the phone number of LID %s: %w", logmask.Phone(in.LID), err)
	}
	if pn = pn.ToNonAD(); pn.Server == types.DefaultUserServer && isDigits(pn.User) {
		in.Phone = pn.User
		return true, nil
	}
	in.Phone = bot.LIDKey(in.LID)
	return false, nil
}
