package hooks

import (
	"database/sql"
	"errors"
	"net/http"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"conflicto/apierr"
	c "conflicto/collections"
)

// bindSessionRoutes adds the owner's routes that change several activities
// of a session at once.
func bindSessionRoutes(se *core.ServeEvent) error {
	g := se.Router.Group("/api/sessions/{id}")
	g.Bind(apis.RequireAuth())
	g.POST("/advance", advanceSession)
	g.POST("/reorder", reorderSession)
	return se.Next()
}

// ownedSession returns the session of the path when the caller owns it or
// is a superuser. Like PocketBase's own record routes, it answers 404 to a
// caller who may not even see the session and 403 to one who may see it
// but not run it (a participant of that session).
func ownedSession(e *core.RequestEvent) (*core.Record, error) {
	session, err := e.App.FindRecordById(c.Sessions, e.Request.PathValue("id"))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, e.NotFoundError("", nil)
	}
	if err != nil {
		return nil, e.InternalServerError("", err)
	}
	if e.HasSuperuserAuth() ||
		(e.Auth.Collection().Name == c.Users && e.Auth.Id == session.GetString(c.SessionOwner)) {
		return session, nil
	}
	info, err := e.RequestInfo()
	if err != nil {
		return nil, e.InternalServerError("", err)
	}
	if canView, _ := e.App.CanAccessRecord(session, info, session.Collection().ViewRule); canView {
		return nil, e.ForbiddenError("Only the session's host can do this.", nil)
	}
	return nil, e.NotFoundError("", nil)
}

// advanceSession expires the active activity and activates the next draft
// (API.md), all in one transaction, so that two advances in a race run one
// after the other.
func advanceSession(e *core.RequestEvent) error {
	session, err := ownedSession(e)
	if err != nil {
		return err
	}
	var next *core.Record
	err = e.App.RunInTransaction(func(tx core.App) error {
		fresh, err := tx.FindRecordById(c.Sessions, session.Id)
		if err != nil {
			return err
		}
		if c.AsSession(fresh).Status() != c.SessionActive {
			return apierr.BadRequest(c.SessionStatus, "session_not_active", "Only an active session can advance.")
		}
		next, err = advance(tx, session.Id)
		return err
	})
	if err != nil {
		return apierr.RouteError(e, err)
	}
	if next == nil {
		return e.JSON(http.StatusOK, map[string]any{"activity": nil})
	}
	if err := apis.EnrichRecord(e, next); err != nil {
		return e.InternalServerError("", err)
	}
	return e.JSON(http.StatusOK, map[string]any{"activity": next})
}

// advance moves the session's run on by one and returns the activity it
// activated, or nil past the end. The next draft is the first one after
// the position of the activity that is active or, when none is, of the one
// that ran last (latest started_at); before anything ran, the first draft.
func advance(app core.App, sessionID string) (*core.Record, error) {
	all, err := sessionActivities(app, sessionID)
	if err != nil {
		return nil, err
	}
	var current, last *core.Record
	for _, a := range all {
		switch c.AsActivity(a).Status() {
		case c.ActivityActive:
			current = a
		case c.ActivityExpired:
			if last == nil || ranLater(a, last) {
				last = a
			}
		}
	}
	after := 0
	switch {
	case current != nil:
		after = current.GetInt(c.ActivityPosition)
		current.Set(c.ActivityStatus, string(c.ActivityExpired))
		if err := app.Save(current); err != nil {
			return nil, err
		}
	case last != nil:
		after = last.GetInt(c.ActivityPosition)
	}
	for _, a := range all {
		if c.AsActivity(a).Status() == c.ActivityDraft && a.GetInt(c.ActivityPosition) > after {
			a.Set(c.ActivityStatus, string(c.ActivityActive))
			if err := app.Save(a); err != nil {
				return nil, err
			}
			return a, nil
		}
	}
	return nil, nil
}

// ranLater reports whether a started after b (ended_at breaks a tie).
func ranLater(a, b *core.Record) bool {
	as, bs := a.GetDateTime(c.ActivityStartedAt), b.GetDateTime(c.ActivityStartedAt)
	if !as.Equal(bs) {
		return as.After(bs)
	}
	return a.GetDateTime(c.ActivityEndedAt).After(b.GetDateTime(c.ActivityEndedAt))
}

type reorderBody struct {
	Activities []string `json:"activities"`
}

// reorderSession sets the order of all the session's activities at once.
func reorderSession(e *core.RequestEvent) error {
	session, err := ownedSession(e)
	if err != nil {
		return err
	}
	var body reorderBody
	if err := e.BindBody(&body); err != nil {
		return apierr.BadRequest("activities", "invalid_permutation", "Send {\"activities\": [ids]}: the session's activity ids in the new order.")
	}
	var ordered []*core.Record
	err = e.App.RunInTransaction(func(tx core.App) error {
		fresh, err := tx.FindRecordById(c.Sessions, session.Id)
		if err != nil {
			return err
		}
		if c.AsSession(fresh).Status() == c.SessionCompleted {
			return apierr.BadRequest(c.SessionStatus, "session_completed", "The session is completed; its activities can no longer be reordered.")
		}
		all, err := sessionActivities(tx, session.Id)
		if err != nil {
			return err
		}
		if !isPermutation(all, body.Activities) {
			return apierr.BadRequest("activities", "invalid_permutation", "The list must hold every activity id of the session exactly once.")
		}
		ordered, err = reorderActivities(tx, all, body.Activities)
		return err
	})
	if err != nil {
		return apierr.RouteError(e, err)
	}
	if err := apis.EnrichRecords(e, ordered); err != nil {
		return e.InternalServerError("", err)
	}
	return e.JSON(http.StatusOK, map[string]any{"activities": ordered})
}

func isPermutation(all []*core.Record, ids []string) bool {
	if len(ids) != len(all) {
		return false
	}
	want := make(map[string]bool, len(all))
	for _, a := range all {
		want[a.Id] = true
	}
	for _, id := range ids {
		if !want[id] {
			return false
		}
		delete(want, id) // a repeated id is then missing
	}
	return true
}
