package main

import (
	"bytes"
	"strings"
	"testing"

	"law/bot"
	"law/config"
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
