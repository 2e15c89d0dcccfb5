package wa

import (
	"bytes"
	"errors"
	"law/store/storetest"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestRenderQR(t *testing.T) {
	var buf bytes.Buffer
	RenderQR(&buf, "2@abcdefghijklmnopqrstuvwxyz0123456789,ABCDEFGHIJKLMNOPQRSTUVWXYZ+/=,abcdefghij,0123456789")
	out := buf.String()
	if !strings.ContainsAny(out, "▀▄█") {
		t.Fatalf("no half blocks in the output:\n%s", out)
	}
	var rows []string
	for _, line := range strings.Split(out, "\n") {
		if strings.ContainsAny(line, "▀▄█") {
			rows = append(rows, line)
		}
	}
	// Half blocks put two modules in one line: a version-4+ code with its quiet zone needs at
	// least 20 lines, and fits a 80x25 terminal only because of the halving.
	if len(rows) < 15 || len(rows) > 40 {
		t.Errorf("%d QR lines, want a half-block code of 15 to 40", len(rows))
	}
	width := utf8.RuneCountInString(rows[0])
	for i, r := range rows {
		if utf8.RuneCountInString(r) != width {
			t.Fatalf("line %d is %d wide, line 0 is %d: not a square code", i, utf8.RuneCountInString(r), width)
		}
	}
	if !strings.Contains(out, "Linked devices") {
		t.Error("the steps to scan are missing")
	}
}

func TestRenderPairingCode(t *testing.T) {
	var buf bytes.Buffer
	RenderPairingCode(&buf, "628000000099", "ABCD-EFGH")
	out := buf.String()
	if !strings.Contains(out, "ABCD-EFGH") || !strings.Contains(out, "Link with phone number instead") {
		t.Errorf("code or steps missing:\n%s", out)
	}
	if strings.Contains(out, "628000000099") {
		t.Error("the full phone number is printed")
	}
}

func TestNormalizePhone(t *testing.T) {
	for in, want := range map[string]string{
		"628000000099":       "628000000099",
		"+62 800-000-0099":   "628000000099",
		"+62 (800) 000.0099": "628000000099",
	} {
		if got, err := NormalizePhone(in); err != nil || got != want {
			t.Errorf("NormalizePhone(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "08000000099", "62800", "62800000009912345", "62abc0000099"} {
		if _, err := NormalizePhone(in); !errors.Is(err, ErrBadPhone) {
			t.Errorf("NormalizePhone(%q): %v, want ErrBadPhone", in, err)
		}
	}
}

func TestOfficeOnly(t *testing.T) {
	const office = "628000000099"
	check := officeOnly(office, storetest.Quiet())
	if !check(pn(office), "android", "") {
		t.Error("the office phone was refused")
	}
	if check(pn("628000000098"), "android", "") {
		t.Error("another phone was accepted")
	}
	if !officeOnly("", storetest.Quiet())(pn("628000000098"), "android", "") {
		t.Error("with no office number configured, any phone may pair")
	}
}
