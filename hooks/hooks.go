// Package hooks holds Conflicto's record rules: the OnRecord* hooks of
// sessions, activities (and their order), participants (and nicknames),
// responses, and a Q&A's questions and votes. They run on every save path
// — REST, batch, the dashboard, Go code — so the rules hold whoever writes. One file per collection, each with
// an unexported register function that Register calls; refusals.go explains
// the collections' API rule refusals with field codes; moderation.go holds
// the word filter's record rules (a session's blocked_words, nicknames, and
// FilterText for any text of a session).
package hooks

import (
	"github.com/pocketbase/pocketbase/core"

	"conflicto/config"
	"conflicto/presence"
)

// Register binds the record rules to app; p records the participants'
// signs of life.
func Register(app core.App, cfg config.Config, p *presence.Writer) {
	registerSessions(app)
	registerActivities(app)
	registerParticipants(app, p)
	registerResponses(app, p)
	registerQuestions(app, p)
	registerQuestionVotes(app, p)
	registerRefusals(app)
}
