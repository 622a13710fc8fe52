package server

import (
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"

	c "conflicto/collections"
)

// A kicked phone hears of it at once: the server closes the realtime
// connections of a participant whose record is deleted. The phone follows
// the live topic, which names nobody, and PocketBase, after the delete,
// only forgets the auth of the connections that carried the participant's
// token: they stay open as a guest's and nothing tells the phone. Closed,
// the SDK reconnects within a fraction of a second and the page reads its
// `me`, which is gone: the kicked screen. No other phone reads anything.
// (A record subscription to the participant's own participants/{id} does
// get PocketBase's delete event, but only while the page keeps that
// subscription across its resubscribes; a closed connection reaches the
// phone whatever it subscribed to, and every tab of the participant.)

func registerKickedRealtime(app core.App) {
	app.OnModelAfterDeleteSuccess(c.Participants).Bind(&hook.Handler[*core.ModelEvent]{
		Id: "conflictoCloseKickedRealtime",
		// After the commit, and before PocketBase's own handler (-99)
		// forgets which connections carried the participant's token.
		Priority: -100,
		Func: func(e *core.ModelEvent) error {
			if id, ok := e.Model.PK().(string); ok {
				closeRealtimeOf(e.App, id)
			}
			return e.Next()
		},
	})
}

// closeRealtimeOf ends every realtime connection authenticated as the
// participant: unregistered, a client's queue is closed, and its
// connection loop writes what was queued and returns. A kick is rare; the
// walk over the clients is the one PocketBase makes for the same delete.
func closeRealtimeOf(app core.App, participantID string) {
	broker := app.SubscriptionsBroker()
	for id, client := range broker.Clients() {
		auth, _ := client.Get(apis.RealtimeClientAuthKey).(*core.Record)
		if auth != nil && auth.Id == participantID && auth.Collection().Name == c.Participants {
			broker.Unregister(id)
		}
	}
}
