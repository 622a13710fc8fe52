// Package server is Conflicto's HTTP plumbing around PocketBase: the
// operational request log, strict request bodies, CORS, the SIGTERM drain,
// the readiness endpoint, the realtime client wrapper (bounded queues and
// subscription indexing), the static files and the access settings applied
// at start (auth.go).
// None of it knows Conflicto's rules, which live in package hooks; it is
// what any deployment of the server needs whatever the records mean.
package server

import (
	"io/fs"
	"log/slog"

	"github.com/pocketbase/pocketbase/core"

	"conflicto/config"
)

// Register binds the plumbing to app. It must run before the record rules
// are bound (wire.App calls it first): hooks of equal priority run in the
// order they were bound, and the request log and the body checks are to
// see every request before any rule does. logger receives the request log
// (stdout); public holds the static files served at / (nil for none).
func Register(app core.App, cfg config.Config, logger *slog.Logger, public fs.FS) {
	registerRequestLog(app, logger)
	registerAudienceLogSkip(app)
	registerBodyLimits(app)
	registerStrictBodies(app)
	registerLifecycle(app)
	registerRealtimeClients(app, cfg.MaxRealtime)
	registerKickedRealtime(app)
	registerCORS(app, cfg)
	registerHealth(app)
	registerAuth(app, cfg, logger)
	registerSettings(app, cfg, logger)
	registerRateLimits(app, cfg)
	registerBackups(app, cfg, logger)
	registerParticipantWrites(app, cfg, logger)
	registerBatchGuard(app)
	registerParticipantAuth(app)
	registerParticipantTokens(app, cfg)
	registerPprof(app, cfg)
	registerStatic(app, public)
}
