package main

import "sync"

// Inbox holds the events the streams read until the tool decodes them,
// after a timed change rather than during it. The tool runs on the same
// two cores as the server it measures: decoding every message's JSON while
// the server is still writing the same change to the other streams made
// the tool's own work part of the delivery it timed — and more of it for a
// larger message, whatever the server did. A reader stamps an event's
// arrival, matches it against the change being timed by its bytes
// (Tracker.Match) and leaves it here; Drain decodes what arrived once the
// change was delivered, and the decoder checks that every message timed as
// the change is it. Each stream has a box of its own, so that thousands of
// readers do not queue on one lock.
type Inbox struct {
	boxes []inboxBox
}

type inboxBox struct {
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

// NewInbox returns an inbox for streams 0 … k-1.
func NewInbox(k int) *Inbox {
	return &Inbox{boxes: make([]inboxBox, k)}
}

// Add keeps the event stream i read.
func (b *Inbox) Add(i int, ev Event, timed string) {
	box := &b.boxes[i]
	box.mu.Lock()
	box.evs = append(box.evs, Arrival{Stream: i, Event: ev, Timed: timed})
	box.mu.Unlock()
}

// Drain hands every event kept so far to decode, stream by stream and
// each stream's in the order read, and forgets them. Only one goroutine
// drains.
func (b *Inbox) Drain(decode func(Arrival)) {
	for i := range b.boxes {
		box := &b.boxes[i]
		box.mu.Lock()
		evs := box.evs
		box.evs = nil
		box.mu.Unlock()
		for _, a := range evs {
			decode(a)
		}
	}
}
