package routes

import (
	"fmt"
	"net/http"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"conflicto/apierr"
	c "conflicto/collections"
)

// advance serves POST /api/sessions/{id}/advance: it expires the active activity and activates the next draft
// (docs/API.md), all in one transaction, so that two advances in a race run one
// after the other.
func (a *api) advance(e *core.RequestEvent) error {
	session := sessionOf(e)
	var next *core.Record
	err := e.App.RunInTransaction(func(tx core.App) error {
		fresh, err := tx.FindRecordById(c.Sessions, session.Id)
		if err != nil {
			return err
		}
		if c.AsSession(fresh).Status() != c.SessionActive {
			return apierr.BadRequest(c.SessionStatus, "session_not_active", "Only an active session can advance.")
		}
		next, err = advanceRun(tx, session.Id)
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

// advanceRun moves the session's run on by one and returns the activity it
// activated, or nil past the end. The next draft is the first one after
// the position of the activity that is active or, when none is, of the one
// that ran last (latest started_at); before anything ran, the first draft.
func advanceRun(app core.App, sessionID string) (*core.Record, error) {
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

// reorder serves POST /api/sessions/{id}/reorder: it sets the order of all the session's activities at once.
func (a *api) reorder(e *core.RequestEvent) error {
	session := sessionOf(e)
	var body reorderBody
	if err := e.BindBody(&body); err != nil {
		return apierr.BadRequest("activities", "invalid_permutation", "Send {\"activities\": [ids]}: the session's activity ids in the new order.")
	}
	var ordered []*core.Record
	err := e.App.RunInTransaction(func(tx core.App) error {
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

// sessionActivities returns the session's activities by position.
func sessionActivities(app core.App, sessionID string) ([]*core.Record, error) {
	list, err := app.FindRecordsByFilter(c.Activities, "session = {:session}", c.ActivityPosition, 0, 0,
		dbx.Params{"session": sessionID})
	if err != nil {
		return nil, apierr.ServerFault(fmt.Errorf("find the activities of session %s: %w", sessionID, err))
	}
	return list, nil
}

// reorderActivities gives the activities of a session (all of them, as
// returned by sessionActivities) the positions of their index in order, a
// permutation of their ids checked by the caller. SQLite checks the unique
// index row by row, so the moved activities first leave for negative
// positions (one statement, no clashes), then each takes its new place.
func reorderActivities(app core.App, all []*core.Record, order []string) ([]*core.Record, error) {
	byID := make(map[string]*core.Record, len(all))
	for _, a := range all {
		byID[a.Id] = a
	}
	var moved []any
	for i, id := range order {
		if byID[id].GetInt(c.ActivityPosition) != i+1 {
			moved = append(moved, id)
		}
	}
	if len(moved) > 0 {
		_, err := app.DB().Update(c.Activities,
			dbx.Params{c.ActivityPosition: dbx.NewExp("-[[" + c.ActivityPosition + "]]")},
			dbx.In("id", moved...),
		).Execute()
		if err != nil {
			return nil, apierr.ServerFault(fmt.Errorf("move activities aside: %w", err))
		}
	}
	out := make([]*core.Record, len(order))
	for i, id := range order {
		a := byID[id]
		if a.GetInt(c.ActivityPosition) != i+1 {
			a.Set(c.ActivityPosition, i+1)
			if err := app.Save(a); err != nil {
				return nil, err
			}
		}
		out[i] = a
	}
	return out, nil
}
