package wa

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
)

func TestLoggerAdapter(t *testing.T) {
	var buf bytes.Buffer
	base := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	l := NewLogger(base, WhatsmeowLevel(slog.LevelInfo)).Sub("Recv")
	l.Debugf("<message from=%q notify=%q>", applicant+"@s.whatsapp.net", "Budi")
	l.Infof("Updated LID to %s", applicantLID+"@lid")
	if buf.Len() != 0 {
		t.Fatalf("whatsmeow's debug and info lines passed at LAW's info level:\n%s", buf.String())
	}
	l.Warnf("Error decrypting message from %s", applicant+"@s.whatsapp.net")
	out := buf.String()
	if !strings.Contains(out, "level=WARN") || !strings.Contains(out, "module=whatsmeow/Recv") {
		t.Errorf("warning missing or unnamed:\n%s", out)
	}
	if strings.Contains(out, applicant) {
		t.Errorf("phone number in the log:\n%s", out)
	}

	buf.Reset()
	NewLogger(base, WhatsmeowLevel(slog.LevelDebug)).Infof("from %s notify=\"Budi\"", applicant)
	if out := buf.String(); !strings.Contains(out, "level=INFO") || strings.Contains(out, "Budi") ||
		strings.Contains(out, applicant) {
		t.Errorf("at debug, whatsmeow's info lines pass, masked:\n%s", out)
	}
}

func TestConnectionErrorsAtDebug(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	base := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	l := NewLogger(base, WhatsmeowLevel(slog.LevelInfo))
	l.Errorf("Error reconnecting after autoreconnect sleep: %v", "dial tcp: lookup web.whatsapp.com: no such host")
	l.Errorf("Initial connection failed but reconnecting in background (%v)", "dial tcp: i/o timeout")
	l.Sub("Socket").Errorf("Error reading from websocket: %v", "EOF")
	if buf.Len() != 0 {
		t.Fatalf("whatsmeow's connection errors reach LAW's info log:\n%s", buf.String())
	}
	l.Errorf("Event handler panicked while handling a %T: %v", 1, "boom")
	if !strings.Contains(buf.String(), "level=ERROR") {
		t.Errorf("other errors must still pass:\n%s", buf.String())
	}

	buf.Reset()
	NewLogger(base, WhatsmeowLevel(slog.LevelDebug)).Errorf("Error reconnecting after autoreconnect sleep: %v", "EOF")
	if !strings.Contains(buf.String(), "level=DEBUG") {
		t.Errorf("at LAW's debug level the detail shows, at debug:\n%s", buf.String())
	}
}
