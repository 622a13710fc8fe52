package apidoc

// Op documents one route: what it does, who may call it, what it takes and
// what it answers. Each route's Op sits beside its handler; the route table
// hands it to the OpenAPI document.
type Op struct {
	// Summary is a short line (the operation's name in the reference).
	Summary string
	// Description says the rest, in Markdown.
	Description string
	// Tag groups operations in the reference.
	Tag string
	// Auth is who may call: one of the Auth constants.
	Auth Auth
	// Query lists the query parameters; path parameters come from the
	// path and PathParams.
	Query []Param
	// PathParams describes the path's {name} parameters by name.
	PathParams map[string]string
	// Body is the JSON request body's schema; nil when the route reads none.
	Body Schema
	// BodyExample is an example of Body.
	BodyExample any
	// NoBody says the route refuses a body other than empty or {}.
	NoBody bool
	// Responses are the successful answers.
	Responses []Response
	// Errors are the refusals, by status, with their field codes.
	Errors []Error
}

// Auth is who may call a route.
type Auth string

// Callers of a route.
const (
	// Anyone needs no token (a token may change the answer).
	Anyone Auth = "anyone"
	// Participant needs a participant's token (from POST /api/join).
	Participant Auth = "participant"
	// Host needs a host's token (users) or a superuser's.
	Host Auth = "host"
	// Owner needs the token of the session's owner or a superuser.
	Owner Auth = "owner"
)

// Param is one query parameter.
type Param struct {
	Name        string
	Description string
	Required    bool
	Schema      Schema
}

// Response is one successful answer.
type Response struct {
	Status      int
	Description string
	// Type is the content type; "" means application/json, and a 204 has
	// no content.
	Type    string
	Schema  Schema
	Example any
	// Headers are response headers by name, with their description.
	Headers map[string]string
}

// Error is one refusal: a status and, when the body names a field, the
// field and its code (see docs/API.md, "Errors").
type Error struct {
	Status int
	Field  string
	Code   string
	// When says when the refusal happens.
	When string
}
