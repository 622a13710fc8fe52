package live

import "sync/atomic"

// Stats are the hub's running totals since it started, for the metrics.
type Stats struct {
	// Changes counts marks of a session's live state (joins, answers,
	// advances).
	Changes uint64
	// Coalesced counts the changes that found a delivery already due
	// (armed or in progress) and joined it instead of causing their own.
	Coalesced uint64
	// Broadcasts counts documents delivered to a topic with subscribers.
	Broadcasts uint64
	// Sent counts documents sent to one subscription (broadcasts and
	// welcomes).
	Sent uint64
}

// counters are the atomics behind Stats: they are bumped on the answer and
// delivery paths, which take no lock for them.
type counters struct {
	changes, coalesced, broadcasts, sent atomic.Uint64
}

// Stats returns the hub's totals.
func (h *Hub) Stats() Stats {
	return Stats{
		Changes:    h.counts.changes.Load(),
		Coalesced:  h.counts.coalesced.Load(),
		Broadcasts: h.counts.broadcasts.Load(),
		Sent:       h.counts.sent.Load(),
	}
}
