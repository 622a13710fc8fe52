// Package live is Conflicto's live engine: it keeps the live state of every
// session and pushes it to the realtime subscribers of live/{CODE}.
//
// Changes only mark a session dirty (no query on the hot path); a
// per-session timer then builds the document once, marshals it once and
// sends the same bytes to every subscriber, at most once per interval, the
// trailing change always included. The last document is cached for readers
// until the next change. How a document is built is the Builder's business.
//
// Memory stays bounded: a session's state goes once its completed document
// reached its audience, and once it has been idle, with nobody listening,
// for the idle time-to-live. Anything asked of a forgotten session is
// rebuilt from the database.
package live

import (
	"database/sql"
	"errors"
	"sync"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/subscriptions"

	c "conflicto/collections"
)

// Hub is the live state of the sessions and their delivery. Its methods
// are safe for concurrent use.
type Hub struct {
	app   core.App
	build Builder
	opts  options

	// What the hub has forgotten (after a restart or an eviction) is
	// looked up in the database; internal tests stub these.
	lookupCode     func(code string) (sessionID string, err error)
	lookupActivity func(activityID string) (sessionID string, err error)
	buildResults   ResultsBuilder

	sentMu sync.Mutex // creates the per-client delivery records (sentSet)

	// Who listens to which topic (listeners.go): canonical topic name →
	// client → its subscriptions to it; and the topics of each client.
	listenMu  sync.Mutex
	listeners map[string]map[subscriptions.Client][]target
	following map[subscriptions.Client][]string

	counts counters // Stats

	mu         sync.Mutex
	closed     bool
	version    int64             // last version handed out
	topics     map[string]*topic // by session id
	codes      map[string]string // join code → session id, while its topic lives
	activities map[string]string // activity id → session id, while its topic lives
	retention  time.Duration     // see SetRetention
	retain     bool
}

// topic is the live state of one session.
type topic struct {
	sessionID string

	// Guarded by Hub.mu.
	code       string
	activities map[string]struct{} // its keys of Hub.activities
	epoch      uint64              // bumped by every change
	urgent     bool                // a pending change the audience waits for
	audience   int                 // subscribers at the last delivery
	timer      Timer               // the pending flush, if any
	due        time.Time           // when the pending flush fires
	flushing   bool
	lastSent   time.Time
	delivered  int64     // the last version broadcast to every subscriber
	changed    time.Time // the last change, for the idle expiry
	idle       Timer     // the next idle check
	users      int       // readers building or delivering: not dropped under them
	latest     *Snapshot // newest document built
	// results of its activities as of the current epoch: every change
	// empties it.
	results map[string]*ActivityResults

	build        sync.Mutex // one build per session at a time
	resultsBuild sync.Mutex // one results build per session at a time
}

// New returns a hub that builds documents with build. Call Stop when app
// terminates.
func New(app core.App, build Builder, opts ...Option) *Hub {
	h := &Hub{
		app:        app,
		build:      build,
		opts:       newOptions(opts),
		topics:     map[string]*topic{},
		codes:      map[string]string{},
		activities: map[string]string{},
		listeners:  map[string]map[subscriptions.Client][]target{},
		following:  map[subscriptions.Client][]string{},
	}
	h.lookupCode, h.lookupActivity = h.sessionOfCode, h.sessionOfActivity
	h.buildResults = BuildResults
	return h
}

// topicLocked returns the session's topic, creating it. h.mu must be held.
func (h *Hub) topicLocked(sessionID string) *topic {
	t := h.topics[sessionID]
	if t == nil {
		t = &topic{sessionID: sessionID, changed: h.opts.clock.Now()}
		h.topics[sessionID] = t
		h.armIdleLocked(t, h.opts.idleTTL)
	}
	return t
}

// acquire returns the session's topic, kept until release.
func (h *Hub) acquire(sessionID string) *topic {
	h.mu.Lock()
	defer h.mu.Unlock()
	t := h.topicLocked(sessionID)
	t.users++
	return t
}

func (h *Hub) release(t *topic) {
	h.mu.Lock()
	defer h.mu.Unlock()
	t.users--
}

// RememberSession records a session's join code, so that subscribers and
// readers of live/{code} find it without a query.
func (h *Hub) RememberSession(sessionID, code string) {
	if sessionID == "" || code == "" {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.codes[code] = sessionID
	h.topicLocked(sessionID).code = code
}

// ForgetSession drops a deleted session's state.
func (h *Hub) ForgetSession(sessionID string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if t := h.topics[sessionID]; t != nil {
		h.dropLocked(t)
	}
}

// RememberActivity records the session of an activity, so that
// MarkActivity finds it without a query.
func (h *Hub) RememberActivity(activityID, sessionID string) {
	if activityID == "" || sessionID == "" {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.rememberActivityLocked(h.topicLocked(sessionID), activityID)
}

// rememberActivityLocked maps an activity to the session of t, a topic
// the hub keeps. h.mu must be held.
func (h *Hub) rememberActivityLocked(t *topic, activityID string) {
	if h.topics[t.sessionID] != t {
		return
	}
	h.activities[activityID] = t.sessionID
	if t.activities == nil {
		t.activities = map[string]struct{}{}
	}
	t.activities[activityID] = struct{}{}
}

// ForgetActivity drops a deleted activity.
func (h *Hub) ForgetActivity(activityID string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	sessionID, ok := h.activities[activityID]
	if !ok {
		return
	}
	delete(h.activities, activityID)
	if t := h.topics[sessionID]; t != nil {
		delete(t.activities, activityID)
		delete(t.results, activityID)
	}
}

// SessionIDByCode resolves an upper-case join code; an unknown code is
// sql.ErrNoRows.
func (h *Hub) SessionIDByCode(code string) (string, error) {
	h.mu.Lock()
	id, ok := h.codes[code]
	h.mu.Unlock()
	if ok {
		return id, nil
	}
	id, err := h.lookupCode(code)
	if err != nil {
		return "", err
	}
	h.RememberSession(id, code)
	return id, nil
}

func (h *Hub) sessionOfCode(code string) (string, error) {
	var id string
	err := h.app.DB().Select("id").From(c.Sessions).
		Where(dbx.HashExp{c.SessionCode: code}).Limit(1).Row(&id)
	return id, err
}

func (h *Hub) sessionOfActivity(activityID string) (string, error) {
	var id string
	err := h.app.DB().Select(c.ActivitySession).From(c.Activities).
		Where(dbx.HashExp{"id": activityID}).Row(&id)
	return id, err
}

// Stop cancels every pending flush and expiry; the hub sends nothing
// afterwards.
func (h *Hub) Stop() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closed = true
	for _, t := range h.topics {
		stopTimers(t)
	}
}

// isGone reports whether err says the session no longer exists.
func isGone(err error) bool { return errors.Is(err, sql.ErrNoRows) }
