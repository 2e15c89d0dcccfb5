package main

import (
	"law/bot"
	"law/pipeline"
	"law/sim"
)

// newSimJobs builds the clock's jobs for the simulator; nil until the schedule is wired.
func newSimJobs(b *bot.Bot, clock *pipeline.SimClock) sim.Jobs { return nil }
