package server

import (
	"io/fs"
	"net/http"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
)

// pages are the web app's addresses that are not files: each serves one
// page of pb_public, which reads the session code from its own path.
var pages = []struct{ path, file string }{
	{"/join", "app/join.html"},
	{"/join/{code}", "app/join.html"},
	{"/screen", "app/screen.html"},
	{"/screen/{code}", "app/screen.html"},
}

// gzipMinLength is the smallest response worth compressing.
const gzipMinLength = 1024

func registerStatic(app core.App, public fs.FS) {
	if public == nil {
		return
	}
	app.OnServe().Bind(&hook.Handler[*core.ServeEvent]{
		Func: func(e *core.ServeEvent) error {
			zip := apis.GzipWithConfig(apis.GzipConfig{MinLength: gzipMinLength})
			for _, p := range pages {
				e.Router.GET(p.path, page(public, p.file)).Bind(zip)
			}
			if !e.Router.HasRoute(http.MethodGet, "/{path...}") {
				e.Router.GET("/{path...}", apis.Static(public, true)).Bind(zip)
			}
			return e.Next()
		},
		Priority: 999, // after every other route
	})
}

// page serves one file of public whatever the path's parameters are.
func page(public fs.FS, file string) func(*core.RequestEvent) error {
	return func(e *core.RequestEvent) error {
		return e.FileFS(public, file)
	}
}
