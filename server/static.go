package server

import (
	"io/fs"
	"net/http"
	"strings"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
)

// pages are the web app's addresses that are not files: each serves one
// page of pb_public, which reads the session code from its own path (the
// host's console keeps its place in the address's fragment).
var pages = []struct{ path, file string }{
	{"/join", "app/join.html"},
	{"/join/{code}", "app/join.html"},
	{"/screen", "app/screen.html"},
	{"/screen/{code}", "app/screen.html"},
	{"/host", "app/host.html"},
	{"/host/{$}", "app/host.html"},
}

// gzipMinLength is the smallest response worth compressing.
const gzipMinLength = 1024

// registerStatic serves public at /: the web app's pages at their
// addresses, the files, and the landing page as the fallback for unknown
// paths. The /api/
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
			zip := apis.GzipWithConfig(apis.GzipConfig{MinLength: gzipMinLength})
			for _, p := range pages {
				e.Router.GET(p.path, page(public, p.file)).Bind(zip)
			}
			if !e.Router.HasRoute(http.MethodGet, "/{path...}") {
				e.Router.GET("/{path...}", func(re *core.RequestEvent) error {
					if isAPIPath(re.Request.URL.Path) {
						return re.NotFoundError("", nil)
					}
					return static(re)
				}).Bind(zip)
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

// page serves one file of public whatever the path's parameters are.
func page(public fs.FS, file string) func(*core.RequestEvent) error {
	return func(e *core.RequestEvent) error {
		return e.FileFS(public, file)
	}
}
