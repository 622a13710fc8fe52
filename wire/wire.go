// Package wire binds everything Conflicto adds to a PocketBase app, in the
// order it must run. main and the tests call the same App, so a test app
// is the server that ships.
package wire

import (
	"io/fs"
	"log/slog"

	"github.com/pocketbase/pocketbase/core"

	"conflicto/commands"
	"conflicto/config"
	"conflicto/hooks"
	"conflicto/live"
	"conflicto/memo"
	"conflicto/metrics"
	"conflicto/openapi"
	"conflicto/presence"
	"conflicto/routes"
	"conflicto/server"
)

// App binds Conflicto's plumbing, record rules, live engine and routes to
// app. logger receives the process logs (stdout); public holds the static
// files served at / (nil in tests that need none).
func App(app core.App, cfg config.Config, logger *slog.Logger, public fs.FS) {
	memo.Register(app)
	m := metrics.Register(app, cfg.MetricsToken)
	server.Observe(app, server.Observer{RealtimeDropped: m.CountRealtimeDropped, RefusalHeld: m.CountRefusalHeld})
	server.Register(app, cfg, logger, public)
	p := presence.New(app, presence.FlushInterval)
	p.OnFlush(m.ObservePresenceFlush)
	hooks.Register(app, cfg, p)
	hub := live.Register(app, cfg)
	m.SetLive(func() metrics.LiveStats {
		s := hub.Stats()
		return metrics.LiveStats{Changes: s.Changes, Coalesced: s.Coalesced, Broadcasts: s.Broadcasts, Sent: s.Sent}
	})
	routes.Register(app, cfg, p, hub)
	openapi.Register(app, commands.Version, cfg.MetricsToken != "")
}
