package routes

import (
	"net/http"

	"conflicto/apidoc"
	c "conflicto/collections"
)

// The API reference of advance and reorder (sessions.go).

var advanceDoc = apidoc.Op{
	Summary: "Run the next activity",
	Tag:     "Sessions",
	Auth:    apidoc.Owner,
	Description: "In one transaction: the active activity is expired and the next draft activated (the draft with the smallest position after the one " +
		"that is active or ran last; the first draft when none ran). `activity` is null when no draft follows; the session stays active. No body.",
	NoBody: true,
	Responses: []apidoc.Response{{
		Status: http.StatusOK, Description: "The activity now active, or null.",
		Schema: apidoc.Object(apidoc.Props{"activity": apidoc.Nullable(apidoc.Ref(c.Activities))}, "activity"),
	}},
	Errors: append([]apidoc.Error{
		{Status: http.StatusBadRequest, Field: c.SessionStatus, Code: "session_not_active", When: "The session is not active."},
	}, ownerErrors...),
}

var reorderDoc = apidoc.Op{
	Summary:     "Set the order of the session's activities",
	Tag:         "Sessions",
	Auth:        apidoc.Owner,
	Description: "The full list of the session's activity ids, in the new order; positions become 1..n. Allowed in draft and active sessions, an active activity included.",
	Body: apidoc.Object(apidoc.Props{
		"activities": apidoc.Array(apidoc.String()).Doc("Every activity id of the session, each once."),
	}, "activities").With("additionalProperties", true).Doc("Other members are ignored."),
	BodyExample: map[string]any{"activities": []string{"<id 2>", "<id 1>"}},
	Responses: []apidoc.Response{{
		Status: http.StatusOK, Description: "The activities in their new order.",
		Schema: apidoc.Object(apidoc.Props{"activities": apidoc.Array(apidoc.Ref(c.Activities))}, "activities"),
	}},
	Errors: append([]apidoc.Error{
		{Status: http.StatusBadRequest, Field: "activities", Code: "invalid_permutation", When: "Not exactly the session's activity ids, each once, or a body that does not decode."},
		{Status: http.StatusBadRequest, Field: c.SessionStatus, Code: "session_completed", When: "The session is completed."},
	}, ownerErrors...),
}
