package server

import (
	"io/fs"
	"net/http"
	"strings"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
)

// registerStatic serves public at / with the landing page as the fallback
// for unknown paths (/join/CODE is a page of the landing app). The /api/
// namespace is not the landing page's: an unknown API path answers 404 JSON,
// so a client with a wrong URL gets an error it can read instead of a 200
// with HTML.
func registerStatic(app core.App, public fs.FS) {
	if public == nil {
		return
	}
	static := apis.Static(public, true)
	app.OnServe().Bind(&hook.Handler[*core.ServeEvent]{
		Func: func(e *core.ServeEvent) error {
			if !e.Router.HasRoute(http.MethodGet, "/{path...}") {
				e.Router.GET("/{path...}", func(re *core.RequestEvent) error {
					if isAPIPath(re.Request.URL.Path) {
						return re.NotFoundError("", nil)
					}
					return static(re)
				})
			}
			return e.Next()
		},
		Priority: 999, // after every other route
	})
}

// isAPIPath reports whether path is in the API's namespace.
func isAPIPath(path string) bool {
	return path == "/api" || strings.HasPrefix(path, "/api/")
}
