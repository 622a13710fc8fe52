package server

import (
	"net/http"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"conflicto/config"
)

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
