package routes

import (
	"database/sql"
	"errors"
	"fmt"
	"net/http"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"

	"conflicto/apidoc"
	c "conflicto/collections"
)

// Keys under which the owner guards leave what they found for the handler.
const (
	sessionKey     = "conflicto.session"
	activityKey    = "conflicto.activity"
	participantKey = "conflicto.participant"
)

// requireSessionOwner lets through the owner of the session of the {id}
// path value, and superusers. Like PocketBase's record routes it answers
// 404 to a caller who may not even see the session (unknown or not) and
// 403 to one who may see it but not run it (a participant of that
// session). It runs after apis.RequireAuth (401 without a token).
func requireSessionOwner() *hook.Handler[*core.RequestEvent] {
	return &hook.Handler[*core.RequestEvent]{Func: func(e *core.RequestEvent) error {
		session, err := c.FindSession(e.App, e.Request.PathValue("id"))
		if errors.Is(err, sql.ErrNoRows) {
			return e.NotFoundError("", nil)
		}
		if err != nil {
			return e.InternalServerError("", fmt.Errorf("find session: %w", err))
		}
		if err := checkOwner(e, session); err != nil {
			return err
		}
		e.Set(sessionKey, session)
		return e.Next()
	}}
}

// requireActivityOwner is requireSessionOwner for the session of the
// activity of the {id} path value.
func requireActivityOwner() *hook.Handler[*core.RequestEvent] {
	return &hook.Handler[*core.RequestEvent]{Func: func(e *core.RequestEvent) error {
		act, err := c.FindActivity(e.App, e.Request.PathValue("id"))
		if errors.Is(err, sql.ErrNoRows) {
			return e.NotFoundError("", nil)
		}
		if err != nil {
			return e.InternalServerError("", fmt.Errorf("find activity: %w", err))
		}
		session, err := c.FindSession(e.App, act.SessionID())
		if err != nil {
			return e.InternalServerError("", fmt.Errorf("find session of activity %s: %w", act.Id, err))
		}
		if err := checkOwner(e, session); err != nil {
			return err
		}
		e.Set(sessionKey, session)
		e.Set(activityKey, act)
		return e.Next()
	}}
}

// requireParticipantOwner is requireSessionOwner for the session of the
// participant of the {id} path value. The participant themself may view
// the session, so gets 403, as any participant of that session does.
func requireParticipantOwner() *hook.Handler[*core.RequestEvent] {
	return &hook.Handler[*core.RequestEvent]{Func: func(e *core.RequestEvent) error {
		p, err := c.FindParticipant(e.App, e.Request.PathValue("id"))
		if errors.Is(err, sql.ErrNoRows) {
			return e.NotFoundError("", nil)
		}
		if err != nil {
			return e.InternalServerError("", fmt.Errorf("find participant: %w", err))
		}
		session, err := c.FindSession(e.App, p.SessionID())
		if err != nil {
			return e.InternalServerError("", fmt.Errorf("find session of participant %s: %w", p.Id, err))
		}
		if err := checkOwner(e, session); err != nil {
			return err
		}
		e.Set(sessionKey, session)
		e.Set(participantKey, p)
		return e.Next()
	}}
}

// checkOwner is nil for the session's owner and superusers, else the 403
// or 404 the session's view rule calls for.
func checkOwner(e *core.RequestEvent, session *c.Session) error {
	if isOwner(e, session) {
		return nil
	}
	info, err := e.RequestInfo()
	if err != nil {
		// RequestInfo reads the body, even a GET's: what fails there is
		// the client's (too large, not JSON), not the server's.
		return bodyError(err)
	}
	if canView, _ := e.App.CanAccessRecord(session.Record, info, session.Collection().ViewRule); canView {
		return e.ForbiddenError("Only the session's host can do this.", nil)
	}
	return e.NotFoundError("", nil)
}

// isOwner reports whether the caller is a superuser or the host who owns
// the session.
func isOwner(e *core.RequestEvent, session *c.Session) bool {
	return e.HasSuperuserAuth() ||
		(e.Auth != nil && e.Auth.Collection().Name == c.Users && e.Auth.Id == session.OwnerID())
}

// sessionOf is the session an owner guard found.
func sessionOf(e *core.RequestEvent) *c.Session { return e.Get(sessionKey).(*c.Session) }

// activityOf is the activity requireActivityOwner found.
func activityOf(e *core.RequestEvent) *c.Activity { return e.Get(activityKey).(*c.Activity) }

// participantOf is the participant requireParticipantOwner found.
func participantOf(e *core.RequestEvent) *c.Participant {
	return e.Get(participantKey).(*c.Participant)
}

// ownerErrors are the owner guard's refusals, for the API reference.
var ownerErrors = []apidoc.Error{
	{Status: http.StatusUnauthorized, When: "No token."},
	{Status: http.StatusForbidden, When: "A caller who may view the session but not run it (a participant of the session)."},
	{Status: http.StatusNotFound, When: "An unknown id, or a caller who may not see the session."},
}
