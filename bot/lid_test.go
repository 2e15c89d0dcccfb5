package bot

import (
	"strings"
	"testing"
)

// TestLIDKeyNotShownAsPhone: /list and /find show the end of a phone number; a LID key shows that
// the number is unknown instead of the LID's digits.
func TestLIDKeyNotShownAsPhone(t *testing.T) {
	t.Parallel()
	if got := lastDigits(LIDKey("111100000000077")); strings.ContainsAny(got, "0123456789") {
		t.Errorf("a LID key shows as %q", got)
	}
	if got := lastDigits("628000000077"); got != "…0077" {
		t.Errorf("a phone number shows as %q", got)
	}
}
