package server

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
	"github.com/pocketbase/pocketbase/tools/router"

	"conflicto/apierr"
)

// PocketBase's record API is lenient: it casts 123 to "123" for a text
// field and true for a number, ignores unknown fields and trailing data.
// Conflicto answers bad input with a 400 instead, so request bodies are
// checked before any handler sees them:
//   - every JSON body is valid UTF-8 and exactly one JSON value;
//   - record creates and updates of Conflicto's collections (all but
//     PocketBase's own) are a JSON object of the fields the schema has,
//     each of its field's JSON type (bodyfields.go), text without control
//     characters (superusers may still use multipart, as the dashboard
//     does, and so may records with a file field, such as a host's avatar);
//   - routes that take no body refuse one.

// bodylessRoutes take no request body (an empty one or {} is fine).
var bodylessRoutes = []string{"/api/participants/heartbeat", "/advance", "/reset"}

func registerStrictBodies(app core.App) {
	app.OnServe().BindFunc(func(e *core.ServeEvent) error {
		e.Router.Bind(&hook.Handler[*core.RequestEvent]{
			Id:       "conflictoStrictBody",
			Priority: apis.DefaultBodyLimitMiddlewarePriority + 1, // after the size limit
			Func:     checkBody,
		})
		return e.Next()
	})
}

func checkBody(e *core.RequestEvent) error {
	r := e.Request
	if r.Method != http.MethodPost && r.Method != http.MethodPatch && r.Method != http.MethodPut {
		return e.Next()
	}
	collection := recordWriteCollection(e.App, r.URL.Path)
	strict := collection != nil && isStrict(collection)
	isJSON := strings.HasPrefix(r.Header.Get("Content-Type"), "application/json")
	if strict && !isJSON && !e.HasSuperuserAuth() && r.ContentLength != 0 && !takesMultipart(collection) {
		return apis.NewApiError(http.StatusUnsupportedMediaType, "Send the record as application/json.", nil)
	}
	bodyless := isBodyless(r.URL.Path)
	if !isJSON && !bodyless {
		return e.Next()
	}

	// The router wraps the body in a rereadable reader; the body limit
	// wraps that and keeps the EOF it saw (PocketBase 0.40), so the body is
	// rewound explicitly for the handler.
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return apis.NewApiError(http.StatusRequestEntityTooLarge, "The request body is too large or could not be read.", nil)
	}
	if rr, ok := r.Body.(router.Rereader); ok {
		rr.Reread()
	}
	trimmed := bytes.TrimSpace(body)
	switch {
	case bodyless:
		if len(trimmed) > 0 && !bytes.Equal(trimmed, []byte("{}")) {
			return apierr.BadBody("body_not_allowed", "This endpoint takes no request body.")
		}
		return e.Next()
	case len(trimmed) == 0:
		return e.Next()
	case !utf8.Valid(body):
		return apierr.BadBody("invalid_json", "The request body is not valid UTF-8.")
	case !json.Valid(body):
		return apierr.BadBody("invalid_json", "The request body is not one valid JSON value.")
	}
	if apiErr := apierr.Duplicates(body); apiErr != nil {
		return apiErr
	}
	if strict {
		if apiErr := checkRecordBody(trimmed, collection); apiErr != nil {
			return apiErr
		}
	}
	return e.Next()
}

// recordWriteCollection returns the collection of a record create or
// update path (/api/collections/{nameOrId}/records[/{id}]), or nil.
func recordWriteCollection(app core.App, path string) *core.Collection {
	rest, ok := strings.CutPrefix(path, "/api/collections/")
	if !ok {
		return nil
	}
	parts := strings.Split(rest, "/")
	if len(parts) < 2 || len(parts) > 3 || parts[1] != "records" {
		return nil
	}
	// The record handlers find the collection the same way; an unknown
	// one is left to their 404.
	collection, err := app.FindCachedCollectionByNameOrId(parts[0])
	if err != nil {
		return nil
	}
	return collection
}

func isBodyless(path string) bool {
	for _, suffix := range bodylessRoutes {
		if strings.HasSuffix(path, suffix) && strings.HasPrefix(path, "/api/") {
			return true
		}
	}
	return false
}

func checkRecordBody(body []byte, collection *core.Collection) error {
	if body[0] != '{' {
		return apierr.BadBody("invalid_type", "The request body must be a JSON object.")
	}
	obj, err := objectMembers(body)
	if err != nil {
		return apierr.BadBody("invalid_type", "The request body must be a JSON object.")
	}
	for name, raw := range obj {
		kind, known := recordFieldKind(collection, name)
		if !known {
			return apierr.BadRequest(name, "unknown_field", fmt.Sprintf("Unknown field %q.", name))
		}
		if problem := checkKind(kind, raw); problem != "" {
			return apierr.BadRequest(name, "invalid_type", fmt.Sprintf("The %s field %s.", name, problem))
		}
	}
	return nil
}

// objectMembers splits a JSON object into its members (Duplicates has
// refused a member named twice).
func objectMembers(body []byte) (map[string]json.RawMessage, error) {
	var members map[string]json.RawMessage
	err := json.Unmarshal(body, &members)
	return members, err
}

// checkKind says what is wrong with raw for kind, or "".
func checkKind(kind fieldKind, raw json.RawMessage) string {
	switch kind {
	case kindJSON, kindIgnored:
		return ""
	case kindNumber:
		var f float64
		if len(raw) == 0 || raw[0] == '"' || json.Unmarshal(raw, &f) != nil {
			return "must be a number"
		}
	case kindBool:
		if s := string(raw); s != "true" && s != "false" {
			return "must be true or false"
		}
	case kindInt:
		var n json.Number
		if err := json.Unmarshal(raw, &n); err != nil || strings.ContainsAny(string(n), ".eE") {
			return "must be a whole number"
		}
		if _, err := n.Int64(); err != nil {
			return "is out of range"
		}
	case kindIDs:
		var list []string
		if err := json.Unmarshal(raw, &list); err != nil {
			var s string
			if err := json.Unmarshal(raw, &s); err != nil {
				return "must be a string or an array of strings"
			}
			list = []string{s}
		}
		for _, s := range list {
			if problem := checkString(kindID, s); problem != "" {
				return problem
			}
		}
	case kindID, kindLine, kindText:
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return "must be a string"
		}
		return checkString(kind, s)
	}
	return ""
}

// checkString says what is wrong with s for a string kind, or "".
func checkString(kind fieldKind, s string) string {
	for _, r := range s {
		if unicode.Is(unicode.Cc, r) && (kind != kindText || (r != '\n' && r != '\r' && r != '\t')) {
			return "must not contain control characters"
		}
	}
	return ""
}
