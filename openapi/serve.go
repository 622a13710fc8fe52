package openapi

import (
	"fmt"
	"net/http"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"conflicto/config"
	"conflicto/server"
)

// Register builds the document when the server starts, from the
// collections as they are then, and serves it at DocPath. A document that
// cannot be built stops the start. withMetrics says whether the server
// serves GET /api/metrics (CONFLICTO_METRICS_TOKEN is set).
func Register(app core.App, version string, withMetrics bool) {
	app.OnServe().BindFunc(func(e *core.ServeEvent) error {
		doc, err := Build(e.App, version, withMetrics)
		if err != nil {
			return err
		}
		e.Router.GET(DocPath, func(re *core.RequestEvent) error {
			re.Response.Header().Set("Cache-Control", "no-cache")
			return re.Blob(http.StatusOK, "application/json", doc)
		}).Bind(apis.BodyLimit(1 << 10))
		return e.Next()
	})
}

// Print builds the document as `conflicto openapi` prints it, without
// serving: the data folder is migrated and the hosts' sign-up rule set
// from cfg, as serve does at start, so the document is the one serve
// would build.
func Print(app core.App, cfg config.Config, version string) ([]byte, error) {
	if err := app.RunAllMigrations(); err != nil {
		return nil, fmt.Errorf("openapi: migrate: %w", err)
	}
	if err := server.SyncSignupRule(app, cfg.AllowSignup); err != nil {
		return nil, fmt.Errorf("openapi: sign-up rule: %w", err)
	}
	return Build(app, version, cfg.MetricsToken != "")
}
