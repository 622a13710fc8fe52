package live

import "time"

// A session's state is dropped in two cases, so that a server up for
// months holds the sessions under way only:
//   - completed: right after the flush that delivered the completed
//     document (its audience keeps listening, but nothing is left to
//     coalesce);
//   - idle: no change for the idle TTL and nobody listening, or completed.
//
// A topic that is flushing, has a flush pending or is being read is never
// dropped. Whatever is asked afterwards is rebuilt: the code and activity
// maps from the database, the document by the Builder, with a new version.

// armIdleLocked schedules the topic's next idle check.
func (h *Hub) armIdleLocked(t *topic, d time.Duration) {
	if h.closed {
		return
	}
	t.idle = h.opts.clock.AfterFunc(d, func() { h.expire(t) })
}

// expire drops the topic if it has been idle for the TTL, else checks
// again later. Checking lazily costs one timer per topic per TTL, not one
// per change.
func (h *Hub) expire(t *topic) {
	h.mu.Lock()
	if h.closed || h.topics[t.sessionID] != t {
		h.mu.Unlock()
		return
	}
	t.idle = nil
	if h.keepLocked(t) {
		h.mu.Unlock()
		return
	}
	code, completed := t.code, t.completedLocked()
	h.mu.Unlock()

	// Outside the lock: the list walks every realtime client.
	listened := !completed && len(h.subscribers(code)) > 0

	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed || h.topics[t.sessionID] != t || t.idle != nil {
		return
	}
	if listened {
		h.armIdleLocked(t, h.opts.idleTTL)
		return
	}
	if !h.keepLocked(t) {
		h.dropLocked(t)
	}
}

// keepLocked re-arms the idle check of a topic that changed within the TTL
// or is in use, and reports whether it did.
func (h *Hub) keepLocked(t *topic) bool {
	wait := t.changed.Add(h.opts.idleTTL).Sub(h.opts.clock.Now())
	if wait <= 0 && (t.flushing || t.timer != nil || t.users > 0) {
		wait = h.opts.idleTTL
	}
	if wait <= 0 {
		return false
	}
	h.armIdleLocked(t, wait)
	return true
}

// completedLocked reports whether the topic's newest document is current
// and says the session has ended.
func (t *topic) completedLocked() bool {
	return t.latest != nil && t.latest.Completed && t.latest.epoch == t.epoch
}

// dropLocked forgets the topic and what only it kept alive.
func (h *Hub) dropLocked(t *topic) {
	if h.topics[t.sessionID] != t {
		return
	}
	delete(h.topics, t.sessionID)
	stopTimers(t)
	if t.code != "" && h.codes[t.code] == t.sessionID {
		delete(h.codes, t.code)
	}
	for a := range t.activities {
		if h.activities[a] == t.sessionID {
			delete(h.activities, a)
		}
	}
}

func stopTimers(t *topic) {
	if t.timer != nil {
		t.timer.Stop()
		t.timer = nil
	}
	if t.idle != nil {
		t.idle.Stop()
		t.idle = nil
	}
}

// stats counts what the hub keeps: sessions, codes and activities.
func (h *Hub) stats() (topics, codes, activities int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.topics), len(h.codes), len(h.activities)
}
