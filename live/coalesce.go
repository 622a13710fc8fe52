package live

import "time"

// MarkDirty records a change of the session's live state that its
// audience waits for (a new activity, a reveal, the session ending).
func (h *Hub) MarkDirty(sessionID string) { h.mark(sessionID, true) }

// MarkTally records a change of counts or results (an answer, a join),
// which may wait longer when the audience is large.
func (h *Hub) MarkTally(sessionID string) { h.mark(sessionID, false) }

// MarkActivity marks a tally change in the session of an activity (an
// answer). The activity → session map is filled by RememberActivity; a
// miss (after a restart or an eviction) is resolved off the caller's path.
func (h *Hub) MarkActivity(activityID string) {
	h.mu.Lock()
	sessionID, ok := h.activities[activityID]
	h.mu.Unlock()
	if ok {
		h.MarkTally(sessionID)
		return
	}
	go func() {
		sessionID, err := h.lookupActivity(activityID)
		if err != nil {
			if !isGone(err) {
				h.app.Logger().Warn("live: find session of activity", "activity", activityID, "error", err)
			}
			return
		}
		h.RememberActivity(activityID, sessionID)
		h.MarkTally(sessionID)
	}()
}

// mark records a change and schedules a flush. It never touches the
// database.
func (h *Hub) mark(sessionID string, urgent bool) {
	if sessionID == "" {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed { // nothing is sent any more, but reads stay current
		if t := h.topics[sessionID]; t != nil {
			t.epoch++
			t.results = nil
		}
		return
	}
	t := h.topicLocked(sessionID)
	h.counts.changes.Add(1)
	if t.flushing || t.timer != nil {
		h.counts.coalesced.Add(1) // a delivery is due: this change rides along
	}
	t.epoch++
	t.results = nil
	t.urgent = t.urgent || urgent
	t.changed = h.opts.clock.Now()
	h.scheduleLocked(t)
}

// gapLocked is the least time between two deliveries of tally changes:
// one interval, longer for a large audience.
func (h *Hub) gapLocked(t *topic) time.Duration {
	o := h.opts
	return min(o.interval*time.Duration(1+t.audience/o.tallyStep), max(o.maxTally, o.interval))
}

// scheduleLocked arms the flush timer: right away for a change the
// audience waits for (a new activity, a reveal, the end) and after a quiet
// period (the leading edge), else one gap after the last delivery. What
// follows a delivery is coalesced, never the urgent change itself: the
// tallies after a new activity wait for the gap after it. A change during
// a flush is picked up when that flush ends.
func (h *Hub) scheduleLocked(t *topic) {
	if t.flushing || h.closed {
		return
	}
	due := t.lastSent.Add(h.gapLocked(t))
	if now := h.opts.clock.Now(); t.urgent && due.After(now) {
		due = now
	}
	if t.timer != nil {
		if !due.Before(t.due) || !t.timer.Stop() {
			return // armed soon enough, or firing right now
		}
	}
	t.due = due
	t.timer = h.opts.clock.AfterFunc(max(due.Sub(h.opts.clock.Now()), 0), func() { h.flush(t) })
}

// flush sends the session's state to its subscribers (the timer's job).
func (h *Hub) flush(t *topic) {
	h.mu.Lock()
	if h.closed || h.topics[t.sessionID] != t {
		h.mu.Unlock()
		return
	}
	t.timer, t.flushing, t.urgent = nil, true, false
	covered, code := t.epoch, t.code
	h.mu.Unlock()

	if built, err := h.broadcast(t, code); err != nil {
		if isGone(err) {
			h.ForgetSession(t.sessionID)
			return
		}
		h.app.Logger().Error("live: broadcast", "session", t.sessionID, "error", err)
	} else if built != nil {
		covered = built.epoch
	}

	h.mu.Lock()
	defer h.mu.Unlock()
	t.flushing = false
	t.lastSent = h.opts.clock.Now()
	if t.epoch != covered {
		h.scheduleLocked(t)
		return
	}
	// The audience has the completed state: nothing is left to coalesce.
	if t.users == 0 && t.completedLocked() {
		h.dropLocked(t)
	}
}
