package wa

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/proto/waCompanionReg"
	"go.mau.fi/whatsmeow/proto/waE2E"
	wastore "go.mau.fi/whatsmeow/store"
	"go.mau.fi/whatsmeow/store/sqlstore"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"
	waLog "go.mau.fi/whatsmeow/util/log"
	"google.golang.org/protobuf/proto"
	_ "modernc.org/sqlite" // the "sqlite" driver of the session store

	"law/logmask"
	"law/store"
)

// SentLookup finds an outbox message by id, to answer a recipient's retry request after a restart;
// *store.DB is one.
type SentLookup interface {
	SentText(ctx context.Context, id string) (chat, text string, err error)
}

// Options are what a connection runs on.
type Options struct {
	Session   *sqlstore.Container // whatsmeow's device store (OpenSession)
	Inbox     Acceptor            // where messages go before they are acknowledged
	Settings  Settings            // the bot's database: the remembered WhatsApp version
	Outbox    SentLookup          // the bot's database: sent messages, for retry requests
	Transport *Transport          // the sender's transport; told of each client and its state
	Log       *slog.Logger
	WALog     waLog.Logger // whatsmeow's own lines (NewLogger)
	Out       io.Writer    // where QR codes and pairing codes are shown

	OfficePhone string // digits; when set, pairing with any other phone is refused
	PairPhone   string // digits; when set, pairing is by code typed on this phone instead of QR
	// StaffPhones lists the staff numbers whose LIDs are resolved after each connect; a message from
	// such a LID reaches the bot with the staff member's phone number.
	StaffPhones     func(ctx context.Context) ([]string, error)
	MaxMessageBytes int          // incoming texts are cut to this (0: whole)
	FetchVersion    FetchVersion // nil: LatestVersion, from web.whatsapp.com
}

// ErrStreamReplaced is returned by Run when another client took the session over.
var ErrStreamReplaced = errors.New("another program connected with this WhatsApp session and took it over " +
	"(stream replaced); this copy stops. Run only one LAW per WhatsApp number: look for another copy on " +
	"this or another machine, or a copied whatsapp.db")

// ErrAccountLocked is returned by Run when WhatsApp reports the office number locked (logout
// reason 403): pairing again cannot help until the phone's owner unlocks it.
var ErrAccountLocked = errors.New("WhatsApp has locked the office number (403): open WhatsApp on the office phone " +
	"and follow its instructions to unlock it, then start LAW again and link it anew; LAW does not restart by itself")

// ErrAccountBanned is returned by Run when WhatsApp reports the office number banned (logout
// reason 406): pairing again cannot help; only WhatsApp's review can.
var ErrAccountBanned = errors.New("WhatsApp has banned the office number (406): open WhatsApp on the office phone " +
	"and request a review (the appeal) there; once the number works again, start LAW and link it anew; " +
	"LAW does not restart by itself")

// ErrClientOutdated is returned by Run when WhatsApp refuses the client version and no newer one
// is on offer.
var ErrClientOutdated = errors.New("WhatsApp refuses this client version and offers no newer one: " +
	"update LAW (a newer go.mau.fi/whatsmeow) and rebuild")

// Conn is LAW's linked device: one whatsmeow client at a time (a new one after a logout), its
// pairing, and its connection events.
type Conn struct {
	o     Options
	staff atomic.Pointer[map[string]string]
	ctrl  chan ctrlEvent
	done  chan struct{} // closed when Run returns, so that no handler waits on ctrl for ever
	wg    sync.WaitGroup
}

// ctrlEvent is a connection event for Run's loop; gen tells which client it came from, so that a
// late event of a replaced client changes nothing.
type ctrlEvent struct {
	gen int
	evt any
}

// New returns a connection; Run starts it. It fails when a required option is missing.
func New(o Options) (*Conn, error) {
	if o.Session == nil || o.Inbox == nil || o.Settings == nil || o.Outbox == nil || o.Transport == nil {
		return nil, errors.New("wa: Session, Inbox, Settings, Outbox and Transport are required")
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.WALog == nil {
		o.WALog = waLog.Noop
	}
	if o.Out == nil {
		o.Out = io.Discard
	}
	if o.FetchVersion == nil {
		o.FetchVersion = LatestVersion
	}
	if o.StaffPhones == nil {
		o.StaffPhones = func(context.Context) ([]string, error) { return nil, nil }
	}
	return &Conn{o: o, ctrl: make(chan ctrlEvent, 64), done: make(chan struct{})}, nil
}

// SetDeviceName sets the name the office phone shows under Linked devices. whatsmeow keeps it in
// package state, so it is set once, before the first pairing.
func SetDeviceName(name string) {
	wastore.DeviceProps.Os = proto.String(name)
	wastore.DeviceProps.PlatformType = waCompanionReg.DeviceProps_DESKTOP.Enum()
}

// OpenSession opens (creating and migrating) whatsmeow's device store at path, on modernc's SQLite,
// readable by its owner only: it holds the keys of the office's WhatsApp. synchronous(NORMAL): a
// lost last write costs at most a re-sent key, never an applicant's message. It refuses LAW's own
// database (store.ErrIsLAW) and returns an error when the store cannot be opened.
func OpenSession(ctx context.Context, path string, log waLog.Logger) (*sqlstore.Container, error) {
	// The queue given as the session would get whatsmeow's tables, and be deleted with the session.
	if err := store.CheckNotLAW(ctx, path); err != nil {
		return nil, err
	}
	if err := store.CreatePrivate(path); err != nil {
		return nil, fmt.Errorf("open the WhatsApp session: %w", err)
	}
	c, err := sqlstore.New(ctx, "sqlite", store.DSNFor(path, "NORMAL"), log)
	if err != nil {
		return nil, fmt.Errorf("open the WhatsApp session %s: %w", path, err)
	}
	if err := store.MakePrivate(path); err != nil {
		c.Close()
		return nil, fmt.Errorf("open the WhatsApp session: %w", err)
	}
	return c, nil
}

// Linked reports whether the session database at path holds a linked device (one with an ID), not
// merely whether the file exists: a `law run` that never paired leaves an unlinked one. A missing
// file is not linked and is not created. It returns the error of reading the session.
func Linked(ctx context.Context, path string) (bool, error) {
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	c, err := OpenSession(ctx, path, nil)
	if err != nil {
		return false, err
	}
	defer c.Close()
	devices, err := c.GetAllDevices(ctx)
	if err != nil {
		return false, fmt.Errorf("read the WhatsApp session %s: %w", path, err)
	}
	for _, d := range devices {
		if d.ID != nil {
			return true, nil
		}
	}
	return false, nil
}

// staffLIDs returns the staff LIDs resolved after the last connect (LID user part to phone); nil
// before the first. The map is never changed once returned.
func (c *Conn) staffLIDs() map[string]string {
	if m := c.staff.Load(); m != nil {
		return *m
	}
	return nil
}

// Wait blocks until the background work Run started (resolving staff LIDs) has ended.
func (c *Conn) Wait() { c.wg.Wait() }

// post hands a connection event to Run's loop. It blocks whatsmeow's dispatch only while the loop
// is busy, never after Run returned.
func (c *Conn) post(e ctrlEvent) {
	select {
	case c.ctrl <- e:
	case <-c.done:
	}
}

// Run connects, pairs when the device is not linked, and handles the connection's events until ctx
// is done (nil) or the connection cannot go on: ErrStreamReplaced, ErrClientOutdated,
// ErrAccountLocked, ErrAccountBanned, or a broken session store. Call it once.
func (c *Conn) Run(ctx context.Context) error {
	defer close(c.done)
	device, err := c.o.Session.GetFirstDevice(ctx)
	if err != nil {
		return fmt.Errorf("read the WhatsApp session: %w", err)
	}
	l := newLoop(c, ctx)
	defer l.stopRetry()
	defer l.stopPairWait()
	l.install(device)
	switch {
	case device.ID == nil:
		l.log.Info("this computer is not linked to the office's WhatsApp yet; pairing")
	case c.o.PairPhone != "":
		l.log.Info("already linked; -pair-phone is not needed", "as", logmask.Phone(device.ID.User))
	}
	l.start()
	for {
		select {
		case <-ctx.Done():
			l.cli.Disconnect()
			c.o.Transport.SetConnected(false)
			return nil
		case item, ok := <-l.qr:
			l.onQR(item, ok)
		case e := <-c.ctrl:
			if err := l.onEvent(e); err != nil {
				l.cli.Disconnect()
				c.o.Transport.SetConnected(false)
				return err
			}
		case <-l.retryC:
			l.retry, l.retryC = nil, nil
			l.start()
		case <-l.pairC:
			l.onPairTimeout()
		}
	}
}

// loop is Run's state: the current client and where pairing and reconnecting stand.
type loop struct {
	c   *Conn
	ctx context.Context
	log *slog.Logger

	cli    *whatsmeow.Client
	gen    int
	online bool
	// unreachable is set once the operator was told WhatsApp cannot be reached, so that every
	// failed retry after it stays at debug level.
	unreachable bool
	// connect dials the client; Connect outside tests, which must not touch the network.
	connect func(*whatsmeow.Client) error
	// timer starts the wait after a pairing for Connected; time.NewTimer outside tests.
	timer    func(time.Duration) (<-chan time.Time, func() bool)
	pairC    <-chan time.Time // fires when Connected has not come in time after pairing
	pairStop func() bool

	qr      <-chan whatsmeow.QRChannelItem // nil unless pairing
	codes   int                            // codes shown in this pairing round
	rounds  int                            // pairing rounds since start
	noPhone bool                           // this round's pairing code failed: show the QR instead

	retry  *time.Timer
	retryC <-chan time.Time
	wait   backoff
}

func newLoop(c *Conn, ctx context.Context) *loop {
	return &loop{c: c, ctx: ctx, log: c.o.Log, connect: (*whatsmeow.Client).Connect,
		timer: func(d time.Duration) (<-chan time.Time, func() bool) {
			t := time.NewTimer(d)
			return t.C, t.Stop
		}}
}

// pairConnectWait is how long after a successful pairing Connected may take before the
// connection is started again: whatsmeow reconnects by itself after pairing, once, and a failure
// then would leave the outbox waiting for ever.
const pairConnectWait = 30 * time.Second

// Pairing rounds: a round is one QR channel's codes, about two minutes. After quickRounds unused
// rounds the next ones wait longer, so that an office that is closed for the night is not asked
// for a code every two minutes; a pairing code (which rings the phone) is asked for only in the
// first phoneRounds.
const (
	quickRounds = 5
	phoneRounds = 2
	slowRound   = 10 * time.Minute
	slowestWait = 30 * time.Minute
)

// maxReconnectErrors caps whatsmeow's reconnect delay (2 s per failure so far) at about a minute, so
// that a long outage is noticed soon after it ends.
const maxReconnectErrors = 30

// install makes a client for device, with LAW's settings and event handler, and gives it to the
// transport.
func (l *loop) install(device *wastore.Device) {
	c := l.c
	cli := whatsmeow.NewClient(device, c.o.WALog)
	// At-least-once: a message is acknowledged only after the handler stored it; the decrypted
	// buffer lets a redelivered message be read again after the ratchet moved on.
	cli.SynchronousAck = true
	cli.EnableDecryptedEventBuffer = true
	cli.AutomaticMessageRerequestFromPhone = true
	cli.InitialAutoReconnect = true
	l.gen++
	gen := l.gen
	cli.AutoReconnectHook = func(err error) bool {
		if cli.AutoReconnectErrors > maxReconnectErrors {
			cli.AutoReconnectErrors = maxReconnectErrors
		}
		c.post(ctrlEvent{gen: gen, evt: reconnectFailed{err}})
		return true
	}
	// History sync stays automatic although the bot ignores its messages: whatsmeow stores the
	// phone-number-to-LID mappings it carries, which resolve applicants writing from a LID.
	cli.ManualHistorySyncDownload = false
	lids := device.LIDs
	cli.GetMessageForRetry = func(requester, to types.JID, id types.MessageID) *waE2E.Message {
		return c.messageForRetry(lids, requester, to, id)
	}
	cli.PrePairCallback = officeOnly(c.o.OfficePhone, l.log)

	r := &receiver{inbox: c.o.Inbox, lids: device.LIDs, reader: cli, log: l.log, now: time.Now,
		maxBytes: c.o.MaxMessageBytes, staff: c.staffLIDs,
		reset: func() { go cli.ResetConnection() }}
	cli.AddEventHandlerWithSuccessStatus(func(evt any) bool {
		switch e := evt.(type) {
		case *events.Message:
			return r.handle(e)
		case *events.Connected, *events.Disconnected, *events.PairSuccess, *events.LoggedOut,
			*events.StreamReplaced, *events.ClientOutdated, *events.TemporaryBan, *events.ConnectFailure,
			*events.KeepAliveTimeout, *events.KeepAliveRestored:
			c.post(ctrlEvent{gen: gen, evt: evt})
		case *events.OfflineSyncPreview:
			l.log.Info("catching up with what came while offline", "messages", e.Messages)
		case *events.OfflineSyncCompleted:
			l.log.Info("caught up with what came while offline")
		case *events.UndecryptableMessage:
			l.log.Warn("a message could not be decrypted; WhatsApp was asked to send it again", "msg", e.Info.ID)
		}
		return true
	})
	l.cli = cli
	l.online = false
	c.o.Transport.SetClient(cli)
}

// reconnectFailed is posted by whatsmeow's reconnect hook after each failed attempt.
type reconnectFailed struct{ err error }

// start connects; an unlinked device first opens a pairing round.
func (l *loop) start() {
	l.stopRetry()
	l.stopPairWait()
	if l.cli.Store.ID == nil {
		l.cli.Disconnect() // GetQRChannel refuses a connected client
		qr, err := l.cli.GetQRChannel(l.ctx)
		if err != nil {
			d := l.wait.next()
			l.log.Error("cannot start pairing; trying again", "in", d, "err", err)
			l.later(d)
			return
		}
		l.qr, l.codes, l.noPhone = qr, 0, false
		l.rounds++
	}
	if err := l.connect(l.cli); err != nil && !errors.Is(err, whatsmeow.ErrAlreadyConnected) {
		d := l.wait.next()
		l.log.Warn("cannot connect to WhatsApp; trying again", "in", d, "err", err)
		l.later(d)
	}
}

func (l *loop) later(d time.Duration) {
	l.stopRetry()
	l.retry = time.NewTimer(d)
	l.retryC = l.retry.C
}

func (l *loop) stopRetry() {
	if l.retry != nil {
		l.retry.Stop()
	}
	l.retry, l.retryC = nil, nil
}

// waitForConnected starts the wait for Connected after a pairing.
func (l *loop) waitForConnected() {
	l.stopPairWait()
	l.pairC, l.pairStop = l.timer(pairConnectWait)
}

func (l *loop) stopPairWait() {
	if l.pairStop != nil {
		l.pairStop()
	}
	l.pairC, l.pairStop = nil, nil
}

// onPairTimeout starts the connection again when Connected did not follow a pairing in time.
func (l *loop) onPairTimeout() {
	l.pairC, l.pairStop = nil, nil
	if l.online {
		return
	}
	l.log.Warn("linked, but the connection did not come up after pairing; connecting again",
		"waited", pairConnectWait)
	l.cli.Disconnect()
	l.start()
}

// onQR handles one item of the pairing channel.
func (l *loop) onQR(item whatsmeow.QRChannelItem, ok bool) {
	if !ok {
		l.qr = nil
		return
	}
	out := l.c.o.Out
	switch item.Event {
	case whatsmeow.QRChannelEventCode:
		l.codes++
		l.wait.reset()
		l.unreachable = false
		if l.c.o.PairPhone != "" && l.codes == 1 {
			if l.rounds <= phoneRounds {
				l.noPhone = !l.pairPhone()
			} else {
				if l.rounds == phoneRounds+1 {
					l.log.Warn("no more pairing codes are asked for (WhatsApp limits them); scan the QR code " +
						"below, or restart LAW for a new pairing code")
				}
				l.noPhone = true
			}
		}
		if l.c.o.PairPhone == "" || l.noPhone {
			RenderQR(out, item.Code)
		}
	case whatsmeow.QRChannelSuccess.Event:
		l.qr = nil
		l.rounds = 0
		l.log.Info("linked to the office's WhatsApp; connecting")
		l.waitForConnected()
	case whatsmeow.QRChannelTimeout.Event:
		l.qr = nil
		if l.codes == 0 {
			d := l.wait.next()
			level := slog.LevelWarn
			if l.unreachable {
				level = slog.LevelDebug // said once already; the pauses grow
			}
			l.unreachable = true
			l.rounds-- // no code was shown: the round does not count towards slowing down
			l.log.Log(l.ctx, level, "cannot reach WhatsApp to pair (no network?); trying again", "in", d)
			l.later(d)
			return
		}
		if l.rounds < quickRounds {
			l.log.Info("the pairing code was not used in time; here is a new one")
			l.start()
			return
		}
		d := min(slowRound*time.Duration(l.rounds-quickRounds+1), slowestWait)
		l.log.Warn("nobody has linked LAW to the office's WhatsApp; new codes now come less often. "+
			"Restart LAW to get one at once", "rounds", l.rounds, "next_in", d)
		l.later(d)
	case whatsmeow.QRChannelEventError:
		l.qr = nil
		l.log.Error("pairing failed; a new code follows", "err", item.Error)
		l.later(3 * time.Second)
	case whatsmeow.QRChannelScannedWithoutMultidevice.Event:
		l.log.Error("the phone that scanned cannot link devices; update WhatsApp on the office phone")
	case whatsmeow.QRChannelEventPasskeyRequest, whatsmeow.QRChannelEventPasskeyResponse:
		l.log.Warn("the phone asked for a passkey, which LAW cannot give; link with the QR code or the pairing code")
	default:
		// err-client-outdated and err-unexpected-state: the connection event behind them is
		// handled on its own.
		l.qr = nil
	}
}

// pairPhone asks for the code to type on the office phone instead of scanning, and reports whether
// it got one. Only the first round rings the phone; later rounds only print a fresh code.
func (l *loop) pairPhone() bool {
	ctx, cancel := context.WithTimeout(l.ctx, 30*time.Second)
	defer cancel()
	code, err := l.cli.PairPhone(ctx, l.c.o.PairPhone, l.rounds == 1, whatsmeow.PairClientChrome, "Chrome (Linux)")
	if err != nil {
		l.log.Error("could not get a pairing code; showing the QR code instead, the next round tries again",
			"err", err)
		return false
	}
	RenderPairingCode(l.c.o.Out, l.c.o.PairPhone, code)
	return true
}

// onEvent handles a connection event; an error ends Run.
func (l *loop) onEvent(e ctrlEvent) error {
	if e.gen != l.gen {
		return nil
	}
	tr := l.c.o.Transport
	switch evt := e.evt.(type) {
	case *events.Connected:
		l.online, l.unreachable = true, false
		l.wait.reset()
		l.stopPairWait()
		tr.SetConnected(true)
		l.log.Info("connected to WhatsApp", "as", logmask.Phone(l.cli.Store.GetJID().User))
		l.c.resolveStaff(l.ctx, l.cli)
		l.c.presence(l.ctx, l.cli)
	case *events.Disconnected:
		tr.SetConnected(false)
		if l.online {
			l.log.Warn("connection to WhatsApp lost; reconnecting by itself")
		}
		l.online = false
	case reconnectFailed:
		if !l.unreachable {
			l.unreachable = true
			l.log.Warn("cannot reach WhatsApp (no network?); LAW keeps trying by itself, replies wait",
				"err", evt.err)
		}
	case *events.KeepAliveTimeout:
		if evt.ErrorCount == 1 {
			// whatsmeow reconnects by itself after three minutes without an answer, without a
			// Disconnected event; the transport asks the client itself before each send.
			tr.SetConnected(false)
			l.log.Warn("WhatsApp stopped answering; waiting for it (reconnecting after a few minutes)")
		}
	case *events.KeepAliveRestored:
		tr.SetConnected(true)
		l.log.Info("WhatsApp answers again")
	case *events.PairSuccess:
		l.log.Info("paired", "phone", logmask.Phone(evt.ID.User))
		l.waitForConnected()
	case *events.LoggedOut:
		tr.SetConnected(false)
		l.online = false
		switch evt.Reason {
		case events.ConnectFailureMainDeviceGone:
			l.log.Error("the office number is LOCKED by WhatsApp: open WhatsApp on the office phone and follow " +
				"its instructions; then start LAW again and link it. LAW stops and is not restarted")
			return ErrAccountLocked
		case events.ConnectFailureUnknownLogout:
			l.log.Error("the office number is BANNED by WhatsApp: open WhatsApp on the office phone and " +
				"request a review (the appeal); then start LAW again and link it. LAW stops and is not restarted")
			return ErrAccountBanned
		}
		l.log.Error("WhatsApp logged this device out: it was removed under Linked devices on the office phone, "+
			"or WhatsApp unlinked it. The queue is kept; link again with the new code below",
			"reason", evt.Reason.String())
		l.cli.Disconnect()
		l.install(l.c.o.Session.NewDevice())
		l.start()
	case *events.StreamReplaced:
		return ErrStreamReplaced
	case *events.ClientOutdated:
		tr.SetConnected(false)
		l.online = false
		return l.outdated()
	case *events.TemporaryBan:
		tr.SetConnected(false)
		l.online = false
		expire := evt.Expire
		if expire <= 0 {
			expire = time.Hour // WhatsApp named no end: look again in an hour
		}
		until := time.Now().Add(expire)
		tr.Ban(until)
		l.log.Error("WhatsApp has temporarily banned the office number; nothing is sent until the ban ends, "+
			"replies wait in the outbox", "until", until.Format(time.RFC3339), "reason", evt.Code.String())
		l.later(expire + time.Minute)
	case *events.ConnectFailure:
		tr.SetConnected(false)
		l.online = false
		d := l.wait.next()
		l.log.Error("WhatsApp refused the connection; trying again", "reason", evt.Reason.String(), "in", d)
		l.later(d)
	}
	return nil
}

// outdated refreshes the client version after WhatsApp refused it, and reconnects.
func (l *loop) outdated() error {
	old := wastore.GetWAVersion()
	v, err := RefreshVersion(l.ctx, l.c.o.FetchVersion, l.c.o.Settings)
	switch {
	case errors.Is(err, ErrNoNewerVersion):
		return fmt.Errorf("%w (%v)", ErrClientOutdated, err)
	case err != nil && v == old:
		d := l.wait.next()
		l.log.Error("WhatsApp says this client version is outdated, and asking for the current one failed; "+
			"trying again", "version", old.String(), "in", d, "err", err)
		l.later(d)
		return nil
	case err != nil:
		l.log.Warn("the new WhatsApp version is in use but could not be remembered for the next start", "err", err)
	}
	l.log.Warn("WhatsApp said this client version was outdated; now using the current one, remembered for "+
		"the next start. Update LAW soon", "old", old.String(), "new", v.String())
	l.cli.Disconnect()
	l.start()
	return nil
}

// resolveStaff finds the staff's LIDs in the background, so that a staff member writing from a LID
// address is known without blocking the connection.
func (c *Conn) resolveStaff(ctx context.Context, cli *whatsmeow.Client) {
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		ctx, cancel := context.WithTimeout(ctx, time.Minute)
		defer cancel()
		phones, err := c.o.StaffPhones(ctx)
		if err != nil {
			c.o.Log.Error("cannot list the staff to resolve their LIDs", "err", err)
			return
		}
		m, err := ResolveStaffLIDs(ctx, phones, cli.Store.LIDs, cli.GetUserInfo)
		if err != nil {
			c.o.Log.Warn("some staff LIDs are unknown; those staff are recognised by phone number only", "err", err)
		}
		c.staff.Store(&m)
		c.o.Log.Info("staff LIDs resolved", "found", len(m), "staff", len(phones))
	}()
}

// presence tells WhatsApp the bot is not "online", in the background: the office phone keeps its
// notifications, and the server learns the push name. Best effort.
func (c *Conn) presence(ctx context.Context, cli *whatsmeow.Client) {
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		if err := cli.SendPresence(ctx, types.PresenceUnavailable); err != nil {
			c.o.Log.Debug("presence not sent", "err", err)
		}
	}()
}

// messageForRetry answers a recipient's retry request from the outbox, so that a message sent before
// a restart still reaches a phone that could not decrypt it, but only when the requester is the
// chat the message went to, by phone number or by LID: nobody else may read it.
func (c *Conn) messageForRetry(lids LIDStore, requester, _ types.JID, id types.MessageID) *waE2E.Message {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	chat, text, err := c.o.Outbox.SentText(ctx, id)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil
	case err != nil:
		c.o.Log.Warn("cannot look up a message for a retry request", "msg", id, "err", err)
		return nil
	}
	ok, err := sameChat(ctx, lids, chat, requester)
	if err != nil {
		c.o.Log.Warn("cannot check who asks for a message again", "msg", id, "err", err)
		return nil
	}
	if !ok {
		c.o.Log.Warn("a retry request for a message came from another chat; not answered", "msg", id)
		return nil
	}
	return &waE2E.Message{Conversation: proto.String(text)}
}

// LIDStore maps phone numbers and LIDs both ways; whatsmeow's device store (client.Store.LIDs) is
// one. Each returns an empty JID and no error when the mapping is unknown.
type LIDStore interface {
	PNLookup
	LIDLookup
}

// sameChat reports whether who (a device of a user) is the outbox chat, in either address form.
func sameChat(ctx context.Context, lids LIDStore, chat string, who types.JID) (bool, error) {
	to, err := ParseChat(chat)
	if err != nil {
		return false, nil
	}
	who = who.ToNonAD()
	if who.User == to.User && who.Server == to.Server {
		return true, nil
	}
	var alt types.JID
	switch {
	case lids == nil:
		return false, nil
	case who.Server == types.HiddenUserServer && to.Server == types.DefaultUserServer:
		alt, err = lids.GetPNForLID(ctx, who)
	case who.Server == types.DefaultUserServer && to.Server == types.HiddenUserServer:
		alt, err = lids.GetLIDForPN(ctx, who)
	default:
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("look up the other address of %s: %s", logmask.Phone(who.User), logmask.Text(err.Error()))
	}
	alt = alt.ToNonAD()
	return alt.User == to.User && alt.Server == to.Server, nil
}

// backoff grows a retry delay from 5 seconds to 5 minutes.
type backoff struct{ n int }

func (b *backoff) next() time.Duration {
	d := min(5*time.Second<<min(b.n, 6), 5*time.Minute)
	b.n++
	return d
}

func (b *backoff) reset() { b.n = 0 }

// ErrNotLinked is returned by Logout when there is no linked device to unlink.
var ErrNotLinked = errors.New("this computer is not linked to a WhatsApp account")

// Logout unlinks the device from the office's WhatsApp and deletes the session's keys; the queue
// database is not touched. It returns ErrNotLinked when nothing is linked, and an error saying
// what to do when WhatsApp cannot be reached.
func Logout(ctx context.Context, session *sqlstore.Container, walog waLog.Logger) error {
	device, err := session.GetFirstDevice(ctx)
	if err != nil {
		return fmt.Errorf("read the WhatsApp session: %w", err)
	}
	if device.ID == nil {
		return ErrNotLinked
	}
	cli := whatsmeow.NewClient(device, walog)
	ready := make(chan error, 1)
	signal := func(err error) {
		select {
		case ready <- err:
		default:
		}
	}
	cli.AddEventHandler(func(evt any) {
		switch e := evt.(type) {
		case *events.Connected:
			signal(nil)
		case *events.LoggedOut:
			signal(ErrNotLinked) // the phone unlinked it already; whatsmeow deleted the keys
		case events.PermanentDisconnect:
			signal(fmt.Errorf("WhatsApp refused the connection: %s", e.PermanentDisconnectDescription()))
		}
	})
	if err := cli.Connect(); err != nil {
		return fmt.Errorf("connect to WhatsApp: %w", err)
	}
	defer cli.Disconnect()
	select {
	case err := <-ready:
		if err != nil {
			return err
		}
	case <-ctx.Done():
		return fmt.Errorf("WhatsApp could not be reached (%w); remove the device on the office phone "+
			"(Linked devices) and delete the session file instead", ctx.Err())
	}
	if err := cli.Logout(ctx); err != nil {
		return fmt.Errorf("unlink the device: %w", err)
	}
	return nil
}
