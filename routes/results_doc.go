package routes

import (
	"net/http"

	"conflicto/apidoc"
	c "conflicto/collections"
)

// The API reference of results, reset and the leaderboard.

var resultsDoc = apidoc.Op{
	Summary: "Read an activity's results",
	Tag:     "Activities",
	Auth:    apidoc.Anyone,
	Description: "The owner always (a draft's included); anyone else, without a token, once the activity is not a draft and its type makes the results public " +
		"(a poll with live results, a word cloud, a revealed poker round or quiz). Before the reveal a poker round's results are `voters` only and a quiz's have no `correct`, for the owner too. " +
		"Never older than the live document.",
	Responses: []apidoc.Response{{Status: http.StatusOK, Description: "The results.", Schema: apidoc.Ref("Results")}},
	Errors: []apidoc.Error{
		{Status: http.StatusNotFound, When: "An unknown id, or results that are not public to this caller (a stranger cannot tell the two apart)."},
	},
}

var resetDoc = apidoc.Op{
	Summary: "Clear a poker round for a re-vote",
	Tag:     "Activities",
	Auth:    apidoc.Owner,
	Description: "In one transaction, one SQL DELETE removes all the round's answers, then `revealed` is set to false. " +
		"No realtime `delete` events for the answers; the activity's `update` event and the live topic carry the reset. No body.",
	NoBody:    true,
	Responses: []apidoc.Response{{Status: http.StatusOK, Description: "The activity.", Schema: apidoc.Ref(c.Activities)}},
	Errors: append([]apidoc.Error{
		{Status: http.StatusBadRequest, Field: c.ActivityType, Code: "reset_unsupported", When: "Only poker rounds can be reset."},
		{Status: http.StatusBadRequest, Field: c.ActivitySession, Code: "session_completed", When: "The session is completed; nothing is deleted."},
	}, ownerErrors...),
}

var leaderboardDoc = apidoc.Op{
	Summary: "Read the session's leaderboard",
	Tag:     "Sessions",
	Auth:    apidoc.Owner,
	Description: "Every participant of the session (0 without answers), over every quiz, revealed or not, sorted by score (descending), then total answer time, " +
		"then nickname, then id.",
	Responses: []apidoc.Response{{
		Status: http.StatusOK, Description: "The leaderboard.",
		Schema: apidoc.Object(apidoc.Props{"items": apidoc.Array(apidoc.Ref("LeaderboardEntry"))}, "items"),
	}},
	Errors: ownerErrors,
}
