package live

import (
	"bytes"
	"fmt"
	"strconv"

	"github.com/pocketbase/pocketbase/core"

	c "conflicto/collections"
)

// Document is one build of a session's live state: what the hub needs to
// cache, version and route it, without knowing what it says.
type Document struct {
	// JSON is the document marshalled with "version":0 as its last
	// member: equal bytes mean a change that shows nowhere (the hub keeps
	// the last version), and the hub splices its version in.
	JSON []byte
	// Code is the session's join code, which names its topic.
	Code string
	// ActivityID is the current activity ("" when none), for the part of
	// a reply that is the reader's own.
	ActivityID string
	// Completed says the session has ended: once this document reached
	// its audience, the hub forgets the session.
	Completed bool
	// Results are the current activity's results when they are public
	// (nil otherwise), as BuildResults reads them: the hub keeps them for
	// Results. They must not be modified.
	Results map[string]any
	// Standings are every participant's place on the leaderboard, by
	// participant id, when the document shows a leaderboard (nil
	// otherwise): a participant's own rank, also outside the public top.
	// They must not be modified.
	Standings map[string]c.Standing
}

// Builder reads the live document of a session. A session that does not
// exist is an error wrapping sql.ErrNoRows, on which the hub forgets it.
type Builder func(app core.App, sessionID string) (Document, error)

// Snapshot is a built document with its version. Every reader and
// subscriber shares its bytes: they must not be modified.
type Snapshot struct {
	Document
	// Version grows with every document that differs from the one before,
	// across sessions and restarts (microseconds since the epoch at least).
	Version int64
	// Data is the document with its version.
	Data []byte

	epoch uint64 // the topic's epoch when the build started
}

// Snapshot returns the session's current document: the cached one when no
// change happened since it was built, else a new build. Builds of a session
// are serialised, so a crowd arriving at once costs one build.
func (h *Hub) Snapshot(sessionID string) (*Snapshot, error) {
	t := h.acquire(sessionID)
	snap, err := h.current(t)
	h.release(t)
	if isGone(err) {
		h.ForgetSession(sessionID)
	}
	return snap, err
}

func (h *Hub) current(t *topic) (*Snapshot, error) {
	t.build.Lock()
	defer t.build.Unlock()

	h.mu.Lock()
	latest, epoch := t.latest, t.epoch
	h.mu.Unlock()
	if latest != nil && latest.epoch == epoch {
		return latest, nil
	}

	doc, err := h.build(h.app, t.sessionID)
	if err != nil {
		return nil, err
	}
	// An advance touches two activities; a heartbeat-only burst touches
	// nothing public: such a change keeps the last version, and deliver
	// skips the clients that have it.
	if latest != nil && bytes.Equal(latest.JSON, doc.JSON) {
		same := *latest
		same.epoch = epoch
		// Places outside the public top can move while the document
		// stays the same.
		same.Standings = doc.Standings
		h.mu.Lock()
		if t.latest == latest {
			t.latest = &same
		}
		h.keepDocResultsLocked(t, doc, epoch)
		h.mu.Unlock()
		return &same, nil
	}
	head, ok := bytes.CutSuffix(doc.JSON, []byte(`"version":0}`))
	if !ok {
		return nil, fmt.Errorf("live state of session %s does not end with its version", t.sessionID)
	}
	// Builds of a session are serialised, so versions follow build order.
	version := h.nextVersion()
	data := append(head[:len(head):len(head)], `"version":`...)
	data = append(strconv.AppendInt(data, version, 10), '}')
	snap := &Snapshot{Document: doc, Version: version, Data: data, epoch: epoch}

	h.mu.Lock()
	defer h.mu.Unlock()
	if t.latest == nil || t.latest.Version < snap.Version {
		t.latest = snap
	}
	t.code = doc.Code
	// A dropped topic must not leave its code behind.
	if doc.Code != "" && h.topics[t.sessionID] == t {
		h.codes[doc.Code] = t.sessionID
	}
	h.keepDocResultsLocked(t, doc, epoch)
	return snap, nil
}

// keepDocResultsLocked caches the public results a build of the document
// read, unless a change came since the build started. h.mu must be held.
func (h *Hub) keepDocResultsLocked(t *topic, doc Document, epoch uint64) {
	if doc.ActivityID == "" || doc.Results == nil || t.epoch != epoch {
		return
	}
	h.keepResultsLocked(t, doc.ActivityID, &ActivityResults{SessionID: t.sessionID, Public: true, Doc: doc.Results})
}

func (h *Hub) nextVersion() int64 {
	h.mu.Lock()
	defer h.mu.Unlock()
	// Microseconds since the epoch, so versions also grow across restarts.
	h.version = max(h.version+1, h.opts.clock.Now().UnixMicro())
	return h.version
}
