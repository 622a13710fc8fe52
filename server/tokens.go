package server

import (
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
