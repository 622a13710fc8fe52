package hooks

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
	"conflicto/config"
	"conflicto/live"
)

// registerLive binds the live state (GET /api/live/{code} and the realtime
// topic live/{code}), its QR code, and the results, leaderboard and export
// routes. The hub lives as long as the app: its timers stop on terminate.
//
// Choices where API.md is silent:
//   - The current activity is the active one, else the one that ended last
//     (drafts never show), so a revealed question stays on the screen until
//     the next starts, also after the session completes.
//   - A participant token of another session gets the public document
//     without `me`, like an anonymous reader; the topic never carries `me`.
//   - version is a counter seeded with the clock in microseconds, so it also
//     grows across restarts.
//   - Topic names are matched case-insensitively like codes: a client that
//     subscribes to live/abc123 (or with the SDK's ?options= suffix) gets
//     its messages under the exact name it used.
//   - The public leaderboard counts revealed quizzes only; the host's counts
//     every quiz.
func registerLive(app core.App, cfg config.Config) {
	h := live.New(app, liveBuilder(cfg.PublicURL))
	bindLiveTriggers(app, h)

	app.OnRealtimeSubscribeRequest().BindFunc(func(e *core.RealtimeSubscribeRequestEvent) error {
		if err := e.Next(); err != nil {
			return err
		}
		for _, name := range e.Subscriptions {
			h.Welcome(e.Client, name)
		}
		return nil
	})
	api := liveAPI{hub: h, publicURL: cfg.PublicURL}
	app.OnServe().BindFunc(func(e *core.ServeEvent) error {
		e.Router.GET("/api/live/{code}", api.serveLive)
		e.Router.GET("/api/live/{code}/qr.svg", api.serveQR)
		return e.Next()
	})
	app.OnTerminate().BindFunc(func(e *core.TerminateEvent) error {
		h.Stop()
		return e.Next()
	})

}

// liveBuilder builds the hub's documents with buildLiveDoc, version 0:
// the hub splices its own in.
func liveBuilder(publicURL string) live.Builder {
	return func(app core.App, sessionID string) (live.Document, error) {
		doc, activityID, err := buildLiveDoc(app, sessionID, publicURL, 0)
		if err != nil {
			return live.Document{}, err
		}
		data, err := json.Marshal(doc)
		if err != nil {
			return live.Document{}, fmt.Errorf("marshal live state of session %s: %w", sessionID, err)
		}
		return live.Document{
			JSON:       data,
			Code:       doc.Session.Code,
			ActivityID: activityID,
			Completed:  doc.Session.Status == string(c.SessionCompleted),
		}, nil
	}
}

// bindLiveTriggers marks sessions dirty after every committed change that
// shows in the live state. None of them queries the database.
func bindLiveTriggers(app core.App, h *live.Hub) {
	session := func(e *core.RecordEvent) error {
		h.RememberSession(e.Record.Id, e.Record.GetString(c.SessionCode))
		h.MarkDirty(e.Record.Id)
		return e.Next()
	}
	app.OnRecordAfterCreateSuccess(c.Sessions).BindFunc(session)
	app.OnRecordAfterUpdateSuccess(c.Sessions).BindFunc(session)
	app.OnRecordAfterDeleteSuccess(c.Sessions).BindFunc(func(e *core.RecordEvent) error {
		h.ForgetSession(e.Record.Id)
		return e.Next()
	})

	act := func(e *core.RecordEvent) error {
		sessionID := e.Record.GetString(c.ActivitySession)
		h.RememberActivity(e.Record.Id, sessionID)
		h.MarkDirty(sessionID)
		return e.Next()
	}
	app.OnRecordAfterCreateSuccess(c.Activities).BindFunc(act)
	app.OnRecordAfterUpdateSuccess(c.Activities).BindFunc(act)
	app.OnRecordAfterDeleteSuccess(c.Activities).BindFunc(func(e *core.RecordEvent) error {
		h.ForgetActivity(e.Record.Id)
		h.MarkDirty(e.Record.GetString(c.ActivitySession))
		return e.Next()
	})

	// Only joins and kicks change the count; last_seen updates do not.
	participant := func(e *core.RecordEvent) error {
		h.MarkTally(e.Record.GetString(c.ParticipantSession))
		return e.Next()
	}
	app.OnRecordAfterCreateSuccess(c.Participants).BindFunc(participant)
	app.OnRecordAfterDeleteSuccess(c.Participants).BindFunc(participant)

	response := func(e *core.RecordEvent) error {
		h.MarkActivity(e.Record.GetString(c.ResponseActivity))
		return e.Next()
	}
	app.OnRecordAfterCreateSuccess(c.Responses).BindFunc(response)
	app.OnRecordAfterUpdateSuccess(c.Responses).BindFunc(response)
	app.OnRecordAfterDeleteSuccess(c.Responses).BindFunc(response)
}

// liveAPI serves the live routes from the hub.
type liveAPI struct {
	hub       *live.Hub
	publicURL string
}

// serveLive serves GET /api/live/{code} from the cached document. A
// participant of this session also gets `me`; a participant of another
// session, like anyone else, gets the public document only.
func (a liveAPI) serveLive(e *core.RequestEvent) error {
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
		me, err := liveMe(e.App, p, snap.ActivityID)
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
// the session id and the canonical (upper-case) code.
func (a liveAPI) findLiveSession(e *core.RequestEvent) (sessionID, code string, err error) {
	code = strings.ToUpper(strings.TrimSpace(e.Request.PathValue("code")))
	notFound := apis.NewNotFoundError("No session has this code.", nil)
	if !c.ValidCode(code) {
		return "", "", notFound
	}
	sessionID, err = a.hub.SessionIDByCode(code)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", notFound
	}
	if err != nil {
		return "", "", apis.NewInternalServerError("", fmt.Errorf("find session by code: %w", err))
	}
	return sessionID, code, nil
}

// liveMe is the participant's own part of the live state: who they are and
// their answer to the current activity (null when none).
func liveMe(app core.App, p *core.Record, activityID string) ([]byte, error) {
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
	return json.Marshal(map[string]any{
		"id":       p.Id,
		"nickname": p.GetString(c.ParticipantNickname),
		"answer":   answer,
	})
}
