// Package hooks binds Conflicto's rules, routes and middlewares to a
// PocketBase app: one file per domain, each with an unexported register
// function that Register calls.
package hooks

import (
	"io/fs"
	"log/slog"

	"github.com/pocketbase/pocketbase/core"

	"conflicto/config"
)

// Register binds everything Conflicto adds to app. logger receives the
// process logs (stdout); public holds the static files served at /.
func Register(app core.App, cfg config.Config, logger *slog.Logger, public fs.FS) {
	registerAuth(app, cfg, logger)
	registerSessions(app, cfg)
	registerActivities(app)
	presence := newPresenceWriter(app, presenceFlushInterval)
	registerParticipants(app, cfg, presence)
	registerLive(app, cfg)
	registerResponses(app, presence)
}
