package routes

import (
	"net/http"

	"conflicto/apidoc"
	c "conflicto/collections"
)

// The API reference of join, join check and heartbeat (join.go).

// codeErrors are the refusals of a session code, shared by join and join check.
var codeErrors = []apidoc.Error{
	{Status: http.StatusBadRequest, Field: "code", Code: "code_required", When: "No session code."},
	{Status: http.StatusBadRequest, Field: "code", Code: "code_invalid", When: "Not 6 characters of the code alphabet (after trimming and upper-casing)."},
	{Status: http.StatusBadRequest, Field: c.ParticipantNickname, Code: "nickname_length", When: "Missing, empty after normalisation, over 24 characters, or over 1 KiB as sent."},
	{Status: http.StatusBadRequest, Field: c.ParticipantNickname, Code: "nickname_invalid", When: "Control characters, invalid UTF-8, or no visible character."},
	{Status: http.StatusNotFound, When: "No session has this code."},
	{Status: http.StatusTooManyRequests, When: "Too many unknown codes from this address (`Retry-After`); codes it found keep working."},
}

var joinDoc = apidoc.Op{
	Summary: "Join a session",
	Tag:     "Participants",
	Auth:    apidoc.Anyone,
	Description: "The one write every phone makes first: a participant record in the session with this code, and its token " +
		"(12 hours, renewable with `auth-refresh`; it dies with the session after a grace period). " +
		"The nickname is normalised to its display form; two nicknames collide when their keys match (case folded, look-alikes mapped). " +
		"Send the token as `Authorization` on the participant's later requests.",
	Body: apidoc.Object(apidoc.Props{
		"code":     apidoc.String().Doc("The session's join code, case-insensitive."),
		"nickname": apidoc.String().Doc("1 to 24 characters after normalisation."),
	}).With("additionalProperties", true).Doc("Other members are ignored."),
	BodyExample: map[string]any{"code": "AB23CD", "nickname": "Ada"},
	Responses: []apidoc.Response{{
		Status: http.StatusOK, Description: "Joined.",
		Schema: apidoc.Object(apidoc.Props{
			"token":   apidoc.String().Doc("The participant's auth token."),
			"record":  apidoc.Ref(c.Participants),
			"session": sessionSummarySchema,
		}, "token", "record", "session"),
	}},
	Errors: append(append([]apidoc.Error{}, codeErrors...),
		apidoc.Error{Status: http.StatusBadRequest, Field: "code", Code: "invalid_type", When: "`code` or `nickname` (on its own field) is not a string."},
		apidoc.Error{Status: http.StatusConflict, Field: "code", Code: "session_not_started", When: "The session is still a draft."},
		apidoc.Error{Status: http.StatusConflict, Field: "code", Code: "session_ended", When: "The session is completed."},
		apidoc.Error{Status: http.StatusConflict, Field: "code", Code: "session_full", When: "The participant limit is reached."},
		apidoc.Error{Status: http.StatusConflict, Field: c.ParticipantNickname, Code: "nickname_taken", When: "The nickname collides with one in the session; `data.nickname.suggestion` is a free variant or null."},
		apidoc.Error{Status: http.StatusTooManyRequests, When: "Joins per address (`CONFLICTO_RATE_LIMIT_JOIN`)."},
	),
}

// sessionSummarySchema is sessionSummary.
var sessionSummarySchema = apidoc.Object(apidoc.Props{
	"id":     apidoc.String(),
	"title":  apidoc.String(),
	"status": apidoc.Enum(c.SessionDraft, c.SessionActive, c.SessionCompleted),
	"code":   apidoc.String(),
}, "id", "title", "status", "code")

var joinCheckDoc = apidoc.Op{
	Summary:     "Check a nickname before joining",
	Tag:         "Participants",
	Auth:        apidoc.Anyone,
	Description: "Whether the nickname is free in the session with this code, its display form, and a free variant when it is taken. The session's status is not checked.",
	Query: []apidoc.Param{
		{Name: "code", Description: "The session's join code, case-insensitive.", Required: true, Schema: apidoc.String()},
		{Name: "nickname", Description: "The nickname to check.", Required: true, Schema: apidoc.String()},
	},
	Responses: []apidoc.Response{{
		Status: http.StatusOK, Description: "The answer about the nickname.",
		Schema: apidoc.Object(apidoc.Props{
			"available":  apidoc.Boolean(),
			"nickname":   apidoc.String().Doc("The normalised display form."),
			"suggestion": apidoc.Nullable(apidoc.String()).Doc("A free variant when taken (such as \"Ada 2\"), else null."),
		}, "available", "nickname", "suggestion"),
		Example: map[string]any{"available": false, "nickname": "Ada", "suggestion": "Ada 2"},
	}},
	Errors: codeErrors,
}

var heartbeatDoc = apidoc.Op{
	Summary:     "Say the participant is still here",
	Tag:         "Participants",
	Auth:        apidoc.Participant,
	Description: "A sign of life: `last_seen` is written at most once per 10 s, in a batch. No body.",
	NoBody:      true,
	Responses:   []apidoc.Response{{Status: http.StatusNoContent, Description: "Noted."}},
	Errors: []apidoc.Error{
		{Status: http.StatusUnauthorized, When: "No token, or one that no longer resolves (kicked, expired, session ended)."},
		{Status: http.StatusForbidden, When: "A token of another collection (a host's)."},
		{Status: http.StatusTooManyRequests, When: "The participant's writes limit (`Retry-After`)."},
	},
}
