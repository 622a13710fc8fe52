package routes

import (
	"net/http"

	"conflicto/apidoc"
	c "conflicto/collections"
)

// The API reference of ban (ban.go) and duplicate (duplicate.go).

var banDoc = apidoc.Op{
	Summary: "Ban a participant",
	Tag:     "Participants",
	Auth:    apidoc.Owner,
	Description: "Marks the participant `banned` through a normal save; the record stays (the host sees who was banned, the export keeps their answers, " +
		"their nickname's key stays taken in the session). Their token is dead at once: 401 on REST, their realtime connections closed and a subscribe " +
		"with it refused; a join or join check sending that token answers 403 `banned`. A second ban changes nothing and answers the same. Any session status. No body.",
	NoBody:    true,
	Responses: []apidoc.Response{{Status: http.StatusOK, Description: "The participant, banned.", Schema: apidoc.Ref(c.Participants)}},
	Errors:    ownerErrors,
}

var duplicateDoc = apidoc.Op{
	Summary: "Copy a session's deck into a new draft",
	Tag:     "Sessions",
	Auth:    apidoc.Owner,
	Description: "In one transaction, through the normal save path: a new `draft` session of the same owner with a new `code` and the original's `title`, " +
		"`description`, `max_participants` and `blocked_words`; then a copy of each activity, by position, as a `draft` with its `type`, `title`, `config` " +
		"and `notes`. Nothing of the run is copied (participants, answers, `revealed`, times). Any session status. No body.",
	NoBody:    true,
	Responses: []apidoc.Response{{Status: http.StatusCreated, Description: "The new session.", Schema: apidoc.Ref(c.Sessions)}},
	Errors:    ownerErrors,
}
