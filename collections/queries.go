package collections

import (
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// FindSession returns the session with id; sql.ErrNoRows when there is none.
func FindSession(app core.App, id string) (*Session, error) {
	if id == "" {
		return nil, sql.ErrNoRows
	}
	r, err := app.FindRecordById(Sessions, id)
	if err != nil {
		return nil, err
	}
	return AsSession(r), nil
}

// FindSessionByCode returns the session with the join code, matched
// case-insensitively (codes are stored upper case); sql.ErrNoRows when
// there is none.
func FindSessionByCode(app core.App, code string) (*Session, error) {
	code = strings.ToUpper(strings.TrimSpace(code))
	if code == "" {
		return nil, sql.ErrNoRows
	}
	r, err := app.FindFirstRecordByData(Sessions, SessionCode, code)
	if err != nil {
		return nil, err
	}
	return AsSession(r), nil
}

// FindActivity returns the activity with id; sql.ErrNoRows when there is none.
func FindActivity(app core.App, id string) (*Activity, error) {
	if id == "" {
		return nil, sql.ErrNoRows
	}
	r, err := app.FindRecordById(Activities, id)
	if err != nil {
		return nil, err
	}
	return AsActivity(r), nil
}

// CurrentActivity returns the active activity of the session, else the one
// that ended last, else nil: what the audience sees. Drafts never show.
func CurrentActivity(app core.App, sessionID string) (*Activity, error) {
	r := &core.Record{}
	err := app.RecordQuery(Activities).
		AndWhere(dbx.HashExp{ActivitySession: sessionID}).
		AndWhere(dbx.In(ActivityStatus, string(ActivityActive), string(ActivityExpired))).
		OrderBy(
			"([["+ActivityStatus+"]] = '"+string(ActivityActive)+"') DESC",
			"[["+ActivityEndedAt+"]] DESC",
			"[["+ActivityPosition+"]] DESC",
		).
		Limit(1).
		One(r)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("find current activity of session %s: %w", sessionID, err)
	}
	return AsActivity(r), nil
}
