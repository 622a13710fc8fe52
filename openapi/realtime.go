package openapi

import (
	"net/http"

	"conflicto/apidoc"
)

// PocketBase's realtime protocol, over which the live topic and record
// events travel. The routes are PocketBase's; what they carry is ours.

// sseDoc describes the protocol of GET /api/realtime.
const sseDoc = "PocketBase's realtime: a long-lived `text/event-stream` (server-sent events).\n\n" +
	"1. `GET /api/realtime` opens the stream. Its first event is `PB_CONNECT`, whose data is `{\"clientId\": \"...\"}`.\n" +
	"2. `POST /api/realtime` with that `clientId` and the full list of topics sets the client's subscriptions (the list replaces the previous one; " +
	"send the `Authorization` token there for record topics and for presence).\n" +
	"3. Each message is an event whose name is the topic and whose data is JSON: for `live/{code}` the `LiveDocument`; for a record topic " +
	"(`sessions/*`, `participants/{id}`, ...) `{\"action\": \"create\"|\"update\"|\"delete\", \"record\": {...}}`, checked against the collection's list or view rule per subscriber.\n\n" +
	"Connections idle for 5 minutes, and any after 30 minutes, are closed: the JS SDK reconnects and resubscribes, and the live topic's welcome gives the state back. " +
	"Each client has a queue of 64 messages; a client whose queue is full (it stopped reading) is dropped and its connection closed. " +
	"Beyond `CONFLICTO_MAX_REALTIME` open connections: 503 with `Retry-After: 5`."

// addRealtime adds the realtime routes.
func addRealtime(d *document) {
	d.addOp(http.MethodGet, "/api/realtime", apidoc.Op{
		Summary: "Open the realtime stream", Tag: "Realtime", Auth: apidoc.Anyone,
		Description: sseDoc,
		Responses: []apidoc.Response{{
			Status: http.StatusOK, Type: "text/event-stream", Description: "The event stream.",
			Schema: apidoc.String().Doc("Server-sent events: `PB_CONNECT` first, then one event per message, named by its topic."),
		}},
		Errors: []apidoc.Error{{Status: http.StatusServiceUnavailable, When: "Too many open realtime connections (`Retry-After: 5`)."}},
	}, 0)
	d.addOp(http.MethodPost, "/api/realtime", apidoc.Op{
		Summary: "Set the realtime subscriptions", Tag: "Realtime", Auth: apidoc.Anyone,
		Description: "Sets all of a client's subscriptions: `live/{code}` topics (public) and record topics (rule-checked with the token sent here).",
		Body: apidoc.Object(apidoc.Props{
			"clientId":      apidoc.String().Doc("From the stream's PB_CONNECT event."),
			"subscriptions": apidoc.Array(apidoc.String()).Doc("Every topic the client wants, such as `live/AB23CD`."),
		}, "clientId"),
		BodyExample: map[string]any{"clientId": "<from PB_CONNECT>", "subscriptions": []string{"live/AB23CD"}},
		Responses:   []apidoc.Response{{Status: http.StatusNoContent, Description: "Subscribed; a live topic's welcome follows on the stream."}},
		Errors: []apidoc.Error{
			{Status: http.StatusBadRequest, Field: "subscriptions", Code: "too_many_live_topics", When: "More than 10 distinct live topics."},
			{Status: http.StatusBadRequest, Field: "clientId", Code: "validation_required", When: "No client id."},
			{Status: http.StatusForbidden, When: "The token is not the one the stream was opened with."},
			{Status: http.StatusNotFound, When: "No open stream has this client id (it was closed or dropped)."},
		},
	}, 0)
	d.addOp(http.MethodGet, "/api/health", apidoc.Op{
		Summary: "Liveness probe", Tag: "Server", Auth: apidoc.Anyone,
		Description: "PocketBase's health check: 200 while the process serves. Readiness is `GET /api/ready`.",
		Responses: []apidoc.Response{{Status: http.StatusOK, Description: "Alive.", Schema: apidoc.Object(apidoc.Props{
			"code": apidoc.Integer(), "message": apidoc.String(), "data": apidoc.MapOf(apidoc.Any()),
		}, "code", "message", "data")}},
	}, 0)
}
