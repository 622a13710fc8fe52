package hooks

import (
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"conflicto/apierr"
	c "conflicto/collections"
)

// registerSessions binds the session rules (tests: apitest/sessions_test.go). The
// rules sit in the create/update/delete model hooks: they run on every save
// path (REST, batch, dashboard, Go code, SaveNoValidate too) and wrap the
// validation, so an update checks the stored row, read again inside the
// write's transaction, not the caller's possibly stale copy. The request
// hooks only guard what a client may send.
//
// Field errors: a change refused because the session is completed is
// reported on data.status (code session_completed), like every other
// refusal that comes from the session's status.
func registerSessions(app core.App) {
	app.OnRecordCreate(c.Sessions).BindFunc(onSessionCreate)
	app.OnRecordUpdate(c.Sessions).BindFunc(onSessionUpdate)
	app.OnRecordDelete(c.Sessions).BindFunc(onSessionDelete)
	app.OnRecordCreateRequest(c.Sessions).BindFunc(onSessionCreateRequest)
	app.OnRecordUpdateRequest(c.Sessions).BindFunc(onSessionUpdateRequest)
	app.OnRecordEnrich(c.Sessions).BindFunc(hideBlockedWords)
}

// onSessionCreate starts a new session as a draft and gives it its join
// code. The lookup for a free code and the insert share one transaction,
// which holds SQLite's single write connection, so no other insert can take
// the code in between; the unique index stays the guarantee against
// anything else.
func onSessionCreate(e *core.RecordEvent) error {
	r := e.Record
	r.Set(c.SessionTitle, strings.TrimSpace(r.GetString(c.SessionTitle)))
	switch c.AsSession(r).Status() {
	case "":
		r.Set(c.SessionStatus, string(c.SessionDraft))
	case c.SessionDraft:
	default:
		return apierr.Invalid(c.SessionStatus, "invalid_transition", "A new session starts as draft.")
	}
	if err := cleanBlockedWords(r); err != nil {
		return err
	}
	if r.GetString(c.SessionCode) != "" {
		// Only Go code can get here with a code (REST refuses one); the
		// field pattern and the unique index still check it.
		return e.Next()
	}
	return inTransaction(e, func(tx core.App) error {
		code, err := newSessionCode(tx, nil)
		if err != nil {
			return apierr.ServerFault(err)
		}
		r.Set(c.SessionCode, code)
		return e.Next()
	})
}

func onSessionUpdate(e *core.RecordEvent) error {
	return inTransaction(e, func(tx core.App) error {
		r := e.Record
		stored, err := tx.FindRecordById(c.Sessions, r.Id)
		if err != nil {
			return apierr.ServerFault(fmt.Errorf("load stored session %s: %w", r.Id, err))
		}
		r.Set(c.SessionTitle, strings.TrimSpace(r.GetString(c.SessionTitle)))
		from, to := c.AsSession(stored).Status(), c.AsSession(r).Status()
		switch {
		case from == c.SessionCompleted:
			return apierr.Invalid(c.SessionStatus, "session_completed", "The session is completed and can no longer be changed.")
		case !c.SessionTransitions.CanTransition(from, to):
			return apierr.Invalid(c.SessionStatus, "invalid_transition", fmt.Sprintf("A session cannot go from %q to %q.", from, to))
		case r.GetString(c.SessionCode) != stored.GetString(c.SessionCode):
			return apierr.Invalid(c.SessionCode, "read_only", "The join code is set by the server and cannot be changed.")
		case from == c.SessionDraft && to == c.SessionActive:
			r.Set(c.SessionStartedAt, types.NowDateTime())
		case from == c.SessionActive && to == c.SessionCompleted:
			// Expire first: once the session is completed its activities
			// are read-only. A refused save below rolls this back.
			if err := expireActiveActivity(tx, r.Id); err != nil {
				return err
			}
			r.Set(c.SessionEndedAt, types.NowDateTime())
		}
		if err := cleanBlockedWords(r); err != nil {
			return err
		}
		return e.Next()
	})
}

// onSessionDelete refuses to delete an active session, whoever asks: the
// API rule already stops hosts, this stops superusers and Go code. The
// status is read again inside the delete's transaction, not trusted from
// the caller's copy.
func onSessionDelete(e *core.RecordEvent) error {
	return inTransaction(e, func(tx core.App) error {
		fresh, err := tx.FindRecordById(c.Sessions, e.Record.Id)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return e.Next()
		case err != nil:
			return apierr.ServerFault(fmt.Errorf("find session %s: %w", e.Record.Id, err))
		case c.AsSession(fresh).Status() == c.SessionActive:
			return apierr.Invalid(c.SessionStatus, "session_active", "An active session cannot be deleted; complete it first.")
		}
		return faultUnlessClients(e.Next())
	})
}

// sessionServerFields are set by the server only; a client may not send them.
var sessionServerFields = c.ServerSet[c.Sessions]

func onSessionCreateRequest(e *core.RecordRequestEvent) error {
	info, err := e.RequestInfo()
	if err != nil {
		return err
	}
	// An empty value is what the dashboard sends for a field left blank.
	for _, field := range sessionServerFields {
		if v := info.Body[field]; v != nil && v != "" {
			return apierr.BadRequest(field, "read_only", fmt.Sprintf("The %s field is set by the server.", field))
		}
	}
	// The create rule refuses a foreign owner; a missing one is the host.
	if e.Auth != nil && e.Auth.Collection().Name == c.Users && e.Record.GetString(c.SessionOwner) == "" {
		e.Record.Set(c.SessionOwner, e.Auth.Id)
	}
	return e.Next()
}

// onSessionUpdateRequest refuses changed server fields. Unchanged values
// pass: the dashboard sends the whole record back.
func onSessionUpdateRequest(e *core.RecordRequestEvent) error {
	old := e.Record.Original()
	for _, field := range []string{c.SessionStartedAt, c.SessionEndedAt} {
		if !e.Record.GetDateTime(field).Equal(old.GetDateTime(field)) {
			return apierr.BadRequest(field, "read_only", fmt.Sprintf("The %s field is set by the server.", field))
		}
	}
	return e.Next()
}
