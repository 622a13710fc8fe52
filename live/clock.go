package live

import "time"

// Clock is the hub's time: coalescing gaps, idle expiry and version seeds
// all read it, so that tests can run the hub on a clock they move by hand.
type Clock interface {
	Now() time.Time
	// AfterFunc calls f once d has passed, never from within AfterFunc
	// itself: the hub arms timers while it holds its lock.
	AfterFunc(d time.Duration, f func()) Timer
}

// Timer is a call scheduled by Clock.AfterFunc.
type Timer interface {
	// Stop cancels the call; it reports false when the call already ran
	// or is running.
	Stop() bool
}

// realClock is the wall clock, the hub's default.
type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

func (realClock) AfterFunc(d time.Duration, f func()) Timer { return time.AfterFunc(d, f) }
