package wa

import (
	"errors"
	"fmt"
	"io"
	"law/logmask"
	"log/slog"
	"strings"

	"github.com/mdp/qrterminal/v3"
	"go.mau.fi/whatsmeow/types"
)

// RenderQR writes a pairing QR code to w in half blocks, small enough for an 80×25 terminal, with
// the steps to scan it.
func RenderQR(w io.Writer, code string) {
	fmt.Fprintln(w, "\nOn the office phone: WhatsApp > Settings > Linked devices > Link a device, then scan:")
	qrterminal.GenerateHalfBlock(code, qrterminal.L, w)
	fmt.Fprintln(w, "(The code renews itself every 20 seconds until it is scanned.)")
}

// RenderPairingCode writes the 8-character code for "Link with phone number instead", with the
// steps to type it in.
func RenderPairingCode(w io.Writer, phone, code string) {
	fmt.Fprintf(w, "\nPairing code for %s:\n\n    %s\n\n", logmask.Phone(phone), code)
	fmt.Fprintln(w, "On the office phone: WhatsApp > Settings > Linked devices > Link a device >")
	fmt.Fprintln(w, "\"Link with phone number instead\", then type the code. It is valid for about two minutes;")
	fmt.Fprintln(w, "a new one is printed when it runs out.")
}

// ErrBadPhone is returned by NormalizePhone for something that is not an international number.
var ErrBadPhone = errors.New("not a phone number in international form, such as 6281234567890")

// NormalizePhone turns "+62 812-3456-7890" into "6281234567890". Numbers must be international
// (no leading 0) and 8 to 15 digits long.
func NormalizePhone(s string) (string, error) {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '+' || r == ' ' || r == '-' || r == '(' || r == ')' || r == '.':
		default:
			return "", fmt.Errorf("%w: %q", ErrBadPhone, s)
		}
	}
	p := b.String()
	if len(p) < 8 || len(p) > 15 || p[0] == '0' {
		return "", fmt.Errorf("%w: %q", ErrBadPhone, s)
	}
	return p, nil
}

// officeOnly returns a PrePairCallback that refuses to link to any phone but office (digits);
// an empty office accepts every phone.
func officeOnly(office string, log *slog.Logger) func(jid types.JID, platform, businessName string) bool {
	return func(jid types.JID, _, _ string) bool {
		if office == "" || jid.User == office {
			return true
		}
		log.Error("pairing refused: the phone that scanned is not the office's number (office.phone); "+
			"scan with the office phone", "phone", logmask.Phone(jid.User), "office", logmask.Phone(office))
		return false
	}
}
