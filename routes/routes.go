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

	"conflicto/apidoc"
	c "conflicto/collections"
	"conflicto/config"
	"conflicto/live"
	"conflicto/presence"
)

// route is one custom route. Guards run in order before the handler. doc
// is its API reference (beside the handler, in *_doc.go): a route without
// one fails the reference's tests.
type route struct {
	method, path string
	guards       []*hook.Handler[*core.RequestEvent]
	handle       func(*core.RequestEvent) error
	doc          apidoc.Op
}

// api is what the handlers share.
type api struct {
	cfg      config.Config
	presence *presence.Writer
	hub      *live.Hub
	codes    *codeMisses // nil when the rate limits are off
}

// Register binds every custom route to app.
func Register(app core.App, cfg config.Config, p *presence.Writer, hub *live.Hub) {
	a := &api{cfg: cfg, presence: p, hub: hub, codes: newCodeMisses(cfg)}
	app.OnServe().BindFunc(func(e *core.ServeEvent) error {
		for _, r := range a.table() {
			rt := e.Router.Route(r.method, r.path, r.handle)
			// Replaces PocketBase's 32 MiB default for this route (same
			// middleware id), before anything reads the body.
			rt.Bind(apis.BodyLimit(r.bodyLimit()))
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
	participantOwner := guards(apis.RequireAuth(), requireParticipantOwner())
	return []route{
		{http.MethodPost, "/api/join", anyone, a.join, joinDoc},
		{http.MethodGet, "/api/join/check", anyone, a.joinCheck, joinCheckDoc},
		{http.MethodPost, "/api/participants/heartbeat", participant, a.heartbeat, heartbeatDoc},
		{http.MethodPost, "/api/participants/{id}/ban", participantOwner, a.ban, banDoc},
		{http.MethodPost, "/api/sessions/{id}/advance", sessionOwner, a.advance, advanceDoc},
		{http.MethodPost, "/api/sessions/{id}/reorder", sessionOwner, a.reorder, reorderDoc},
		{http.MethodPost, "/api/sessions/{id}/duplicate", sessionOwner, a.duplicate, duplicateDoc},
		{http.MethodGet, "/api/sessions/{id}/leaderboard", sessionOwner, a.leaderboard, leaderboardDoc},
		{http.MethodGet, "/api/sessions/{id}/export", sessionOwner, a.export, exportDoc},
		{http.MethodGet, "/api/activities/{id}/results", anyone, a.results, resultsDoc},
		{http.MethodPost, "/api/activities/{id}/reset", activityOwner, a.reset, resetDoc},
		{http.MethodGet, "/api/live/{code}", anyone, a.live, liveDoc},
		{http.MethodGet, "/api/live/{code}/qr.svg", anyone, a.qr, qrDoc},
	}
}

// Body limits of the custom routes. A body over its route's limit is
// refused with 413 before it is read (a declared Content-Length) or as
// soon as the limit is passed; PocketBase's default of 32 MiB let anonymous
// requests make the server read and hold megabytes each.
const (
	// joinBodyLimit bounds POST /api/join: a code and a nickname (raw
	// input up to 1 KiB) with room to spare.
	joinBodyLimit = 64 << 10
	// reorderBodyLimit bounds a reorder: the session's activity ids, some
	// 18 bytes each.
	reorderBodyLimit = 64 << 10
	// noBodyLimit bounds the routes that take no body (GETs and the
	// body-less POSTs, which accept {}).
	noBodyLimit = 1 << 10
	// defaultBodyLimit is for a route added without a limit of its own.
	defaultBodyLimit = 64 << 10
)

// bodyLimits are the routes whose limit is not noBodyLimit for a GET or
// defaultBodyLimit otherwise, by "METHOD path".
var bodyLimits = map[string]int64{
	http.MethodPost + " /api/join":                   joinBodyLimit,
	http.MethodPost + " /api/sessions/{id}/reorder":  reorderBodyLimit,
	http.MethodPost + " /api/participants/heartbeat": noBodyLimit,
	http.MethodPost + " /api/sessions/{id}/advance":  noBodyLimit,
	http.MethodPost + " /api/activities/{id}/reset":  noBodyLimit,
	http.MethodPost + " /api/participants/{id}/ban":  noBodyLimit,

	// The host's console (issue 12): a copy takes no body.
	http.MethodPost + " /api/sessions/{id}/duplicate": noBodyLimit,
}

// bodyLimit is the largest body the route accepts.
func (r route) bodyLimit() int64 {
	if limit, ok := bodyLimits[r.method+" "+r.path]; ok {
		return limit
	}
	if r.method == http.MethodGet || r.method == http.MethodHead || r.method == http.MethodDelete {
		return noBodyLimit
	}
	return defaultBodyLimit
}

// Doc is one custom route's API reference.
type Doc struct {
	Method, Path string
	Op           apidoc.Op
	// BodyLimit is the largest body the route accepts (413 beyond).
	BodyLimit int64
}

// Docs lists the API reference of every route of the table, in its order.
func Docs() []Doc {
	var out []Doc
	for _, r := range (&api{}).table() {
		out = append(out, Doc{Method: r.method, Path: r.path, Op: r.doc, BodyLimit: r.bodyLimit()})
	}
	return out
}

func guards(list ...*hook.Handler[*core.RequestEvent]) []*hook.Handler[*core.RequestEvent] {
	return list
}
