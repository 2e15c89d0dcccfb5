package main

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"

	"law/bot"
	"law/config"
	"law/wa"
)

// TestExportShowsNoLIDAsPhone: an applicant whose phone number WhatsApp never told is exported with
// an empty phone column, never the LID's digits.
func TestExportShowsNoLIDAsPhone(t *testing.T) {
	t.Parallel()
	cfg := config.Default()
	const lid = "111100000000077"
	var buf bytes.Buffer
	err := writeCSV(&buf, cfg, []bot.Booking{
		{Date: "2026-12-02", Number: 1, Window: 1, Name: "A", Type: "baru", Phone: "628000000077", Status: bot.StatusBooked},
		{Date: "2026-12-02", Number: 2, Window: 1, Name: "B", Type: "baru", Phone: bot.LIDKey(lid), Status: bot.StatusBooked},
	})
	if err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if strings.Contains(out, lid) || !strings.Contains(out, "628000000077") {
		t.Errorf("export:\n%s\nwant the phone number, and no LID", out)
	}
}

// TestExitStatusOfBlockedNumber: a locked or banned office number ends LAW with 78, which
// law.service's RestartPreventExitStatus keeps from restarting in a loop.
func TestExitStatusOfBlockedNumber(t *testing.T) {
	t.Parallel()
	for err, want := range map[error]int{
		nil: 0,
		fmt.Errorf("run: %w", wa.ErrAccountLocked): exitAccountBlocked,
		fmt.Errorf("run: %w", wa.ErrAccountBanned): exitAccountBlocked,
		wa.ErrStreamReplaced:                       1,
	} {
		if got := exitStatus(err); got != want {
			t.Errorf("exitStatus(%v) = %d, want %d", err, got, want)
		}
	}
	service, err := os.ReadFile("law.service")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(service), fmt.Sprintf("RestartPreventExitStatus=%d", exitAccountBlocked)) {
		t.Errorf("law.service does not keep systemd from restarting after exit status %d", exitAccountBlocked)
	}
}
