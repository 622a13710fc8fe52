package live

import (
	"slices"
	"sync"

	"github.com/pocketbase/pocketbase/tools/subscriptions"
)

// sentKey is the key in a realtime client's store of what each of its
// live subscriptions was sent (*sentSet), which keeps versions growing per
// subscription and dedupes a broadcast of a version it has.
const sentKey = "conflicto.live.sent"

// deliveryChunk is how many subscribers one goroutine sends to, as in
// PocketBase's own broadcasts.
const deliveryChunk = 150

// target is one subscription to deliver to, by the name the client used,
// with its record of what it was sent (looked up when nil).
type target struct {
	client subscriptions.Client
	name   string
	sent   *sent
}

// broadcast builds the document, if anyone listens, and delivers it. It
// returns the snapshot built (nil when nobody listens).
//
// The subscribers come from the hub's index (listeners.go), and are sent
// to in chunks in parallel (deliver). The document is built only when
// someone listens. A document whose version this topic has already
// broadcast (a change that shows nowhere, such as the second activity of
// an advance) is not sent again: everyone listening had it, or got it (or
// newer) by their welcome.
func (h *Hub) broadcast(t *topic, code string) (*Snapshot, error) {
	if code == "" { // first time: the build tells the code
		snap, err := h.current(t)
		if err != nil {
			return nil, err
		}
		code = snap.Code
	}
	targets := h.subscribers(code)
	h.mu.Lock()
	t.audience = len(targets)
	delivered := t.delivered
	h.mu.Unlock()
	if len(targets) == 0 {
		return nil, nil
	}
	snap, err := h.current(t)
	if err != nil {
		return nil, err
	}
	if snap.Version <= delivered {
		return snap, nil
	}
	h.counts.broadcasts.Add(1)
	h.deliver(t, snap, targets, false)
	h.mu.Lock()
	t.delivered = max(t.delivered, snap.Version)
	h.mu.Unlock()
	return snap, nil
}

// subscribers lists the subscriptions to live/{code}, by the names the
// clients used.
func (h *Hub) subscribers(code string) []target {
	if code == "" {
		return nil
	}
	return h.listenersOf(topicName(code))
}

// deliver sends one snapshot to targets, in chunks in parallel: snap, or
// the newest snapshot built by then when that is newer. Each
// subscription's last version is checked and sent under a lock of its
// own (sendTo), so versions only grow per subscriber however
// deliveries and welcomes interleave; a subscriber that has the version
// already is skipped unless welcome is set. No lock of the topic is held:
// a welcome never waits for a broadcast in progress.
//
// Send must not block: the server wraps every realtime client with a
// bounded queue (server/realtime_clients.go), which drops a client that
// stopped reading instead of waiting for it.
func (h *Hub) deliver(t *topic, snap *Snapshot, targets []target, welcome bool) {
	h.mu.Lock()
	if t.latest != nil && t.latest.Version > snap.Version {
		snap = t.latest
	}
	h.mu.Unlock()

	send := func(targets []target) {
		for _, tg := range targets {
			h.sendTo(tg, snap, welcome)
		}
	}
	if len(targets) <= deliveryChunk {
		send(targets)
		return
	}
	var wg sync.WaitGroup
	for start := 0; start < len(targets); start += deliveryChunk {
		chunk := targets[start:min(start+deliveryChunk, len(targets))]
		wg.Go(func() { send(chunk) })
	}
	wg.Wait()
}

// sent is what one subscription has been sent.
type sent struct {
	mu      sync.Mutex // held for a check and a send that does not block
	version int64
}

// sentSet is what the live subscriptions of one client were sent, by the
// name it subscribed with.
type sentSet struct {
	mu     sync.Mutex
	byName map[string]*sent
}

// sendTo sends snap to one subscription unless it has a newer version, or
// the same one and this is not a welcome.
func (h *Hub) sendTo(tg target, snap *Snapshot, welcome bool) {
	s := tg.sent
	if s == nil {
		s = h.sentTo(tg)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.version > snap.Version || (s.version == snap.Version && !welcome) {
		return
	}
	s.version = snap.Version
	h.counts.sent.Add(1)
	tg.client.Send(subscriptions.Message{Name: tg.name, Data: snap.Data})
}

// sentTo returns the subscription's record of what it was sent, creating
// it on first use.
func (h *Hub) sentTo(tg target) *sent {
	set := h.sentSetOf(tg.client)
	set.mu.Lock()
	defer set.mu.Unlock()
	s := set.byName[tg.name]
	if s == nil {
		s = &sent{}
		set.byName[tg.name] = s
	}
	return s
}

func (h *Hub) sentSetOf(client subscriptions.Client) *sentSet {
	if set, ok := client.Get(sentKey).(*sentSet); ok {
		return set
	}
	h.sentMu.Lock()
	defer h.sentMu.Unlock()
	if set, ok := client.Get(sentKey).(*sentSet); ok {
		return set
	}
	set := &sentSet{byName: map[string]*sent{}}
	client.Set(sentKey, set)
	return set
}

// keepTopics forgets what a client's live topics other than names were
// sent: a subscribe replaces all of a client's subscriptions, and a client
// cycling through aliases must not grow its records without bound.
func (h *Hub) keepTopics(client subscriptions.Client, names []string) {
	h.keepFollowing(client, names)
	set, ok := client.Get(sentKey).(*sentSet)
	if !ok {
		return
	}
	set.mu.Lock()
	defer set.mu.Unlock()
	for name := range set.byName {
		if !slices.Contains(names, name) {
			delete(set.byName, name)
		}
	}
}

// Welcome sends the current document to a client that just subscribed to
// name, so that a client arriving at any moment, a reconnect included,
// starts from the state. It waits for nobody's delivery, only for a build
// of the document when none is current. Names other than live topics are
// ignored; a live topic is matched case-insensitively, and the client gets
// its messages under the exact name it used.
func (h *Hub) Welcome(client subscriptions.Client, name string) {
	code, ok := topicCode(name)
	if !ok {
		return
	}
	h.follow(client, topicName(code), name)
	sessionID, err := h.SessionIDByCode(code)
	if err != nil {
		if !isGone(err) {
			h.app.Logger().Warn("live: find session by code", "code", code, "error", err)
		}
		return
	}
	if retired, err := h.Retired(sessionID); retired || err != nil {
		// Nothing for a session past its retention, as for an unknown code.
		if err != nil && !isGone(err) {
			h.app.Logger().Warn("live: session retention", "session", sessionID, "error", err)
		}
		return
	}
	t := h.acquire(sessionID)
	defer h.release(t)
	snap, err := h.current(t)
	if isGone(err) {
		h.ForgetSession(sessionID)
		return
	}
	if err != nil {
		h.app.Logger().Warn("live: welcome", "session", sessionID, "error", err)
		return
	}
	h.deliver(t, snap, []target{{client: client, name: name}}, true)
}
