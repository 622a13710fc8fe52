package hooks

import (
	"bytes"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"conflicto/activity"
	"conflicto/apierr"
	c "conflicto/collections"
)

// registerActivities binds the activity rules. As for sessions, the rules sit in the create/update/delete model
// hooks, each in one transaction with the write: they hold on every save
// path and check the stored rows, not the caller's copy.
//
// Field errors beyond docs/API.md: a change refused because the session is
// completed is reported on data.session (code session_completed); a
// position beyond n+1 on create is data.position "position_out_of_range";
// a REST update that changes position is data.position "use_reorder" (the
// order changes only through POST /api/sessions/{id}/reorder, which keeps
// positions 1..n).
func registerActivities(app core.App) {
	app.OnRecordCreate(c.Activities).BindFunc(onActivityCreate)
	app.OnRecordUpdate(c.Activities).BindFunc(onActivityUpdate)
	app.OnRecordDelete(c.Activities).BindFunc(onActivityDelete)
	app.OnRecordCreateRequest(c.Activities).BindFunc(onActivityCreateRequest)
	app.OnRecordUpdateRequest(c.Activities).BindFunc(onActivityUpdateRequest)
	app.OnRecordEnrich(c.Activities).BindFunc(hideNotes)
}

// findSession returns the session with id, or nil when there is none.
func findSession(app core.App, id string) (*c.Session, error) {
	s, err := c.FindSession(app, id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, apierr.ServerFault(fmt.Errorf("find session %s: %w", id, err))
	}
	return s, nil
}

// onActivityCreate checks a new activity and places it. The transaction
// keeps the position computed by placeNewActivity free until the insert.
func onActivityCreate(e *core.RecordEvent) error {
	r := e.Record
	r.Set(c.ActivityTitle, strings.TrimSpace(r.GetString(c.ActivityTitle)))
	switch c.AsActivity(r).Status() {
	case "":
		r.Set(c.ActivityStatus, string(c.ActivityDraft))
	case c.ActivityDraft:
	default:
		return apierr.Invalid(c.ActivityStatus, "invalid_transition", "A new activity starts as draft.")
	}
	return inTransaction(e, func(tx core.App) error {
		session, err := findSession(tx, r.GetString(c.ActivitySession))
		if err != nil {
			return err
		}
		if session == nil {
			return e.Next() // the relation field reports it
		}
		if session.Status() == c.SessionCompleted {
			return sessionCompleted()
		}
		if err := normalizeActivityConfig(r); err != nil {
			return err
		}
		if err := placeNewActivity(tx, r); err != nil {
			return err
		}
		return activityUniqueError(e.Next())
	})
}

// onActivityUpdate checks the change against the stored activity and runs
// the transitions' side effects: activating expires the session's active
// activity in the same transaction (the partial unique index is the
// guarantee, this the friendly path) and stamps started_at; expiring
// stamps ended_at.
func onActivityUpdate(e *core.RecordEvent) error {
	return inTransaction(e, func(tx core.App) error {
		r := e.Record
		stored, err := tx.FindRecordById(c.Activities, r.Id)
		if err != nil {
			return apierr.ServerFault(fmt.Errorf("load stored activity %s: %w", r.Id, err))
		}
		for _, field := range []string{c.ActivitySession, c.ActivityType} {
			if r.GetString(field) != stored.GetString(field) {
				return apierr.Invalid(field, "immutable", fmt.Sprintf("The %s of an activity cannot change.", field))
			}
		}
		session, err := findSession(tx, r.GetString(c.ActivitySession))
		if err != nil {
			return err
		}
		if session == nil {
			return e.Next()
		}
		if session.Status() == c.SessionCompleted {
			return sessionCompleted()
		}
		r.Set(c.ActivityTitle, strings.TrimSpace(r.GetString(c.ActivityTitle)))
		from, to := c.AsActivity(stored).Status(), c.AsActivity(r).Status()
		if !c.ActivityTransitions.CanTransition(from, to) {
			return apierr.Invalid(c.ActivityStatus, "invalid_transition", fmt.Sprintf("An activity cannot go from %q to %q.", from, to))
		}
		if err := checkConfigChange(stored, r); err != nil {
			return err
		}
		switch {
		case from == c.ActivityDraft && to == c.ActivityActive:
			if session.Status() != c.SessionActive {
				return apierr.Invalid(c.ActivityStatus, "session_not_active", "Activities can run only while their session is active.")
			}
			if err := expireActiveActivity(tx, session.Id); err != nil {
				return err
			}
			r.Set(c.ActivityStartedAt, types.NowDateTime())
		case from == c.ActivityActive && to == c.ActivityExpired:
			r.Set(c.ActivityEndedAt, types.NowDateTime())
		}
		return activityUniqueError(e.Next())
	})
}

func sessionCompleted() error {
	return apierr.Invalid(c.ActivitySession, "session_completed", "The session is completed; its activities can no longer change.")
}

// checkConfigChange normalizes a draft's config; past draft the config is
// frozen: it may be sent back, but only unchanged (compared in canonical
// form, so key order and spacing do not count).
func checkConfigChange(stored, r *core.Record) error {
	if c.AsActivity(stored).Status() == c.ActivityDraft {
		return normalizeActivityConfig(r)
	}
	t := activity.Type(r.GetString(c.ActivityType))
	was, _ := activity.NormalizeConfig(t, c.AsActivity(stored).Config())
	now, err := activity.NormalizeConfig(t, c.AsActivity(r).Config())
	if err != nil || !bytes.Equal(was, now) {
		return apierr.Invalid(c.ActivityConfig, "config_frozen", "The config can change only while the activity is a draft.")
	}
	return nil
}

// normalizeActivityConfig validates the config through package activity,
// the one place that knows the types, and stores its canonical form with
// the defaults filled in. An unknown type is left to the select field.
func normalizeActivityConfig(r *core.Record) error {
	t := activity.Type(r.GetString(c.ActivityType))
	if !activity.Valid(t) {
		return nil
	}
	out, err := activity.NormalizeConfig(t, c.AsActivity(r).Config())
	if err != nil {
		return apierr.Invalid(err.Field, err.Code, err.Message)
	}
	r.Set(c.ActivityConfig, types.JSONRaw(out))
	return nil
}

// expireActiveActivity expires the session's active activity, if any.
func expireActiveActivity(app core.App, sessionID string) error {
	active, err := app.FindFirstRecordByFilter(c.Activities, "session = {:session} && status = {:status}",
		dbx.Params{"session": sessionID, "status": string(c.ActivityActive)})
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return apierr.ServerFault(fmt.Errorf("find the active activity of session %s: %w", sessionID, err))
	}
	active.Set(c.ActivityStatus, string(c.ActivityExpired))
	return app.Save(active)
}

// onActivityDelete keeps positions 1..n by compacting the rest in the
// delete's transaction. PocketBase deletes a session before cascading to
// its activities, so a missing session means the whole session goes and
// there is nothing to keep in order or to protect.
func onActivityDelete(e *core.RecordEvent) error {
	return inTransaction(e, func(tx core.App) error {
		session, err := findSession(tx, e.Record.GetString(c.ActivitySession))
		if err != nil {
			return err
		}
		if session == nil {
			return e.Next()
		}
		if session.Status() == c.SessionCompleted {
			return sessionCompleted()
		}
		fresh, err := tx.FindRecordById(c.Activities, e.Record.Id)
		if err != nil {
			return e.Next() // already gone: let PocketBase report it
		}
		if c.AsActivity(fresh).Status() == c.ActivityActive {
			return apierr.Invalid(c.ActivityStatus, "activity_active", "An active activity cannot be deleted; advance or expire it first.")
		}
		if err := e.Next(); err != nil {
			return err
		}
		return compactPositions(tx, session.Id, fresh.GetInt(c.ActivityPosition))
	})
}

func onActivityCreateRequest(e *core.RecordRequestEvent) error {
	info, err := e.RequestInfo()
	if err != nil {
		return err
	}
	for _, field := range c.ServerSet[c.Activities] {
		if v := info.Body[field]; v != nil && v != "" {
			return apierr.BadRequest(field, "read_only", fmt.Sprintf("The %s field is set by the server.", field))
		}
	}
	return e.Next()
}

// onActivityUpdateRequest refuses changes a client may not make; unchanged
// values pass, as the dashboard sends the whole record back.
func onActivityUpdateRequest(e *core.RecordRequestEvent) error {
	old := e.Record.Original()
	if e.Record.GetInt(c.ActivityPosition) != old.GetInt(c.ActivityPosition) {
		return apierr.BadRequest(c.ActivityPosition, "use_reorder", "Change the order with POST /api/sessions/{id}/reorder.")
	}
	for _, field := range c.ServerSet[c.Activities] {
		if !e.Record.GetDateTime(field).Equal(old.GetDateTime(field)) {
			return apierr.BadRequest(field, "read_only", fmt.Sprintf("The %s field is set by the server.", field))
		}
	}
	return e.Next()
}
