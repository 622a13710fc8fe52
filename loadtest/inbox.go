package main

import "sync"

// Inbox holds the events the streams read until the tool decodes them,
// after a timed change rather than during it. The tool runs on the same
// two cores as the server it measures: decoding every message's JSON while
// the server is still writing the same change to the other streams made
// the tool's own work part of the delivery it timed — and more of it for a
// larger message, whatever the server did. A reader stamps an event's
// arrival, matches it against the change being timed by its bytes
// (Tracker.Match) and leaves it here; Drain decodes what arrived, in
// arrival order (so per stream in the order read), once the change was
// delivered, and checks that every message timed as the change is it.
type Inbox struct {
	mu  sync.Mutex
	evs []Arrival
}

// Arrival is one event a stream read.
type Arrival struct {
	Stream int
	Event  Event
	// Timed is the id of the change this event was timed as having
	// brought (Tracker.Match), "" when none.
	Timed string
}

// Add keeps the event stream i read.
func (b *Inbox) Add(i int, ev Event, timed string) {
	b.mu.Lock()
	b.evs = append(b.evs, Arrival{Stream: i, Event: ev, Timed: timed})
	b.mu.Unlock()
}

// Drain hands every event kept so far to decode, oldest first, and
// forgets them. Only one goroutine drains.
func (b *Inbox) Drain(decode func(Arrival)) {
	b.mu.Lock()
	evs := b.evs
	b.evs = nil
	b.mu.Unlock()
	for _, a := range evs {
		decode(a)
	}
}
