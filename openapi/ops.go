package openapi

import (
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"conflicto/activity"
	"conflicto/apidoc"
	c "conflicto/collections"
)

// pathParam finds the {name} parameters of a path.
var pathParam = regexp.MustCompile(`\{([a-zA-Z_]+)\}`)

// pathParamDocs describe the path parameters a route does not describe.
var pathParamDocs = map[string]string{
	"id":   "The record's id.",
	"code": "The session's join code, case-insensitive.",
}

// addOp adds one operation to the document. bodyLimit (0: none stated) is
// the largest body the route reads.
func (d *document) addOp(method, path string, op apidoc.Op, bodyLimit int64) {
	o := map[string]any{
		"operationId": operationID(method, path),
		"summary":     op.Summary,
		"description": op.Description + authWords(op.Auth),
		"tags":        []string{op.Tag},
		"security":    security(op.Auth),
	}
	var params []map[string]any
	for _, m := range pathParam.FindAllStringSubmatch(path, -1) {
		desc := op.PathParams[m[1]]
		if desc == "" {
			desc = pathParamDocs[m[1]]
		}
		params = append(params, map[string]any{"name": m[1], "in": "path", "required": true, "description": desc, "schema": apidoc.String()})
	}
	for _, p := range op.Query {
		params = append(params, map[string]any{"name": p.Name, "in": "query", "required": p.Required, "description": p.Description, "schema": p.Schema})
	}
	if params != nil {
		o["parameters"] = params
	}
	errs := append([]apidoc.Error{}, op.Errors...)
	switch {
	case op.Body != nil:
		media := map[string]any{"schema": op.Body}
		if op.BodyExample != nil {
			media["example"] = op.BodyExample
		}
		o["requestBody"] = map[string]any{"required": true, "content": map[string]any{"application/json": media}}
		errs = append(errs,
			apidoc.Error{Status: http.StatusBadRequest, Field: "body", Code: "invalid_json", When: "Not valid UTF-8 or not exactly one JSON value."},
			apidoc.Error{Status: http.StatusBadRequest, Field: "body", Code: "invalid_type", When: "Not a JSON object."})
	case op.NoBody:
		o["description"] = o["description"].(string) + "\n\nTakes no body: empty or `{}`."
		errs = append(errs, apidoc.Error{Status: http.StatusBadRequest, Field: "body", Code: "body_not_allowed", When: "A body other than empty or `{}`."})
	}
	if bodyLimit > 0 {
		errs = append(errs, apidoc.Error{Status: http.StatusRequestEntityTooLarge, When: fmt.Sprintf("A body over %s.", size(bodyLimit))})
	}
	o["responses"] = responses(op.Responses, errs)
	if d.Paths[path] == nil {
		d.Paths[path] = map[string]any{}
	}
	d.Paths[path][strings.ToLower(method)] = o
}

// operationID names an operation from its method and path:
// "post /api/sessions/{id}/advance" → "postSessionsIdAdvance".
func operationID(method, path string) string {
	var b strings.Builder
	b.WriteString(strings.ToLower(method))
	for _, part := range strings.FieldsFunc(strings.TrimPrefix(path, "/api/"), func(r rune) bool {
		return r == '/' || r == '{' || r == '}' || r == '.' || r == '-' || r == '_'
	}) {
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String()
}

func size(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return strconv.FormatInt(n>>20, 10) + " MiB"
	case n >= 1<<10 && n%(1<<10) == 0:
		return strconv.FormatInt(n>>10, 10) + " KiB"
	}
	return strconv.FormatInt(n, 10) + " bytes"
}

// authWords says who may call, for the description; "" for the record
// routes, whose API rule says it.
func authWords(a apidoc.Auth) string {
	switch a {
	case "":
		return ""
	case apidoc.Participant:
		return "\n\n**Who:** a participant (their token from `POST /api/join`)."
	case apidoc.Host:
		return "\n\n**Who:** a host or a superuser."
	case apidoc.Owner:
		return "\n\n**Who:** the session's owner or a superuser."
	}
	return "\n\n**Who:** anyone; no token needed."
}

// security is the operation's security requirement: optional for routes
// anyone may call (a token may change the answer).
func security(a apidoc.Auth) []map[string][]string {
	token := map[string][]string{"token": {}}
	if a == apidoc.Anyone || a == "" {
		return []map[string][]string{{}, token}
	}
	return []map[string][]string{token}
}

// responses are the successful answers and, by status, the refusals with
// their field codes in the description.
func responses(ok []apidoc.Response, errs []apidoc.Error) map[string]any {
	out := map[string]any{}
	for _, r := range ok {
		key := strconv.Itoa(r.Status)
		resp, _ := out[key].(map[string]any)
		if resp == nil {
			resp = map[string]any{"description": r.Description}
			out[key] = resp
		} else {
			resp["description"] = resp["description"].(string) + " " + r.Description
		}
		if len(r.Headers) > 0 {
			h := map[string]any{}
			for name, desc := range r.Headers {
				h[name] = map[string]any{"description": desc, "schema": apidoc.String()}
			}
			resp["headers"] = h
		}
		if r.Status == http.StatusNoContent {
			continue
		}
		typ := r.Type
		if typ == "" {
			typ = "application/json"
		}
		media := map[string]any{"schema": r.Schema}
		if r.Example != nil {
			media["example"] = r.Example
		}
		content, _ := resp["content"].(map[string]any)
		if content == nil {
			content = map[string]any{}
			resp["content"] = content
		}
		content[typ] = media
	}
	byStatus := map[int][]apidoc.Error{}
	for _, e := range errs {
		byStatus[e.Status] = append(byStatus[e.Status], e)
	}
	statuses := make([]int, 0, len(byStatus))
	for s := range byStatus {
		statuses = append(statuses, s)
	}
	slices.Sort(statuses)
	for _, s := range statuses {
		var lines []string
		for _, e := range byStatus[s] {
			line := "- " + e.When
			if e.Code != "" {
				line = fmt.Sprintf("- `data.%s.code` = `%s`: %s", e.Field, e.Code, e.When)
			}
			if !slices.Contains(lines, line) {
				lines = append(lines, line)
			}
		}
		out[strconv.Itoa(s)] = map[string]any{
			"description": http.StatusText(s) + ".\n\n" + strings.Join(lines, "\n"),
			"content":     map[string]any{"application/json": map[string]any{"schema": apidoc.Ref("Error")}},
		}
	}
	return out
}

// errorSchema is PocketBase's error body, with Conflicto's field codes.
var errorSchema = apidoc.Object(apidoc.Props{
	"status":  apidoc.Integer().Doc("The HTTP status."),
	"message": apidoc.String().Doc("A sentence-case message; may change."),
	"data": apidoc.MapOf(apidoc.AnyOf(apidoc.Ref("FieldError"), apidoc.Integer())).Doc(
		"The fields at fault, by name (`body` for the body as a whole); a 429 from a per-participant or per-address limit has `retry_after` (seconds). Empty when no field is at fault."),
}, "status", "message", "data").Doc("Every error: `{status, message, data}`. Every 400 names at least one field in `data`.")

// fieldErrorSchema is one field's error: a stable code and a message.
var fieldErrorSchema = apidoc.Schema{
	"type":        "object",
	"required":    []string{"code", "message"},
	"description": "A field's error. Codes are stable snake_case (Conflicto's, or PocketBase's `validation_*`); `nickname_taken` adds `suggestion`.",
	"properties": apidoc.Props{
		"code":       apidoc.String(),
		"message":    apidoc.String(),
		"suggestion": apidoc.Nullable(apidoc.String()).Doc("nickname_taken only: a free variant, or null."),
	},
}

// activitySchemas are the named schemas of each activity type: PollConfig,
// PollPublic, PollValue, PollResults, and so on.
func activitySchemas() []map[string]apidoc.Schema {
	var out []map[string]apidoc.Schema
	for _, t := range activity.Schemas() {
		out = append(out, map[string]apidoc.Schema{
			c.TypeSchemaName(t.Type, "Config"):  t.Config.Doc("activities.config of a " + string(t.Type) + "; absent keys take their defaults."),
			c.TypeSchemaName(t.Type, "Public"):  t.Public.Doc("The public config of a " + string(t.Type) + " in the live document."),
			c.TypeSchemaName(t.Type, "Value"):   t.Value.Doc("responses.value for a " + string(t.Type) + "."),
			c.TypeSchemaName(t.Type, "Results"): t.Results.Doc("The results keys of a " + string(t.Type) + "."),
		})
	}
	return out
}
