package bot_test

import (
	"testing"
	"time"

	"law/bot"
)

func TestStaffStatus(t *testing.T) {
	t.Parallel()
	r := newStaffRig(t)
	r.note("a message of yesterday does not count for today")
	r.now = r.now.AddDate(0, 0, -1)
	r.send(rigApplicant(1), "halo")
	r.now = r.now.AddDate(0, 0, 1)
	r.send(rigApplicant(2), "halo")

	r.note("not wired to WhatsApp nor to the sender: says so")
	r.send(rigMember, "/status")

	health := bot.Health{Known: true, Connected: true, Since: r.now.Add(-48 * time.Minute),
		Waiting: 12, OldestQueued: r.now.Add(-3*time.Minute - 20*time.Second)}
	r.Bot.SetStatus(bot.HealthFunc(func() bot.Health { return health }))
	r.note("connected since this morning, replies waiting")
	r.at("07:00")
	r.send(rigMember, "/status")

	r.note("disconnected since yesterday evening, banned until tomorrow, nothing waiting")
	health = bot.Health{Known: true, Since: r.now.Add(-14 * time.Hour), BannedUntil: r.now.Add(26 * time.Hour)}
	r.send(rigAdmin, "/STATUS")

	r.note("a ban that is over is not shown; seconds for a short wait")
	health = bot.Health{Known: true, Connected: true, Since: r.now.Add(-2*time.Hour - 5*time.Minute),
		BannedUntil: r.now.Add(-time.Minute), Waiting: 1, OldestQueued: r.now.Add(-45 * time.Second)}
	r.send(rigMember, "/status")

	r.note("an applicant writing /status gets the applicant's answer")
	r.send(rigStranger, "/status")
	r.golden("status")
}
