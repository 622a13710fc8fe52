package live

import (
	"sync"

	"github.com/pocketbase/pocketbase/tools/subscriptions"
)

// Keys in a realtime client's store. The version key dedupes the welcome
// document against a broadcast of the same version; the alias key remembers
// the exact name a client subscribed with (e.g. a lower-case code), which is
// the event name its SDK listens to.
const (
	versionKey = "conflicto.live.version:"
	aliasKey   = "conflicto.live.alias:"
)

// deliveryChunk is how many subscribers one goroutine sends to, as in
// PocketBase's own broadcasts: a slow client delays only its chunk.
const deliveryChunk = 150

// target is one subscription to deliver to, by the name the client used.
type target struct {
	client subscriptions.Client
	name   string
}

// broadcast builds the document, if anyone listens, and delivers it. It
// returns the snapshot sent (nil when nobody listens).
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
	h.mu.Unlock()
	if len(targets) == 0 {
		return nil, nil
	}
	snap, err := h.current(t)
	if err != nil {
		return nil, err
	}
	return h.deliver(t, snap, targets, false), nil
}

// subscribers lists the clients subscribed to live/{code}. It runs over
// every realtime client with map lookups only, as PocketBase's own
// broadcasts do.
func (h *Hub) subscribers(code string) []target {
	if code == "" {
		return nil
	}
	name := topicName(code)
	var targets []target
	for _, chunk := range h.app.SubscriptionsBroker().ChunkedClients(deliveryChunk * 10) {
		for _, client := range chunk {
			if client.HasSubscription(name) {
				targets = append(targets, target{client, name})
			}
			if alias, ok := client.Get(aliasKey + name).(string); ok && alias != name && client.HasSubscription(alias) {
				targets = append(targets, target{client, alias})
			}
		}
	}
	return targets
}

// deliver sends one snapshot to targets, in chunks in parallel, and returns
// what it sent: the newest snapshot built by then, which may be newer than
// snap. Under the topic's send lock versions only grow per subscriber, and a
// subscriber that has a version already is skipped unless force is set.
func (h *Hub) deliver(t *topic, snap *Snapshot, targets []target, force bool) *Snapshot {
	t.send.Lock()
	defer t.send.Unlock()
	h.mu.Lock()
	if t.latest != nil && t.latest.Version > snap.Version {
		snap = t.latest
	}
	h.mu.Unlock()

	send := func(targets []target) {
		for _, tg := range targets {
			key := versionKey + tg.name
			if v, ok := tg.client.Get(key).(int64); ok && v >= snap.Version && !force {
				continue
			}
			tg.client.Set(key, snap.Version)
			tg.client.Send(subscriptions.Message{Name: tg.name, Data: snap.Data})
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

// Welcome sends the current document to a client that just subscribed to
// name, so that a client arriving at any moment, a reconnect included,
// starts from the state. Names other than live topics are ignored; a live
// topic is matched case-insensitively, and the client gets its messages
// under the exact name it used.
func (h *Hub) Welcome(client subscriptions.Client, name string) {
	code, ok := topicCode(name)
	if !ok {
		return
	}
	sessionID, err := h.SessionIDByCode(code)
	if err != nil {
		if !isGone(err) {
			h.app.Logger().Warn("live: find session by code", "code", code, "error", err)
		}
		return
	}
	if canonical := topicName(code); name != canonical {
		client.Set(aliasKey+canonical, name)
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
	h.deliver(t, snap, []target{{client, name}}, true)
}
