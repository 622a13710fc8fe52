package server

import "github.com/pocketbase/pocketbase/core"

// Observer is told of what the plumbing does that an operator counts:
// wire hands it the metrics' counters (no room imports metrics). A nil
// func is skipped.
type Observer struct {
	// RealtimeDropped: a realtime client that stopped reading was dropped
	// (its queue was full).
	RealtimeDropped func()
	// RefusalHeld: a refusal of a client that ignored Retry-After was held
	// (throttle.go).
	RefusalHeld func()
}

const observerKey = "conflicto.server.observer"

// Observe sets app's observer; call it before the server starts.
func Observe(app core.App, o Observer) { app.Store().Set(observerKey, o) }

func observerOf(app core.App) Observer {
	o, _ := app.Store().Get(observerKey).(Observer)
	return o
}

func (o Observer) realtimeDropped() {
	if o.RealtimeDropped != nil {
		o.RealtimeDropped()
	}
}

func (o Observer) refusalHeld() {
	if o.RefusalHeld != nil {
		o.RefusalHeld()
	}
}
