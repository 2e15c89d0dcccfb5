package store

import (
	"fmt"

	"law/bot"
)

// RekeyLID moves what an applicant did while WhatsApp showed only their LID (the records keyed
// bot.LIDKey(lid)) onto their phone number, now that a message carries both: the conversation,
// bookings, waiting-list entry, held seat, and the messages still on their way. A person is then one person again, and fair
// use counts their bookings once. Where both keys hold a conversation, the one touched last is
// kept; where both are on the waiting list, the earlier place is kept. It reports whether anything
// was moved, and runs in the caller's transaction.
func (t *tx) RekeyLID(lid, phone string) (bool, error) {
	key := bot.LIDKey(lid)
	if lid == "" || phone == "" || bot.IsLIDKey(phone) {
		return false, nil
	}
	var found int
	if err := t.queryRow(`SELECT EXISTS (SELECT 1 FROM conversations WHERE phone = ?)
		OR EXISTS (SELECT 1 FROM bookings WHERE phone = ?)
		OR EXISTS (SELECT 1 FROM waitlist WHERE phone = ?)
		OR EXISTS (SELECT 1 FROM holds WHERE phone = ?)`, key, key, key, key).Scan(&found); err != nil {
		return false, fmt.Errorf("look for records of a LID: %w", err)
	}
	if found == 0 {
		return false, nil
	}
	for _, q := range []string{
		// The conversation: the phone's is dropped when the LID's is newer, and the LID's when not.
		`DELETE FROM conversations WHERE phone = ?2 AND updated_at < (SELECT updated_at FROM conversations WHERE phone = ?1)`,
		`DELETE FROM conversations WHERE phone = ?1 AND EXISTS (SELECT 1 FROM conversations WHERE phone = ?2)`,
		`UPDATE conversations SET phone = ?2, lid = ?3 WHERE phone = ?1`,
		// The waiting list: one place per phone, the earlier one.
		`DELETE FROM waitlist WHERE phone = ?2 AND joined_at > (SELECT joined_at FROM waitlist WHERE phone = ?1)`,
		`DELETE FROM waitlist WHERE phone = ?1 AND EXISTS (SELECT 1 FROM waitlist WHERE phone = ?2)`,
		`UPDATE waitlist SET phone = ?2 WHERE phone = ?1`,
		`UPDATE bookings SET phone = ?2 WHERE phone = ?1`,
		// The seat held for the conversation under way: the moved conversation's, which is newer.
		`DELETE FROM holds WHERE phone = ?2 AND EXISTS (SELECT 1 FROM holds WHERE phone = ?1)`,
		`UPDATE holds SET phone = ?2 WHERE phone = ?1`,
		// Messages still on their way (handled and sent ones are history, erased by time): read
		// through the partial indexes of the unhandled and the unsent, not the whole tables.
		`UPDATE inbox SET phone = ?2 WHERE phone = ?1 AND handled_at IS NULL`,
		`UPDATE outbox SET phone = ?2 WHERE phone = ?1 AND sent_at IS NULL AND failed = 0`,
	} {
		if _, err := t.exec(q, key, phone, lid); err != nil {
			return false, fmt.Errorf("move a LID's records to its phone number: %w", err)
		}
	}
	return true, nil
}
