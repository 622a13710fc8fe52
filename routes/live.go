package routes

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	c "conflicto/collections"
)

// live serves GET /api/live/{code} from the cached document. A
// participant of this session also gets `me`; a participant of another
// session, like anyone else, gets the public document only.
func (a *api) live(e *core.RequestEvent) error {
	sessionID, _, apiErr := a.findLiveSession(e)
	if apiErr != nil {
		return apiErr
	}
	snap, err := a.hub.Snapshot(sessionID)
	if errors.Is(err, sql.ErrNoRows) {
		return apis.NewNotFoundError("No session has this code.", nil)
	}
	if err != nil {
		return apis.NewInternalServerError("", err)
	}
	body := snap.Data
	if p := e.Auth; p != nil && p.Collection().Name == c.Participants && p.GetString(c.ParticipantSession) == sessionID {
		me, err := liveMe(e.App, p, snap.ActivityID, snap.Standings)
		if err != nil {
			return apis.NewInternalServerError("", err)
		}
		// The shared bytes end with the document's closing brace.
		body = append(append(append([]byte{}, body[:len(body)-1]...), `,"me":`...), me...)
		body = append(body, '}')
	}
	e.Response.Header().Set("Cache-Control", "no-store")
	return e.Blob(http.StatusOK, "application/json", body)
}

// findLiveSession resolves the {code} path value, case-insensitively, to
// the session id and the canonical (upper-case) code, within the caller's
// allowance of unknown codes; a session past its live retention is not
// found.
func (a *api) findLiveSession(e *core.RequestEvent) (sessionID, code string, err error) {
	code = strings.ToUpper(strings.TrimSpace(e.Request.PathValue("code")))
	notFound := apis.NewNotFoundError("No session has this code.", nil)
	if !c.ValidCode(code) {
		return "", "", notFound
	}
	found, err := a.codes.lookup(e, code, func() (bool, error) {
		id, err := a.hub.SessionIDByCode(code)
		if errors.Is(err, sql.ErrNoRows) {
			return false, nil
		}
		if err != nil {
			return false, apis.NewInternalServerError("", fmt.Errorf("find session by code: %w", err))
		}
		// Past its retention, a completed session answers as an unknown
		// code (and counts as a miss).
		retired, err := a.hub.Retired(id)
		if errors.Is(err, sql.ErrNoRows) {
			return false, nil
		}
		if err != nil {
			return false, apis.NewInternalServerError("", fmt.Errorf("session retention: %w", err))
		}
		sessionID = id
		return !retired, nil
	})
	if err != nil {
		return "", "", err
	}
	if !found {
		return "", "", notFound
	}
	return sessionID, code, nil
}

// liveMe is the participant's own part of the live state: who they are,
// their answer to the current activity (null when none) and, when the
// document shows a leaderboard, their place on it (null otherwise), read
// from the standings the document's build computed.
func liveMe(app core.App, p *core.Record, activityID string, standings map[string]c.Standing) ([]byte, error) {
	var answer json.RawMessage
	if activityID != "" {
		var value string
		err := app.DB().Select(c.ResponseValue).From(c.Responses).
			Where(dbx.HashExp{c.ResponseActivity: activityID, c.ResponseParticipant: p.Id}).
			Row(&value)
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return nil, fmt.Errorf("find answer of participant %s: %w", p.Id, err)
		case json.Valid([]byte(value)):
			answer = json.RawMessage(value)
		}
	}
	if answer == nil {
		answer = json.RawMessage("null")
	}
	var standing *c.Standing
	if st, ok := standings[p.Id]; ok {
		standing = &st
	}
	return json.Marshal(map[string]any{
		"id":       p.Id,
		"nickname": p.GetString(c.ParticipantNickname),
		"answer":   answer,
		"standing": standing,
	})
}
