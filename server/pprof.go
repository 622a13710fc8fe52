package server

import (
	"net/http"
	"net/http/pprof"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"conflicto/config"
)

// registerPprof serves Go's profiler at /debug/pprof/ when
// CONFLICTO_PPROF is on, which config allows in development only: the
// routes have no token. It is for profiling the server while the load
// tool runs against it on loopback, e.g.
//
//	go tool pprof 'http://127.0.0.1:8090/debug/pprof/profile?seconds=20'
func registerPprof(app core.App, cfg config.Config) {
	if !cfg.Pprof {
		return
	}
	app.OnServe().BindFunc(func(e *core.ServeEvent) error {
		g := e.Router.Group("/debug/pprof")
		// Index serves the listing at / and each named profile (heap,
		// goroutine, allocs, ...) by the path's last element.
		g.GET("/", apis.WrapStdHandler(http.HandlerFunc(pprof.Index)))
		g.GET("/{name}", apis.WrapStdHandler(http.HandlerFunc(pprof.Index)))
		g.GET("/cmdline", apis.WrapStdHandler(http.HandlerFunc(pprof.Cmdline)))
		g.GET("/profile", apis.WrapStdHandler(http.HandlerFunc(pprof.Profile)))
		g.GET("/symbol", apis.WrapStdHandler(http.HandlerFunc(pprof.Symbol)))
		g.GET("/trace", apis.WrapStdHandler(http.HandlerFunc(pprof.Trace)))
		return e.Next()
	})
}
