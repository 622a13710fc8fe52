// Package openapi builds Conflicto's API reference, an OpenAPI 3.1
// document, from what the server has: the collections of the running
// schema (fields, types, selects, hidden fields, API rules), the custom
// route table (routes.Docs) and the shapes the rooms describe beside their
// code (package apidoc). Nothing here is hand-written JSON: a field or
// collection added to the schema appears by itself, and a route added to
// the table brings its own doc. Register serves it at DocPath; the
// `openapi` command prints it.
package openapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/pocketbase/pocketbase/core"

	"conflicto/apidoc"
	c "conflicto/collections"
	"conflicto/live"
	"conflicto/metrics"
	"conflicto/routes"
	"conflicto/server"
)

// DocPath is where the document is served.
const DocPath = "/api/docs/openapi.json"

// Version is the OpenAPI version of the document.
const Version = "3.1.0"

// document is the OpenAPI document as it is marshalled.
type document struct {
	OpenAPI    string                    `json:"openapi"`
	Info       map[string]any            `json:"info"`
	Tags       []tag                     `json:"tags"`
	Paths      map[string]map[string]any `json:"paths"`
	Components map[string]any            `json:"components"`
}

type tag struct {
	Name        string `json:"name"`
	Description string `json:"description"`
}

// Build returns the OpenAPI document of app as JSON: its collections as
// they are now and the custom routes. version is the server's.
func Build(app core.App, version string, withMetrics bool) ([]byte, error) {
	d, err := build(app, version, withMetrics)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // Markdown descriptions keep their < and >
	enc.SetIndent("", "  ")
	if err := enc.Encode(d); err != nil {
		return nil, fmt.Errorf("openapi: marshal: %w", err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

func build(app core.App, version string, withMetrics bool) (*document, error) {
	cols, err := app.FindAllCollections()
	if err != nil {
		return nil, fmt.Errorf("openapi: list collections: %w", err)
	}
	d := &document{
		OpenAPI: Version,
		Info: map[string]any{
			"title":       "Conflicto API",
			"version":     version,
			"description": infoDescription,
		},
		Paths: map[string]map[string]any{},
		Components: map[string]any{
			"securitySchemes": map[string]any{
				"token": map[string]any{
					"type": "apiKey", "in": "header", "name": "Authorization",
					"description": "A host's token (`POST /api/collections/users/auth-with-password`), a participant's (`POST /api/join`) or a superuser's, as it is: no `Bearer` prefix.",
				},
			},
		},
	}
	d.Tags = append(d.Tags, routeTags...)
	schemas := sharedSchemas()
	var public []*core.Collection
	names := map[string]string{}
	for _, col := range cols {
		names[col.Id] = col.Name
		if !col.System {
			public = append(public, col)
		}
	}
	slices.SortFunc(public, func(a, b *core.Collection) int { return strings.Compare(a.Name, b.Name) })
	for _, col := range public {
		addCollection(d, schemas, names, col)
		d.Tags = append(d.Tags, tag{Name: col.Name, Description: collectionDescription(col)})
	}

	for _, r := range routes.Docs() {
		d.addOp(r.Method, r.Path, r.Op, r.BodyLimit)
	}
	d.addOp(http.MethodGet, server.ReadyPath, server.ReadyDoc, 0)
	if withMetrics {
		// The document describes the server as it runs: without the token
		// the route does not exist, so neither does its operation.
		d.addOp(http.MethodGet, metrics.Path, metricsDoc, 0)
	}
	d.addOp(http.MethodGet, DocPath, docDoc, 0)
	addRealtime(d)
	d.Components["schemas"] = schemas
	return d, nil
}

// sharedSchemas are the named schemas every part refers to.
func sharedSchemas() map[string]apidoc.Schema {
	s := map[string]apidoc.Schema{
		"Error":            errorSchema,
		"FieldError":       fieldErrorSchema,
		"LiveDocument":     live.DocumentSchema(),
		"Results":          c.ResultsSchema(),
		"LeaderboardEntry": apidoc.Of(c.LeaderboardEntry{}),
	}
	for _, t := range activitySchemas() {
		for part, schema := range t {
			s[part] = schema
		}
	}
	return s
}

const infoDescription = "Conflicto's HTTP API: PocketBase's record API for the collections below, shaped by Conflicto's rules, and Conflicto's own routes. " +
	"Generated at start from the running schema and the route table.\n\n" +
	"**Auth.** Send a token as `Authorization: <token>`. A host signs in with `POST /api/collections/users/auth-with-password`; " +
	"a participant gets a token from `POST /api/join`.\n\n" +
	"**Bodies** are JSON and strict: valid UTF-8, one value, each member once (`duplicate_field`), record writes only with known fields " +
	"(`unknown_field`) of the right JSON type (`invalid_type`), never a server-set field (`read_only`).\n\n" +
	"**Errors** are `{status, message, data}`; every 400 names a field: `data.<field> = {code, message}` with a stable snake_case code " +
	"(the `Error` schema). A body refused as a whole names `body`.\n\n" +
	"**Live state.** Phones and screens follow the realtime topic `live/{code}` (see the Live tag and `GET /api/realtime`): one public document " +
	"per session (the `LiveDocument` schema)."

// routeTags describe the custom routes' groups.
var routeTags = []tag{
	{Name: "Participants", Description: "Joining a session and staying in it."},
	{Name: "Sessions", Description: "The host running a session: owner-only routes (401 without a token, 403 for a participant of the session, 404 for anyone else)."},
	{Name: "Activities", Description: "An activity's results and the poker re-vote."},
	{Name: "Live", Description: "The public live state of a session, by its join code: `GET /api/live/{code}` and the realtime topic `live/{code}`.\n\n" + live.TopicDoc},
	{Name: "Realtime", Description: "PocketBase's realtime protocol: server-sent events."},
	{Name: "Server", Description: "Probes and this reference."},
}

// docDoc is the reference of this document's own route.
var docDoc = apidoc.Op{
	Summary:     "This API reference",
	Tag:         "Server",
	Auth:        apidoc.Anyone,
	Description: "This OpenAPI 3.1 document, built at start. The page `/docs/` renders it; `conflicto openapi` prints it.",
	Responses:   []apidoc.Response{{Status: http.StatusOK, Description: "The document.", Schema: apidoc.Schema{"type": "object"}}},
}
