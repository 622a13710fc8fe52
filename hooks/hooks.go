// Package hooks holds Conflicto's record rules: the OnRecord* hooks of
// sessions, activities (and their order), participants (and nicknames) and
// responses, plus the start-up sync of the superuser and the sign-up rule,
// and the explanation of the API rules' refusals (refusals.go).
// They run on every save path — REST, batch, the dashboard, Go code — so the
// rules hold whoever writes. One file per collection, each with an
// unexported register function that Register calls.
package hooks

import (
	"log/slog"

	"github.com/pocketbase/pocketbase/core"

	"conflicto/config"
	"conflicto/presence"
)

// Register binds the record rules to app. logger receives the process logs
// (stdout); p records the participants' signs of life.
func Register(app core.App, cfg config.Config, logger *slog.Logger, p *presence.Writer) {
	registerAuth(app, cfg, logger)
	registerSettings(app, cfg, logger)
	registerSessions(app, cfg)
	registerActivities(app)
	registerParticipants(app, p)
	registerLive(app, cfg)
	registerResponses(app, p)
	registerRefusals(app)
}
