package hooks

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/subscriptions"

	c "conflicto/collections"
)

// liveInterval is the least time between two live messages of one session.
const liveInterval = 200 * time.Millisecond

// Tally changes (answers, joins) of a large audience coalesce longer than
// what the audience is waiting for (a new activity, a reveal, the session
// ending): every message goes to every phone, and a keynote's 3,000 phones
// at 5 messages a second would spend the CPU the answers need. The gap
// grows by liveInterval per tallyAudienceStep subscribers, up to
// maxTallyInterval; the final state still always goes out.
const (
	tallyAudienceStep = 500
	maxTallyInterval  = 2 * time.Second
)

// livePrefix starts every live topic: live/{CODE}.
const livePrefix = "live/"

// Keys in a realtime client's store. The version key dedupes the welcome
// document against a broadcast of the same version; the alias key remembers
// the exact name a client subscribed with (e.g. a lower-case code), which is
// the event name its SDK listens to.
const (
	liveVersionKey = "conflicto.live.version:"
	liveAliasKey   = "conflicto.live.alias:"
)

// deliveryChunk is how many subscribers one goroutine sends to, as in
// PocketBase's own broadcasts: a slow client delays only its chunk.
const deliveryChunk = 150

// liveHub keeps the live state of every session and pushes it to the
// subscribers of live/{code}. Changes only mark a session dirty (no query on
// the hot path); a per-session timer then builds the document once, marshals
// it once and sends the same bytes to every subscriber, at most once per
// interval, the trailing change always included. The last document is cached
// for GET /api/live/{code} until the next change.
type liveHub struct {
	app       core.App
	publicURL string
	interval  time.Duration

	mu         sync.Mutex
	closed     bool
	version    int64                 // last version handed out
	topics     map[string]*liveTopic // by session id
	codes      map[string]string     // join code → session id (codes never change)
	activities map[string]string     // activity id → session id (immutable relation)
}

// liveTopic is the live state of one session.
type liveTopic struct {
	sessionID string

	// Guarded by liveHub.mu.
	code     string
	epoch    uint64      // bumped by every change
	urgent   bool        // a pending change the audience waits for
	audience int         // subscribers at the last delivery
	timer    *time.Timer // the pending flush, if any
	due      time.Time   // when the pending flush fires
	flushing bool
	lastSent time.Time
	latest   *liveSnapshot // newest document built

	build sync.Mutex // one build per session at a time
	send  sync.Mutex // deliveries of a session go out in version order
}

// liveSnapshot is one marshalled live document.
type liveSnapshot struct {
	epoch      uint64 // the topic's epoch when the build started
	version    int64
	code       string
	activityID string // the current activity, for `me`
	content    []byte // the document with version 0, to spot no-op changes
	data       []byte
}

// liveTarget is one subscription to deliver to, by the name the client used.
type liveTarget struct {
	client subscriptions.Client
	name   string
}

func newLiveHub(app core.App, publicURL string, interval time.Duration) *liveHub {
	return &liveHub{
		app:        app,
		publicURL:  publicURL,
		interval:   interval,
		topics:     map[string]*liveTopic{},
		codes:      map[string]string{},
		activities: map[string]string{},
	}
}

// topicLocked returns the session's topic, creating it. h.mu must be held.
func (h *liveHub) topicLocked(sessionID string) *liveTopic {
	t := h.topics[sessionID]
	if t == nil {
		t = &liveTopic{sessionID: sessionID}
		h.topics[sessionID] = t
	}
	return t
}

func (h *liveHub) topic(sessionID string) *liveTopic {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.topicLocked(sessionID)
}

// markDirty records a change of the session's live state that its
// audience waits for and makes sure a flush is scheduled soon.
func (h *liveHub) markDirty(sessionID string) { h.mark(sessionID, true) }

// markTally records a change of counts or results (an answer, a join).
func (h *liveHub) markTally(sessionID string) { h.mark(sessionID, false) }

// mark records a change and schedules a flush. It never touches the
// database.
func (h *liveHub) mark(sessionID string, urgent bool) {
	if sessionID == "" {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return
	}
	t := h.topicLocked(sessionID)
	t.epoch++
	t.urgent = t.urgent || urgent
	h.scheduleLocked(t)
}

// gapLocked is the least time between two deliveries of the topic's
// pending change.
func (h *liveHub) gapLocked(t *liveTopic) time.Duration {
	if t.urgent {
		return h.interval
	}
	return min(h.interval*time.Duration(1+t.audience/tallyAudienceStep), max(maxTallyInterval, h.interval))
}

// scheduleLocked arms the flush timer: right away after a quiet period (the
// leading edge), else one interval after the last delivery. A change during a
// flush is picked up when that flush ends.
func (h *liveHub) scheduleLocked(t *liveTopic) {
	if t.flushing || h.closed {
		return
	}
	due := t.lastSent.Add(h.gapLocked(t))
	if t.timer != nil {
		if !due.Before(t.due) || !t.timer.Stop() {
			return // armed soon enough, or firing right now
		}
	}
	t.due = due
	t.timer = time.AfterFunc(max(time.Until(due), 0), func() { h.flush(t) })
}

// markActivity marks a tally change in the session of an activity (an
// answer). The activity →
// session map is filled by the activity hooks; a miss (after a restart) is
// resolved off the caller's path.
func (h *liveHub) markActivity(activityID string) {
	h.mu.Lock()
	sessionID, ok := h.activities[activityID]
	h.mu.Unlock()
	if ok {
		h.markTally(sessionID)
		return
	}
	go func() {
		var sessionID string
		err := h.app.DB().Select(c.ActivitySession).From(c.Activities).
			Where(dbx.HashExp{"id": activityID}).Row(&sessionID)
		if err != nil {
			if !errors.Is(err, sql.ErrNoRows) {
				h.app.Logger().Warn("live: find session of activity", "activity", activityID, "error", err)
			}
			return
		}
		h.rememberActivity(activityID, sessionID)
		h.markTally(sessionID)
	}()
}

func (h *liveHub) rememberActivity(activityID, sessionID string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.activities[activityID] = sessionID
}

func (h *liveHub) forgetActivity(activityID string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.activities, activityID)
}

func (h *liveHub) rememberSession(sessionID, code string) {
	if code == "" {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.codes[code] = sessionID
	h.topicLocked(sessionID).code = code
}

// forgetSession drops a deleted session's state.
func (h *liveHub) forgetSession(sessionID string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if t := h.topics[sessionID]; t != nil {
		if t.timer != nil {
			t.timer.Stop()
		}
		delete(h.topics, sessionID)
	}
	for code, id := range h.codes {
		if id == sessionID {
			delete(h.codes, code)
		}
	}
	for a, id := range h.activities {
		if id == sessionID {
			delete(h.activities, a)
		}
	}
}

// stop cancels every pending flush; the hub sends nothing afterwards.
func (h *liveHub) stop() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closed = true
	for _, t := range h.topics {
		if t.timer != nil {
			t.timer.Stop()
			t.timer = nil
		}
	}
}

// sessionIDByCode resolves an upper-case join code; sql.ErrNoRows if unknown.
func (h *liveHub) sessionIDByCode(code string) (string, error) {
	h.mu.Lock()
	id, ok := h.codes[code]
	h.mu.Unlock()
	if ok {
		return id, nil
	}
	err := h.app.DB().Select("id").From(c.Sessions).
		Where(dbx.HashExp{c.SessionCode: code}).Limit(1).Row(&id)
	if err != nil {
		return "", err
	}
	h.rememberSession(id, code)
	return id, nil
}

func (h *liveHub) nextVersion() int64 {
	h.mu.Lock()
	defer h.mu.Unlock()
	// Microseconds since the epoch, so versions also grow across restarts.
	h.version = max(h.version+1, time.Now().UnixMicro())
	return h.version
}

// snapshot returns the session's current document: the cached one when no
// change happened since it was built, else a new build. Builds of a session
// are serialised, so a crowd arriving at once costs one build.
func (h *liveHub) snapshot(t *liveTopic) (*liveSnapshot, error) {
	t.build.Lock()
	defer t.build.Unlock()

	h.mu.Lock()
	latest, epoch := t.latest, t.epoch
	h.mu.Unlock()
	if latest != nil && latest.epoch == epoch {
		return latest, nil
	}

	// Marshalled once with version 0: a change that leaves the document as
	// it was (an advance touches two activities; a heartbeat-only burst)
	// keeps the last version, and deliver skips clients that have it.
	doc, activityID, err := buildLiveDoc(h.app, t.sessionID, h.publicURL, 0)
	if err != nil {
		return nil, err
	}
	content, err := json.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("marshal live state of session %s: %w", t.sessionID, err)
	}
	if latest != nil && bytes.Equal(latest.content, content) {
		same := *latest
		same.epoch = epoch
		h.mu.Lock()
		if t.latest == latest {
			t.latest = &same
		}
		h.mu.Unlock()
		return &same, nil
	}
	// Builds of a session are serialised, so versions follow build order.
	version := h.nextVersion()
	data, ok := bytes.CutSuffix(content, []byte(`"version":0}`))
	if !ok {
		return nil, fmt.Errorf("live state of session %s does not end with its version", t.sessionID)
	}
	data = append(append(data[:len(data):len(data)], `"version":`...), strconv.AppendInt(nil, version, 10)...)
	data = append(data, '}')
	snap := &liveSnapshot{epoch: epoch, version: version, code: doc.Session.Code, activityID: activityID, content: content, data: data}

	h.mu.Lock()
	if t.latest == nil || t.latest.version < snap.version {
		t.latest = snap
	}
	t.code = snap.code
	if snap.code != "" {
		h.codes[snap.code] = t.sessionID
	}
	h.mu.Unlock()
	return snap, nil
}

// flush sends the session's state to its subscribers (the timer's job).
func (h *liveHub) flush(t *liveTopic) {
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		return
	}
	t.timer, t.flushing, t.urgent = nil, true, false
	covered, code := t.epoch, t.code
	h.mu.Unlock()

	if sent, err := h.broadcast(t, code); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			h.forgetSession(t.sessionID)
			return
		}
		h.app.Logger().Error("live: broadcast", "session", t.sessionID, "error", err)
	} else if sent != nil {
		covered = sent.epoch
	}

	h.mu.Lock()
	defer h.mu.Unlock()
	t.flushing = false
	t.lastSent = time.Now()
	if t.epoch != covered {
		h.scheduleLocked(t)
	}
}

// broadcast builds the document, if anyone listens, and delivers it. It
// returns the snapshot sent (nil when nobody listens).
func (h *liveHub) broadcast(t *liveTopic, code string) (*liveSnapshot, error) {
	if code == "" { // first time: the build tells the code
		snap, err := h.snapshot(t)
		if err != nil {
			return nil, err
		}
		code = snap.code
	}
	targets := h.subscribers(code)
	h.mu.Lock()
	t.audience = len(targets)
	h.mu.Unlock()
	if len(targets) == 0 {
		return nil, nil
	}
	snap, err := h.snapshot(t)
	if err != nil {
		return nil, err
	}
	return h.deliver(t, snap, targets, false), nil
}

// subscribers lists the clients subscribed to live/{code}. It runs over
// every realtime client with map lookups only, as PocketBase's own
// broadcasts do.
func (h *liveHub) subscribers(code string) []liveTarget {
	if code == "" {
		return nil
	}
	topic := livePrefix + code
	var targets []liveTarget
	for _, chunk := range h.app.SubscriptionsBroker().ChunkedClients(deliveryChunk * 10) {
		for _, client := range chunk {
			if client.HasSubscription(topic) {
				targets = append(targets, liveTarget{client, topic})
			}
			if alias, ok := client.Get(liveAliasKey + topic).(string); ok && alias != topic && client.HasSubscription(alias) {
				targets = append(targets, liveTarget{client, alias})
			}
		}
	}
	return targets
}

// deliver sends one snapshot to targets, in chunks in parallel, and returns
// what it sent: the newest snapshot built by then, which may be newer than
// snap. Under the topic's send lock versions only grow per subscriber, and a
// subscriber that has a version already is skipped unless force is set.
func (h *liveHub) deliver(t *liveTopic, snap *liveSnapshot, targets []liveTarget, force bool) *liveSnapshot {
	t.send.Lock()
	defer t.send.Unlock()
	h.mu.Lock()
	if t.latest != nil && t.latest.version > snap.version {
		snap = t.latest
	}
	h.mu.Unlock()

	send := func(targets []liveTarget) {
		for _, tg := range targets {
			key := liveVersionKey + tg.name
			if v, ok := tg.client.Get(key).(int64); ok && v >= snap.version && !force {
				continue
			}
			tg.client.Set(key, snap.version)
			tg.client.Send(subscriptions.Message{Name: tg.name, Data: snap.data})
		}
	}
	if len(targets) <= deliveryChunk {
		send(targets)
		return snap
	}
	var wg sync.WaitGroup
	for start := 0; start < len(targets); start += deliveryChunk {
		chunk := targets[start:min(start+deliveryChunk, len(targets))]
		wg.Go(func() { send(chunk) })
	}
	wg.Wait()
	return snap
}

// welcome sends the current document to a client that just subscribed to
// a live topic (name is the topic as the client wrote it), so a client
// arriving at any moment, a reconnect included, starts from the state.
func (h *liveHub) welcome(client subscriptions.Client, name string) {
	code, ok := liveTopicCode(name)
	if !ok {
		return
	}
	sessionID, err := h.sessionIDByCode(code)
	if err != nil {
		if !errors.Is(err, sql.ErrNoRows) {
			h.app.Logger().Warn("live: find session by code", "code", code, "error", err)
		}
		return
	}
	if canonical := livePrefix + code; name != canonical {
		client.Set(liveAliasKey+canonical, name)
	}
	t := h.topic(sessionID)
	snap, err := h.snapshot(t)
	if err != nil {
		h.app.Logger().Warn("live: welcome", "session", sessionID, "error", err)
		return
	}
	h.deliver(t, snap, []liveTarget{{client, name}}, true)
}

// liveTopicCode extracts the upper-cased join code of a live topic name
// ("live/abc123", with any "?options=..." suffix of the SDK removed).
func liveTopicCode(name string) (string, bool) {
	rest, ok := strings.CutPrefix(name, livePrefix)
	if !ok {
		return "", false
	}
	rest, _, _ = strings.Cut(rest, "?")
	code := strings.ToUpper(rest)
	return code, c.ValidCode(code)
}
