package server

import (
	"context"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
)

// DrainTimeout is how long SIGTERM waits for in-flight requests. ECS
// sends SIGKILL 30 s after SIGTERM by default; the task's stopTimeout and
// docker-compose.yml's stop_grace_period must exceed this (a test holds
// the compose file to it).
const DrainTimeout = 10 * time.Second

// registerLifecycle makes SIGTERM drain: PocketBase's own shutdown gives
// in-flight requests one second. Ours runs first: it closes the realtime
// connections (long-lived by design; the SDK reconnects to another task),
// then waits up to DrainTimeout for the other requests to finish.
func registerLifecycle(app core.App) {
	var server atomic.Pointer[http.Server]
	app.OnServe().BindFunc(func(e *core.ServeEvent) error {
		server.Store(e.Server)
		return e.Next()
	})
	app.OnTerminate().Bind(&hook.Handler[*core.TerminateEvent]{
		Priority: -10000, // before PocketBase's "pbGracefulShutdown" (-9999)
		Func: func(e *core.TerminateEvent) error {
			srv := server.Load()
			if srv == nil || e.IsRestart {
				return e.Next()
			}
			broker := e.App.SubscriptionsBroker()
			for id := range broker.Clients() {
				broker.Unregister(id)
			}
			ctx, cancel := context.WithTimeout(context.Background(), DrainTimeout)
			defer cancel()
			if err := srv.Shutdown(ctx); err != nil {
				e.App.Logger().Warn("requests still running at shutdown", "error", err)
			}
			return e.Next()
		},
	})
}
