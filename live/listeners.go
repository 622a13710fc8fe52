package live

import (
	"slices"

	"github.com/pocketbase/pocketbase/tools/subscriptions"
)

// The hub keeps an index of who listens to which live topic, so that a
// change costs a look at its own topic's subscribers only, not at every
// realtime connection of the server (a hall of 2,000 phones and another
// of 5,000 on one server: each change of either used to walk all 7,000,
// with two locked map reads each). A client enters the index when it is
// welcomed to a topic (every live subscription is: the subscribe hook
// welcomes each name), leaves a topic when a subscribe no longer names it
// (keepTopics), and leaves the index when its connection ends, or at the
// next broadcast once it has been discarded (PocketBase discards a client
// when it unregisters it: a drop, a kick, a ban, a closed connection).

// follow records that client listens to the topic canonical under name.
// A discarded client is not recorded: its connection has ended, or is
// ending, and nothing would take it out again.
func (h *Hub) follow(client subscriptions.Client, canonical, name string) {
	s := h.sentTo(target{client: client, name: name})
	h.listenMu.Lock()
	defer h.listenMu.Unlock()
	if client.IsDiscarded() {
		return
	}
	byClient := h.listeners[canonical]
	if byClient == nil {
		byClient = map[subscriptions.Client][]target{}
		h.listeners[canonical] = byClient
	}
	tgs, known := byClient[client]
	if slices.ContainsFunc(tgs, func(tg target) bool { return tg.name == name }) {
		return
	}
	if !known {
		h.following[client] = append(h.following[client], canonical)
	}
	byClient[client] = append(tgs, target{client: client, name: name, sent: s})
}

// keepFollowing takes client out of the index under every name but names.
func (h *Hub) keepFollowing(client subscriptions.Client, names []string) {
	h.listenMu.Lock()
	defer h.listenMu.Unlock()
	h.keepFollowingLocked(client, names)
}

func (h *Hub) keepFollowingLocked(client subscriptions.Client, names []string) {
	var still []string
	for _, canonical := range h.following[client] {
		byClient := h.listeners[canonical]
		kept := slices.DeleteFunc(byClient[client], func(tg target) bool { return !slices.Contains(names, tg.name) })
		if len(kept) > 0 {
			byClient[client] = kept
			still = append(still, canonical)
			continue
		}
		delete(byClient, client)
		if len(byClient) == 0 {
			delete(h.listeners, canonical)
		}
	}
	if len(still) > 0 {
		h.following[client] = still
	} else {
		delete(h.following, client)
	}
}

// Unfollow takes a client out of the index: its connection ended.
func (h *Hub) Unfollow(client subscriptions.Client) { h.keepFollowing(client, nil) }

// listenersOf returns the subscriptions to the topic canonical, by the
// names the clients used; discarded clients leave the index instead.
func (h *Hub) listenersOf(canonical string) []target {
	h.listenMu.Lock()
	defer h.listenMu.Unlock()
	byClient := h.listeners[canonical]
	targets := make([]target, 0, len(byClient))
	var gone []subscriptions.Client
	for client, tgs := range byClient {
		if client.IsDiscarded() {
			gone = append(gone, client)
			continue
		}
		targets = append(targets, tgs...)
	}
	for _, client := range gone {
		h.keepFollowingLocked(client, nil)
	}
	return targets
}
