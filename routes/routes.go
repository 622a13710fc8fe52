// Package routes holds every custom HTTP route of Conflicto in one table:
// method, path, guards and handler, like PocketBase's own apis package.
// The record routes (/api/collections/...) are PocketBase's; their rules
// are in hooks.
package routes

import (
	"net/http"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"

	c "conflicto/collections"
	"conflicto/config"
	"conflicto/live"
	"conflicto/presence"
)

// route is one custom route. Guards run in order before the handler.
type route struct {
	method, path string
	guards       []*hook.Handler[*core.RequestEvent]
	handle       func(*core.RequestEvent) error
}

// api is what the handlers share.
type api struct {
	cfg      config.Config
	presence *presence.Writer
	hub      *live.Hub
}

// Register binds every custom route to app.
func Register(app core.App, cfg config.Config, p *presence.Writer, hub *live.Hub) {
	a := &api{cfg: cfg, presence: p, hub: hub}
	app.OnServe().BindFunc(func(e *core.ServeEvent) error {
		for _, r := range a.table() {
			rt := e.Router.Route(r.method, r.path, r.handle)
			for _, g := range r.guards {
				rt.Bind(g)
			}
		}
		return e.Next()
	})
}

func (a *api) table() []route {
	anyone := []*hook.Handler[*core.RequestEvent](nil)
	participant := guards(apis.RequireAuth(c.Participants))
	sessionOwner := guards(apis.RequireAuth(), requireSessionOwner())
	activityOwner := guards(apis.RequireAuth(), requireActivityOwner())
	return []route{
		{http.MethodPost, "/api/join", anyone, a.join},
		{http.MethodGet, "/api/join/check", anyone, a.joinCheck},
		{http.MethodPost, "/api/participants/heartbeat", participant, a.heartbeat},
		{http.MethodPost, "/api/sessions/{id}/advance", sessionOwner, a.advance},
		{http.MethodPost, "/api/sessions/{id}/reorder", sessionOwner, a.reorder},
		{http.MethodGet, "/api/sessions/{id}/leaderboard", sessionOwner, a.leaderboard},
		{http.MethodGet, "/api/sessions/{id}/export", sessionOwner, a.export},
		{http.MethodGet, "/api/activities/{id}/results", anyone, a.results},
		{http.MethodPost, "/api/activities/{id}/reset", activityOwner, a.reset},
		{http.MethodGet, "/api/live/{code}", anyone, a.live},
		{http.MethodGet, "/api/live/{code}/qr.svg", anyone, a.qr},
	}
}

func guards(list ...*hook.Handler[*core.RequestEvent]) []*hook.Handler[*core.RequestEvent] {
	return list
}
