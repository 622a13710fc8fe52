package live

import (
	"fmt"

	"github.com/pocketbase/pocketbase/core"

	c "conflicto/collections"
)

// ActivityResults is an activity's results document, with what the results
// route needs to decide who may read it.
type ActivityResults struct {
	SessionID string
	// Public says anyone may read them (collections.Activity.ResultsPublic);
	// otherwise only the session's owner and superusers.
	Public bool
	// Doc is the results document (collections.Results). Every reader
	// shares it: it must not be modified.
	Doc map[string]any
}

// ResultsBuilder reads an activity's results. An activity that does not
// exist is an error wrapping sql.ErrNoRows.
type ResultsBuilder func(app core.App, activityID string) (*ActivityResults, error)

// BuildResults is the ResultsBuilder of the hub: the activity, its rules
// and collections.Results, the same query the live document makes for its
// current activity.
func BuildResults(app core.App, activityID string) (*ActivityResults, error) {
	act, err := c.FindActivity(app, activityID)
	if err != nil {
		return nil, err
	}
	rules, err := act.Rules()
	if err != nil {
		return nil, fmt.Errorf("rules of activity %s: %w", act.Id, err)
	}
	doc, err := c.Results(app, act, rules)
	if err != nil {
		return nil, err
	}
	return &ActivityResults{SessionID: act.SessionID(), Public: act.ResultsPublic(rules), Doc: doc}, nil
}

// Results returns an activity's results, public or not: the caller decides
// who may read them. They are kept with the session's live state until its
// next change — any mark of the session, the marks that make a new live
// document — so they are never older than the live document, and a crowd
// asking at once costs one build. A build of the live document that shows
// the activity's public results fills the cache too. An unknown activity
// is sql.ErrNoRows.
func (h *Hub) Results(activityID string) (*ActivityResults, error) {
	sessionID, err := h.sessionIDOfActivity(activityID)
	if err != nil {
		return nil, err
	}
	t := h.acquire(sessionID)
	defer h.release(t)

	h.mu.Lock()
	// Mapped from now on, so that a change to its responses marks the
	// session at once (MarkActivity), not after a lookup.
	h.rememberActivityLocked(t, activityID)
	r := t.results[activityID]
	h.mu.Unlock()
	if r != nil {
		return r, nil
	}

	t.resultsBuild.Lock()
	defer t.resultsBuild.Unlock()
	h.mu.Lock()
	r, epoch := t.results[activityID], t.epoch
	h.mu.Unlock()
	if r != nil {
		return r, nil
	}
	r, err = h.buildResults(h.app, activityID)
	if isGone(err) {
		h.ForgetActivity(activityID)
	}
	if err != nil {
		return nil, err
	}

	h.mu.Lock()
	defer h.mu.Unlock()
	// A change during the build may not be in it: keep it only if none came.
	if r.SessionID == sessionID && t.epoch == epoch {
		h.keepResultsLocked(t, activityID, r)
	}
	return r, nil
}

// keepResultsLocked caches an activity's results until the session's next
// change. h.mu must be held, and no change must have come since the build
// started.
func (h *Hub) keepResultsLocked(t *topic, activityID string, r *ActivityResults) {
	if h.topics[t.sessionID] != t {
		return // dropped meanwhile
	}
	if t.results == nil {
		t.results = map[string]*ActivityResults{}
	}
	t.results[activityID] = r
	h.rememberActivityLocked(t, activityID)
}

// sessionIDOfActivity resolves an activity to its session, from the map or
// the database.
func (h *Hub) sessionIDOfActivity(activityID string) (string, error) {
	h.mu.Lock()
	id, ok := h.activities[activityID]
	h.mu.Unlock()
	if ok {
		return id, nil
	}
	return h.lookupActivity(activityID)
}
