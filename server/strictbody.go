package server

import (
	"bytes"
	"encoding/json"
	"encoding/json/jsontext"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"unicode"

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
var bodylessRoutes = []string{"/api/participants/heartbeat", "/advance", "/reset", "/ban", "/duplicate"}

// maxBodylessBody is as much of a body-less route's body as is read: enough
// for {} and some whitespace.
const maxBodylessBody = 1 << 10

func registerStrictBodies(app core.App) {
	app.OnServe().BindFunc(func(e *core.ServeEvent) error {
		e.Router.Bind(&hook.Handler[*core.RequestEvent]{
			Id: "conflictoStrictBody",
			// After the size limits: PocketBase's, then the record limits
			// (bodylimit.go); a route's own limit replaces PocketBase's.
			Priority: apis.DefaultBodyLimitMiddlewarePriority + 2,
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

	var problem error
	if bodyless {
		problem = checkNoBody(r.Body)
	} else {
		if !strict {
			collection = nil
		}
		problem = scanJSON(r.Body, collection, e.HasSuperuserAuth())
	}
	// The router wraps the body in a rereadable reader; the body limits
	// wrap that and keep the EOF they saw (PocketBase 0.40), so the body is
	// rewound explicitly for the handler.
	if rr, ok := r.Body.(router.Rereader); ok {
		rr.Reread()
	}
	if problem != nil {
		return problem
	}
	return e.Next()
}

// checkNoBody refuses a body other than nothing or {}, reading at most
// maxBodylessBody bytes of it.
func checkNoBody(body io.Reader) error {
	b, err := io.ReadAll(io.LimitReader(body, maxBodylessBody+1))
	if err != nil {
		return syntaxError(err)
	}
	if trimmed := bytes.TrimSpace(b); len(trimmed) > 0 && !bytes.Equal(trimmed, []byte("{}")) {
		return apierr.BadBody("body_not_allowed", "This endpoint takes no request body.")
	}
	return nil
}

// scanJSON checks a JSON body as it reads it, without holding it whole:
// valid UTF-8, exactly one JSON value (an empty body passes), no member
// named twice in any object (duplicate_field on the top-level member it is
// under). With a collection it also checks the body is a record of it: an
// object whose members are its fields (bodyfields.go), each of its JSON
// kind, and no hidden field unless superuser. Syntax problems anywhere win
// over member problems, as if the body had been parsed first; of the member
// problems the first is reported.
func scanJSON(body io.Reader, collection *core.Collection, superuser bool) error {
	utf := &utf8Reader{r: body}
	dec := jsontext.NewDecoder(utf) // refuses invalid UTF-8 and duplicate names
	if dec.PeekKind() == jsontext.KindInvalid {
		if _, err := dec.ReadToken(); err != io.EOF {
			return syntaxError(err)
		}
		return nil // empty or whitespace only
	}
	var memberProblem error
	var err error
	if collection != nil {
		memberProblem, err = scanRecord(dec, collection, superuser)
	} else {
		err = dec.SkipValue()
	}
	if err != nil {
		return syntaxError(err)
	}
	switch _, err := dec.ReadToken(); {
	case err == io.EOF:
		return memberProblem
	case err != nil:
		return syntaxError(err)
	default: // a second value
		return apierr.BadBody("invalid_json", "The request body is not one valid JSON value.")
	}
}

// scanRecord reads one JSON value and returns the first problem with it as
// a record of collection, or the syntax error that stopped the reading.
func scanRecord(dec *jsontext.Decoder, collection *core.Collection, superuser bool) (problem, err error) {
	if dec.PeekKind() != '{' {
		// Read the value to its end: a syntax error in it still wins.
		return apierr.BadBody("invalid_type", "The request body must be a JSON object."), dec.SkipValue()
	}
	if _, err := dec.ReadToken(); err != nil {
		return nil, err
	}
	for dec.PeekKind() != '}' {
		tok, err := dec.ReadToken() // a name; the decoder refuses a repeated one
		if err != nil {
			return problem, err
		}
		// Tokens and values are valid until the next read: use them before.
		name := tok.String()
		raw, err := dec.ReadValue()
		if err != nil {
			return problem, err
		}
		if problem == nil {
			problem = checkMember(collection, name, raw, superuser)
		}
	}
	_, err = dec.ReadToken()
	return problem, err
}

// checkMember says what is wrong with one member of a record body, or nil.
func checkMember(collection *core.Collection, name string, raw jsontext.Value, superuser bool) error {
	kind, known := recordFieldKind(collection, name)
	if !known {
		return apierr.BadRequest(name, "unknown_field", fmt.Sprintf("Unknown field %q.", name))
	}
	if !superuser && serverOnly(collection, name) {
		return apierr.BadRequest(name, "read_only", fmt.Sprintf("The %s field is set by the server.", name))
	}
	if problem := checkKind(kind, json.RawMessage(raw)); problem != "" {
		return apierr.BadRequest(name, "invalid_type", fmt.Sprintf("The %s field %s.", name, problem))
	}
	return nil
}

// syntaxError is the 4xx for an error that stopped the reading of a body:
// 413 over a size limit, 400 for the rest.
func syntaxError(err error) error {
	var apiErr *router.ApiError
	var serr *jsontext.SyntacticError
	switch {
	// First: the decoder reports a read error inside a value as a syntax
	// error at that place.
	case errors.As(err, &apiErr) && apiErr.Status == http.StatusRequestEntityTooLarge:
		return apis.NewApiError(http.StatusRequestEntityTooLarge, "The request body is too large.", nil)
	case errors.Is(err, errInvalidUTF8):
		return apierr.BadBody("invalid_json", "The request body is not valid UTF-8.")
	case errors.As(err, &serr):
		if !errors.Is(err, jsontext.ErrDuplicateName) {
			break
		}
		path := slices.Collect(serr.JSONPointer.Tokens())
		if len(path) == 0 {
			break
		}
		return apierr.BadRequest(path[0], "duplicate_field", fmt.Sprintf("The field %s appears more than once.", strings.Join(path, ".")))
	case errors.Is(err, io.ErrUnexpectedEOF):
	default: // the client went away, or another read error
		return apierr.BadBody("invalid_json", "The request body could not be read.")
	}
	return apierr.BadBody("invalid_json", "The request body is not one valid JSON value.")
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
		// A json.Number also takes a quoted number: "10" is a string.
		if len(raw) == 0 || raw[0] == '"' || json.Unmarshal(raw, &n) != nil || strings.ContainsAny(string(n), ".eE") {
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
