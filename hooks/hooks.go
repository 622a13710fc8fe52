// Package hooks binds Conflicto's rules, routes and middlewares to a
// PocketBase app: one file per domain, each with an unexported register
// function that Register calls.
package hooks

import (
	"io/fs"
	"log/slog"
	"net/http"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"

	"conflicto/config"
	"conflicto/presence"
)

// Register binds everything Conflicto adds to app. logger receives the
// process logs (stdout); public holds the static files served at /.
func Register(app core.App, cfg config.Config, logger *slog.Logger, public fs.FS, p *presence.Writer) {
	registerRequestLog(app, logger)
	registerStrictBodies(app)
	registerLifecycle(app)
	registerRealtimeClients(app)
	registerCORS(app, cfg)
	registerHealth(app)
	registerAuth(app, cfg, logger)
	registerSessions(app, cfg)
	registerActivities(app)
	registerParticipants(app, p)
	registerLive(app, cfg)
	registerResponses(app, p)
	registerStatic(app, public)
}

// corsMiddlewareId identifies Conflicto's CORS middleware.
const corsMiddlewareId = "conflictoCors"

func registerCORS(app core.App, cfg config.Config) {
	app.OnServe().BindFunc(func(e *core.ServeEvent) error {
		// apis.Serve binds its own CORS middleware; ours replaces it so the
		// same configured origins apply in tests, which build the router
		// without apis.Serve.
		e.Router.Unbind(apis.DefaultCorsMiddlewareId)
		cors := apis.CORS(apis.CORSConfig{
			AllowOrigins: cfg.CORSOrigins,
			AllowMethods: []string{http.MethodGet, http.MethodHead, http.MethodPut, http.MethodPatch, http.MethodPost, http.MethodDelete},
		})
		// Unbind also marks the id as excluded in every child group and
		// route (/api/...), so a replacement under the same id would only
		// run at the root: CORS headers on preflights, none on responses.
		cors.Id = corsMiddlewareId
		e.Router.Bind(cors)
		return e.Next()
	})
}

func registerStatic(app core.App, public fs.FS) {
	if public == nil {
		return
	}
	app.OnServe().Bind(&hook.Handler[*core.ServeEvent]{
		Func: func(e *core.ServeEvent) error {
			if !e.Router.HasRoute(http.MethodGet, "/{path...}") {
				e.Router.GET("/{path...}", apis.Static(public, true))
			}
			return e.Next()
		},
		Priority: 999, // after every other route
	})
}
