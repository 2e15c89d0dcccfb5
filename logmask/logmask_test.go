package logmask

import (
	"bytes"
	"errors"
	"log/slog"
	"strings"
	"testing"
)

func TestPhone(t *testing.T) {
	t.Parallel()
	for p, want := range map[string]string{"": "", "123": "***", "1234567": "*******",
		"62800000001": "6280****001", "628000000012": "6280*****012", "6280000000123": "6280******123"} {
		if got := Phone(p); got != want {
			t.Errorf("Phone(%q) = %q, want %q", p, got, want)
		}
	}
}

func TestText(t *testing.T) {
	t.Parallel()
	cases := []struct{ in, want string }{
		{"from 628000000012@s.whatsapp.net", "from 6280*****012@s.whatsapp.net"},
		{"sender 123456789012345:7@lid in chat", "sender 1234********345:7@lid in chat"},
		{"call +628000000012 now", "call +6280*****012 now"},
		{"id 3EB0123456789ABCDEF0 kept", "id 3EB0123456789ABCDEF0 kept"},
		{"short 1234567 kept", "short 1234567 kept"},
		{"version 2.3000.1045649367 kept", "version 2.3000.1045649367 kept"},
		{"ends with 628000000012.", "ends with 6280*****012."},
		{`<message from="628000000012@s.whatsapp.net" notify="Budi Santoso" t="x">`,
			`<message from="6280*****012@s.whatsapp.net" notify="…" t="x">`},
	}
	for _, c := range cases {
		if got := Text(c.in); got != c.want {
			t.Errorf("Text(%q)\n got %q\nwant %q", c.in, got, c.want)
		}
	}
	long := strings.Repeat("é", maxLine)
	if got := Text(long); len(got) > maxLine+len("…") || !strings.HasSuffix(got, "…") {
		t.Errorf("a long line is not cut: %d bytes", len(got))
	}
}

func TestHandler(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	log := slog.New(NewHandler(slog.NewTextHandler(&buf, nil))).With("chat", "628000000012@s.whatsapp.net")
	log.Info("message from 628000000034", "err", errors.New("no session with 628000000056"),
		slog.Group("g", "to", "628000000078"))
	out := buf.String()
	for _, number := range []string{"628000000012", "628000000034", "628000000056", "628000000078"} {
		if strings.Contains(out, number) {
			t.Errorf("%s is in the log line: %s", number, out)
		}
	}
	if !strings.Contains(out, "6280*****034") {
		t.Errorf("masked number missing: %s", out)
	}
}
