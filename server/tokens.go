package server

import (
	"net/http"
	"time"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"

	c "conflicto/collections"
	"conflicto/config"
	"conflicto/memo"
)

// registerParticipantTokens ties a participant's token to their session:
// once the session is completed, the token keeps working for
// cfg.ParticipantGrace (the results screen) and is then ignored on every
// request, auth-refresh included, as an expired token is. The token's own
// life is the participants collection's (12 hours, a migration); without
// this, auth-refresh would keep a token alive forever after the event.
func registerParticipantTokens(app core.App, cfg config.Config) {
	app.OnServe().BindFunc(func(e *core.ServeEvent) error {
		e.Router.Bind(&hook.Handler[*core.RequestEvent]{
			Id: "conflictoParticipantTokens",
			// Right after PocketBase has read the token into e.Auth, so
			// that every later middleware and handler sees the outcome.
			Priority: apis.DefaultLoadAuthTokenMiddlewarePriority + 1,
			Func: func(e *core.RequestEvent) error {
				if c.IsBanned(e.Auth) {
					return refuseBanned(e)
				}
				if e.Auth != nil && e.Auth.Collection().Name == c.Participants &&
					participantTokenEnded(e.App, e.Auth, cfg.ParticipantGrace, time.Now()) {
					// What PocketBase does with an expired token: the request
					// goes on as a guest, and routes that need a token
					// answer 401.
					e.Auth = nil
				}
				return e.Next()
			},
		})
		return e.Next()
	})
	// A ban ends the participant's realtime connections at once.
	app.OnRecordAfterUpdateSuccess(c.Participants).BindFunc(func(e *core.RecordEvent) error {
		if c.IsBanned(e.Record) {
			hangUpBanned(e.App, e.Record.Id)
		}
		return e.Next()
	})
}

// refuseBanned treats a banned participant's token as a dead one: the
// request goes on as a guest's, so routes that need a token answer 401
// (hooks/refusals.go answers 401 on the record routes, as for a kicked
// participant's token) and the live state has no "me". A realtime
// subscribe with it is refused with 401 outright: as a guest it would
// quietly keep following the session. POST /api/join reads the token
// itself to refuse the banned device (routes/moderation.go).
func refuseBanned(e *core.RequestEvent) error {
	e.Auth = nil
	if e.Request.Method == http.MethodPost && e.Request.URL.Path == "/api/realtime" {
		return apis.NewUnauthorizedError("The host removed you from this session.", nil)
	}
	return e.Next()
}

// hangUpBanned ends every realtime connection authenticated as the
// participant: each client leaves the broker, its subscriptions with it,
// and its queue is closed, which ends its connection. The SDK reconnects;
// its subscribe with the banned token is refused (refuseBanned).
func hangUpBanned(app core.App, participantID string) {
	broker := app.SubscriptionsBroker()
	for _, chunk := range broker.ChunkedClients(500) {
		for _, client := range chunk {
			auth, _ := client.Get(apis.RealtimeClientAuthKey).(*core.Record)
			if auth != nil && auth.Id == participantID && auth.Collection().Name == c.Participants {
				client.Unsubscribe()
				broker.Unregister(client.Id())
			}
		}
	}
}

// participantTokenEnded reports whether participant's session was
// completed more than grace before now. A session that cannot be read
// counts as ended (fail closed): the request goes on as a guest's.
func participantTokenEnded(app core.App, participant *core.Record, grace time.Duration, now time.Time) bool {
	// From the memo: this runs for every request a phone makes.
	session, err := memo.Of(app).Session(app, participant.GetString(c.ParticipantSession))
	if err != nil {
		return true
	}
	if session.Status != c.SessionCompleted {
		return false
	}
	// A completed session without ended_at (set by hand) has no grace.
	return session.EndedAt.IsZero() || now.After(session.EndedAt.Time().Add(grace))
}
