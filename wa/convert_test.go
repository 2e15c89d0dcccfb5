package wa

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"
	"google.golang.org/protobuf/proto"

	"law/bot"
)

var at = time.Date(2026, 12, 1, 8, 0, 0, 0, time.FixedZone("WIB", 7*3600))

const (
	applicant    = "628000000011"
	applicantLID = "111100000000011"
	staffPhone   = "628000000001"
	staffLID     = "111100000000001"
)

func pn(user string) types.JID  { return types.NewJID(user, types.DefaultUserServer) }
func lid(user string) types.JID { return types.NewJID(user, types.HiddenUserServer) }

func text(s string) *waE2E.Message { return &waE2E.Message{Conversation: proto.String(s)} }

// dm is a one-to-one message from sender (the chat is the sender, as WhatsApp addresses it).
func dm(sender, alt types.JID, m *waE2E.Message) *events.Message {
	return &events.Message{
		Info: types.MessageInfo{
			MessageSource: types.MessageSource{Chat: sender.ToNonAD(), Sender: sender, SenderAlt: alt},
			ID:            "3EB0C0FFEE0000000000AA",
			Timestamp:     at.Add(-time.Minute),
		},
		Message: m,
	}
}

func with(evt *events.Message, f func(*events.Message)) *events.Message {
	f(evt)
	return evt
}

func TestConvertAccepts(t *testing.T) {
	cases := []struct {
		name string
		evt  *events.Message
		want bot.Incoming
	}{
		{"phone-number sender", dm(pn(applicant), types.JID{}, text("halo")),
			bot.Incoming{Phone: applicant, Chat: applicant + "@s.whatsapp.net", Text: "halo"}},
		{"phone-number sender from a second device", dm(types.JID{User: applicant, Device: 3, Server: types.DefaultUserServer},
			types.JID{}, text("halo")),
			bot.Incoming{Phone: applicant, Chat: applicant + "@s.whatsapp.net", Text: "halo"}},
		{"phone-number sender with its LID", dm(pn(applicant), lid(applicantLID), text("halo")),
			bot.Incoming{Phone: applicant, LID: applicantLID, Chat: applicant + "@s.whatsapp.net", Text: "halo"}},
		{"LID sender with its phone number", dm(lid(applicantLID), pn(applicant), text("1")),
			bot.Incoming{Phone: applicant, LID: applicantLID, Chat: applicantLID + "@lid", Text: "1"}},
		{"LID sender alone: the phone is looked up later", dm(lid(applicantLID), types.JID{}, text("1")),
			bot.Incoming{LID: applicantLID, Chat: applicantLID + "@lid", Text: "1"}},
		{"extended text", dm(pn(applicant), types.JID{}, &waE2E.Message{
			ExtendedTextMessage: &waE2E.ExtendedTextMessage{Text: proto.String("lihat https://example.org")}}),
			bot.Incoming{Phone: applicant, Chat: applicant + "@s.whatsapp.net", Text: "lihat https://example.org"}},
		{"image with a caption is text", dm(pn(applicant), types.JID{}, &waE2E.Message{
			ImageMessage: &waE2E.ImageMessage{Caption: proto.String("BUDI#01-01-1990")}}),
			bot.Incoming{Phone: applicant, Chat: applicant + "@s.whatsapp.net", Text: "BUDI#01-01-1990"}},
		{"document with a caption is text", dm(pn(applicant), types.JID{}, &waE2E.Message{
			DocumentMessage: &waE2E.DocumentMessage{Caption: proto.String("menu")}}),
			bot.Incoming{Phone: applicant, Chat: applicant + "@s.whatsapp.net", Text: "menu"}},
		{"image without caption is media", dm(pn(applicant), types.JID{}, &waE2E.Message{
			ImageMessage: &waE2E.ImageMessage{}}),
			bot.Incoming{Phone: applicant, Chat: applicant + "@s.whatsapp.net", Media: true}},
		{"voice note is media", dm(pn(applicant), types.JID{}, &waE2E.Message{
			AudioMessage: &waE2E.AudioMessage{PTT: proto.Bool(true)}}),
			bot.Incoming{Phone: applicant, Chat: applicant + "@s.whatsapp.net", Media: true}},
		{"sticker is media", dm(pn(applicant), types.JID{}, &waE2E.Message{
			StickerMessage: &waE2E.StickerMessage{}}),
			bot.Incoming{Phone: applicant, Chat: applicant + "@s.whatsapp.net", Media: true}},
		{"location is media", dm(pn(applicant), types.JID{}, &waE2E.Message{
			LocationMessage: &waE2E.LocationMessage{}}),
			bot.Incoming{Phone: applicant, Chat: applicant + "@s.whatsapp.net", Media: true}},
		{"list reply is its label", dm(pn(applicant), types.JID{}, &waE2E.Message{
			ListResponseMessage: &waE2E.ListResponseMessage{Title: proto.String("2"),
				SingleSelectReply: &waE2E.ListResponseMessage_SingleSelectReply{SelectedRowID: proto.String("row-2")}}}),
			bot.Incoming{Phone: applicant, Chat: applicant + "@s.whatsapp.net", Text: "2"}},
		{"list reply without label is its row", dm(pn(applicant), types.JID{}, &waE2E.Message{
			ListResponseMessage: &waE2E.ListResponseMessage{
				SingleSelectReply: &waE2E.ListResponseMessage_SingleSelectReply{SelectedRowID: proto.String("3")}}}),
			bot.Incoming{Phone: applicant, Chat: applicant + "@s.whatsapp.net", Text: "3"}},
		{"button reply is its label", dm(pn(applicant), types.JID{}, &waE2E.Message{
			ButtonsResponseMessage: &waE2E.ButtonsResponseMessage{
				Response: &waE2E.ButtonsResponseMessage_SelectedDisplayText{SelectedDisplayText: "ya"}}}),
			bot.Incoming{Phone: applicant, Chat: applicant + "@s.whatsapp.net", Text: "ya"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, ok := Convert(c.evt, at, 0)
			if !ok {
				_, why := convert(c.evt, at, 0)
				t.Fatalf("skipped (%s), want it for the bot", why)
			}
			c.want.ID, c.want.At, c.want.SentAt = c.evt.Info.ID, at, c.evt.Info.Timestamp
			if got != c.want {
				t.Errorf("got  %+v\nwant %+v", got, c.want)
			}
		})
	}
}

func TestConvertSkips(t *testing.T) {
	group := types.NewJID("120363000000000001", types.GroupServer)
	cases := []struct {
		name string
		evt  *events.Message
		why  string
	}{
		{"own message (also what the office types on the phone)", with(dm(pn(applicant), types.JID{}, text("halo")),
			func(e *events.Message) { e.Info.IsFromMe = true }), skipFromMe},
		{"group", with(dm(pn(applicant), types.JID{}, text("/list")), func(e *events.Message) {
			e.Info.Chat, e.Info.IsGroup = group, true
		}), skipGroup},
		{"status", with(dm(pn(applicant), types.JID{}, text("status")), func(e *events.Message) {
			e.Info.Chat, e.Info.IsGroup = types.StatusBroadcastJID, true
		}), skipStatus},
		{"broadcast list", with(dm(pn(applicant), types.JID{}, text("promo")), func(e *events.Message) {
			e.Info.Chat, e.Info.IsGroup = types.NewJID("1700000000", types.BroadcastServer), true
		}), skipBroadcast},
		{"newsletter", with(dm(pn(applicant), types.JID{}, text("news")), func(e *events.Message) {
			e.Info.Chat = types.NewJID("120363000000000002", types.NewsletterServer)
			e.Info.Sender = e.Info.Chat
		}), skipNewsletter},
		{"bot", dm(types.NewJID("867051314767696", types.BotServer), types.JID{}, text("hi")), skipBot},
		{"revoke (protocol message)", dm(pn(applicant), types.JID{}, &waE2E.Message{
			ProtocolMessage: &waE2E.ProtocolMessage{Type: waE2E.ProtocolMessage_REVOKE.Enum()}}), skipProtocol},
		{"edit as a protocol message", dm(pn(applicant), types.JID{}, &waE2E.Message{
			ProtocolMessage: &waE2E.ProtocolMessage{Type: waE2E.ProtocolMessage_MESSAGE_EDIT.Enum(),
				EditedMessage: text("BUDI")}}), skipProtocol},
		{"edit, unwrapped", with(dm(pn(applicant), types.JID{}, text("BUDI")),
			func(e *events.Message) { e.IsEdit = true }), skipEdit},
		{"edit attribute", with(dm(pn(applicant), types.JID{}, text("BUDI")),
			func(e *events.Message) { e.Info.Edit = types.EditAttributeMessageEdit }), skipEdit},
		{"reaction", dm(pn(applicant), types.JID{}, &waE2E.Message{
			ReactionMessage: &waE2E.ReactionMessage{Text: proto.String("👍")}}), skipReaction},
		{"poll vote", dm(pn(applicant), types.JID{}, &waE2E.Message{
			PollUpdateMessage: &waE2E.PollUpdateMessage{}}), skipEmpty},
		{"empty", dm(pn(applicant), types.JID{}, &waE2E.Message{}), skipEmpty},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if _, why := convert(c.evt, at, 0); why != c.why {
				t.Errorf("skip reason %q, want %q", why, c.why)
			}
			if _, ok := Convert(c.evt, at, 0); ok {
				t.Error("Convert passed it to the bot")
			}
		})
	}
}

func TestConvertUnwrapsEphemeral(t *testing.T) {
	evt := dm(pn(applicant), types.JID{}, nil)
	evt.RawMessage = &waE2E.Message{EphemeralMessage: &waE2E.FutureProofMessage{Message: text("menu")}}
	in, ok := Convert(evt.UnwrapRaw(), at, 0)
	if !ok || in.Text != "menu" {
		t.Errorf("got %+v, %v; want the text of the disappearing message", in, ok)
	}
}

func TestConvertClipsLongText(t *testing.T) {
	long := strings.Repeat("é", 100) // 200 bytes
	in, ok := Convert(dm(pn(applicant), types.JID{}, text(long)), at, 65)
	if !ok || len(in.Text) != 64 || in.Text != strings.Repeat("é", 32) {
		t.Errorf("clipped to %d bytes (%q), want 64 on a character boundary", len(in.Text), in.Text)
	}
}

type fakePNs struct {
	known map[string]string // LID user -> phone
	err   error
}

func (f fakePNs) GetPNForLID(_ context.Context, l types.JID) (types.JID, error) {
	if f.err != nil {
		return types.JID{}, f.err
	}
	if p, ok := f.known[l.User]; ok {
		return types.JID{User: p, Device: 2, Server: types.DefaultUserServer}, nil
	}
	return types.JID{}, nil
}

func TestResolve(t *testing.T) {
	ctx := context.Background()
	lidOnly := bot.Incoming{LID: applicantLID, Chat: applicantLID + "@lid"}

	in := lidOnly
	if ok, err := Resolve(ctx, &in, fakePNs{known: map[string]string{applicantLID: applicant}}); err != nil || !ok ||
		in.Phone != applicant {
		t.Errorf("known LID: phone %q, %v, %v; want %s", in.Phone, ok, err, applicant)
	}

	in = lidOnly
	if ok, err := Resolve(ctx, &in, fakePNs{}); err != nil || ok || in.Phone != bot.LIDKey(applicantLID) {
		t.Errorf("unknown LID: phone %q, %v, %v; want the LID marked as a LID, unresolved", in.Phone, ok, err)
	}

	in = lidOnly
	broken := errors.New("disk on fire")
	if _, err := Resolve(ctx, &in, fakePNs{err: broken}); !errors.Is(err, broken) {
		t.Errorf("store failure: %v, want it returned", err)
	}

	in = bot.Incoming{Phone: applicant}
	if ok, err := Resolve(ctx, &in, fakePNs{err: broken}); err != nil || !ok {
		t.Errorf("a known phone needs no lookup: %v, %v", ok, err)
	}
}
