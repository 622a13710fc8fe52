package routes

import (
	"net/http"

	"conflicto/apidoc"
	c "conflicto/collections"
)

// The API reference of the export (export.go).

// nullableDate is a date in the records' format, null when unset.
var nullableDate = apidoc.Nullable(apidoc.String())

var exportDoc = apidoc.Op{
	Summary: "Download everything a session holds",
	Tag:     "Sessions",
	Auth:    apidoc.Owner,
	Description: "The host sees everything, revealed or not; any session status. Streamed, with `Content-Disposition: attachment; filename=\"conflicto-<CODE>.<format>\"`. " +
		"CSV: one row per response by activity position then answer time, then one row per question (`answer` its text, `value` `{\"status\", \"pinned\", \"votes\"}`, " +
		"`score` its votes, `answered_at` when it was asked), with the header `session_code, activity_position, activity_type, activity_title, " +
		"participant_nickname, answer, value, score, answered_at, participant_banned`; a cell a spreadsheet would run as a formula gets a leading `'`.",
	Query: []apidoc.Param{{Name: "format", Description: "json (default) or csv.", Schema: apidoc.Enum("json", "csv")}},
	Responses: []apidoc.Response{
		{
			Status: http.StatusOK, Description: "The export (JSON, or CSV with format=csv).",
			Schema: apidoc.Object(apidoc.Props{
				"session": apidoc.Object(apidoc.Props{
					"id": apidoc.String(), "title": apidoc.String(), "description": apidoc.String(), "status": apidoc.String(),
					"code": apidoc.String(), "owner": apidoc.String(), "max_participants": apidoc.Integer(),
					"blocked_words": apidoc.Array(apidoc.String()).Doc("The session's own blocked words ([] for none)."),
					"started_at":    nullableDate, "ended_at": nullableDate, "created": apidoc.String(),
				}, "id", "title", "description", "status", "code", "owner", "max_participants", "blocked_words", "started_at", "ended_at", "created"),
				"activities": apidoc.Array(apidoc.Object(apidoc.Props{
					"id": apidoc.String(), "type": apidoc.String(), "title": apidoc.String(), "position": apidoc.Integer(),
					"status": apidoc.String(), "revealed": apidoc.Boolean(), "started_at": nullableDate, "ended_at": nullableDate,
					"config":  apidoc.Any().Doc("The canonical config (one of the `*Config` schemas)."),
					"results": apidoc.Ref("Results").Doc("As if revealed."),
				}, "id", "type", "title", "position", "status", "revealed", "started_at", "ended_at", "config", "results")).Doc("By position."),
				"participants": apidoc.Array(apidoc.Object(apidoc.Props{
					"id": apidoc.String(), "nickname": apidoc.String(), "joined": apidoc.String(), "last_seen": nullableDate,
					"banned": apidoc.Boolean(),
				}, "id", "nickname", "joined", "last_seen", "banned")).Doc("By join time, banned ones included."),
				"responses": apidoc.Array(apidoc.Object(apidoc.Props{
					"id": apidoc.String(), "activity": apidoc.String(), "participant": apidoc.String(), "nickname": apidoc.String(),
					"value": apidoc.Any().Doc("The canonical value."), "score": apidoc.Nullable(apidoc.Integer()), "created": apidoc.String(),
				}, "id", "activity", "participant", "nickname", "value", "score", "created")),
				"questions": apidoc.Array(apidoc.Object(apidoc.Props{
					"id": apidoc.String(), "activity": apidoc.String(), "participant": apidoc.String(), "nickname": apidoc.String(),
					"text": apidoc.String(), "status": apidoc.Enum(c.QuestionPending, c.QuestionVisible, c.QuestionHidden, c.QuestionAnswered),
					"pinned": apidoc.Boolean(), "votes": apidoc.Integer(), "created": apidoc.String(),
				}, "id", "activity", "participant", "nickname", "text", "status", "pinned", "votes", "created")).Doc(
					"Every question of the session's Q&As, every status, authors named (anonymous Q&As too); by activity position, then time asked."),
				"question_votes": apidoc.Array(apidoc.Object(apidoc.Props{
					"id": apidoc.String(), "question": apidoc.String(), "activity": apidoc.String(), "participant": apidoc.String(),
					"nickname": apidoc.String(), "created": apidoc.String(),
				}, "id", "question", "activity", "participant", "nickname", "created")).Doc("Every upvote; by activity position, then time."),
			}, "session", "activities", "participants", "responses", "questions", "question_votes"),
			Headers: map[string]string{"Content-Disposition": "attachment; filename=\"conflicto-<CODE>.json\" (or .csv)"},
		},
		{Status: http.StatusOK, Type: "text/csv", Description: "The CSV export.", Schema: apidoc.String()},
	},
	Errors: append([]apidoc.Error{
		{Status: http.StatusBadRequest, Field: "format", Code: "invalid_format", When: "format is not json or csv."},
	}, ownerErrors...),
}
