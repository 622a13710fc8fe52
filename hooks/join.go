package hooks

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"
	"github.com/pocketbase/pocketbase/tools/security"
	"github.com/pocketbase/pocketbase/tools/types"

	"conflicto/apierr"
	c "conflicto/collections"
	"conflicto/config"
	"conflicto/nickname"
)

func registerJoinRoutes(app core.App, cfg config.Config, presence *presenceWriter) {
	app.OnServe().BindFunc(func(e *core.ServeEvent) error {
		e.Router.POST("/api/join", func(re *core.RequestEvent) error { return join(re, cfg) })
		e.Router.GET("/api/join/check", joinCheck)
		e.Router.POST("/api/participants/heartbeat", func(re *core.RequestEvent) error {
			presence.touch(re.Auth)
			return re.NoContent(http.StatusNoContent)
		}).Bind(apis.RequireAuth(c.Participants))
		return e.Next()
	})
}

type joinRequest struct {
	Code     *string `json:"code"`
	Nickname *string `json:"nickname"`
}

// joinInput is a validated join request.
type joinInput struct {
	code     string // upper-cased
	nickname string // display form
	key      string
}

func parseJoinInput(code, nick *string) (joinInput, *router.ApiError) {
	var in joinInput
	if code == nil || *code == "" {
		return in, apierr.BadRequest("code", "code_required", "The session code is required.")
	}
	in.code = strings.ToUpper(strings.TrimSpace(*code))
	if !validCode(in.code) {
		return in, apierr.BadRequest("code", "code_invalid", fmt.Sprintf("A session code is %d characters from %s.", c.CodeLength, c.CodeAlphabet))
	}
	if nick == nil {
		return in, apierr.BadRequest(c.ParticipantNickname, "nickname_length", fmt.Sprintf("Nickname must be 1 to %d characters.", nickname.MaxLength))
	}
	display, err := nickname.Normalize(*nick)
	if err != nil {
		return in, apierr.BadRequest(c.ParticipantNickname, nickname.Code(err), nicknameMessage(err))
	}
	in.nickname, in.key = display, nickname.Key(display)
	return in, nil
}

func validCode(code string) bool { return c.ValidCode(code) }

// findSessionForJoin finds a session by its code, as an API error when
// there is none.
func findSessionForJoin(app core.App, code string) (*core.Record, *router.ApiError) {
	session, err := FindSessionByCode(app, code)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apis.NewNotFoundError("No session has this code.", nil)
	}
	if err != nil {
		return nil, apis.NewInternalServerError("", fmt.Errorf("find session by code: %w", err))
	}
	return session, nil
}

func join(e *core.RequestEvent, cfg config.Config) error {
	var body joinRequest
	if apiErr := decodeJSON(e, &body); apiErr != nil {
		return apiErr
	}
	in, apiErr := parseJoinInput(body.Code, body.Nickname)
	if apiErr != nil {
		return apiErr
	}
	session, apiErr := findSessionForJoin(e.App, in.code)
	if apiErr != nil {
		return apiErr
	}
	switch c.SessionState(session.GetString(c.SessionStatus)) {
	case c.SessionDraft:
		return apierr.Conflict("code", "session_not_started", "The session has not started yet.", nil)
	case c.SessionCompleted:
		return apierr.Conflict("code", "session_ended", "The session has ended.", nil)
	}

	collection, err := e.App.FindCachedCollectionByNameOrId(c.Participants)
	if err != nil {
		return apis.NewInternalServerError("", fmt.Errorf("find participants collection: %w", err))
	}
	limit := cfg.MaxParticipants
	if n := session.GetInt(c.SessionMaxParticipants); n > 0 && n < limit {
		limit = n
	}

	participant := core.NewRecord(collection)
	participant.Set(c.ParticipantSession, session.Id)
	participant.Set(c.ParticipantNickname, in.nickname)
	participant.Set(c.ParticipantNicknameKey, in.key)
	participant.Set(c.ParticipantLastSeen, types.NowDateTime())
	lockPassword(participant)

	var full, taken bool
	err = e.App.RunInTransaction(func(tx core.App) error {
		var count int
		if err := tx.DB().Select("COUNT(*)").From(c.Participants).
			Where(dbx.HashExp{c.ParticipantSession: session.Id}).Row(&count); err != nil {
			return fmt.Errorf("count participants: %w", err)
		}
		if count >= limit {
			full = true
			return nil
		}
		return insertParticipant(tx, participant)
	})
	if err != nil && apierr.IsUniqueViolation(err, c.IndexParticipantNickname, c.ParticipantNicknameKey) {
		taken = true
	} else if err != nil {
		return apis.NewInternalServerError("", fmt.Errorf("join session %s: %w", session.Id, err))
	}
	if full {
		return apierr.Conflict("code", "session_full", "The session is full.", nil)
	}
	if taken {
		return nicknameTakenError(e.App, session.Id, in.nickname)
	}
	announceParticipant(e, participant)

	token, err := participant.NewAuthToken()
	if err != nil {
		return apis.NewInternalServerError("", fmt.Errorf("participant token: %w", err))
	}
	if err := apis.EnrichRecord(e, participant); err != nil {
		return apis.NewInternalServerError("", fmt.Errorf("enrich participant: %w", err))
	}
	return e.JSON(http.StatusOK, map[string]any{
		"token":   token,
		"record":  participant,
		"session": sessionSummary(session),
	})
}

// insertParticipant writes a participant that join has fully validated
// (session found and active, nickname normalised, key derived) with one
// INSERT. PocketBase's generic Save would, for an auth record, load and
// decode every auth collection from the database to cross-check the new
// id — over a third of a join's CPU. The (session, nickname_key) index
// still decides collisions; announceParticipant runs the after-create
// hooks (realtime, live state) once the transaction has committed. The
// OnRecordCreate hooks of participants do not run for joins: a rule added
// there must be applied here too.
func insertParticipant(tx core.App, p *core.Record) error {
	now := types.NowDateTime()
	p.Id = core.GenerateDefaultRandomId()
	p.Set(c.FieldCreated, now)
	p.Set(c.FieldUpdated, now)
	p.RefreshTokenKey()
	data, err := p.DBExport(tx)
	if err != nil {
		return fmt.Errorf("export participant: %w", err)
	}
	if _, err := tx.DB().Insert(c.Participants, data).Execute(); err != nil {
		return err
	}
	p.MarkAsNotNew()
	return nil
}

// announceParticipant triggers what a Save would after its commit:
// realtime record events for the host's dashboard and the live state.
func announceParticipant(e *core.RequestEvent, p *core.Record) {
	event := new(core.ModelEvent)
	event.App = e.App
	event.Context = e.Request.Context()
	event.Type = core.ModelEventTypeCreate
	event.Model = p
	if err := e.App.OnModelAfterCreateSuccess().Trigger(event); err != nil {
		e.App.Logger().Warn("after-create hooks of a joined participant", "participant", p.Id, "error", err)
	}
}

// lockPassword gives a participant a password hash that no password
// matches. Participants never log in with a password (password auth is
// off for the collection); the field is required only because the
// collection is an auth collection. Skipping bcrypt, even at the minimum
// cost, takes about a millisecond of CPU off every join.
func lockPassword(p *core.Record) {
	p.SetRaw(core.FieldNamePassword, &core.PasswordFieldValue{Hash: "!locked:" + security.RandomString(40)})
}

func sessionSummary(s *core.Record) map[string]any {
	return map[string]any{
		"id":     s.Id,
		"title":  s.GetString(c.SessionTitle),
		"status": s.GetString(c.SessionStatus),
		"code":   s.GetString(c.SessionCode),
	}
}

func nicknameTaken(app core.App, sessionID, key string) bool {
	var one int
	err := app.DB().Select("(1)").From(c.Participants).
		Where(dbx.HashExp{c.ParticipantSession: sessionID, c.ParticipantNicknameKey: key}).
		Limit(1).Row(&one)
	return err == nil
}

func suggestNickname(app core.App, sessionID, display string) string {
	return nickname.Suggest(display, func(key string) bool { return nicknameTaken(app, sessionID, key) })
}

func nicknameTakenError(app core.App, sessionID, display string) error {
	var suggestion any
	if s := suggestNickname(app, sessionID, display); s != "" {
		suggestion = s
	}
	return apierr.Conflict(c.ParticipantNickname, "nickname_taken", "This nickname is already taken in this session.",
		map[string]any{"suggestion": suggestion})
}

func joinCheck(e *core.RequestEvent) error {
	q := e.Request.URL.Query()
	code, nick := q.Get("code"), q.Get("nickname")
	in, apiErr := parseJoinInput(&code, &nick)
	if apiErr != nil {
		return apiErr
	}
	session, apiErr := findSessionForJoin(e.App, in.code)
	if apiErr != nil {
		return apiErr
	}
	available := !nicknameTaken(e.App, session.Id, in.key)
	var suggestion any
	if !available {
		if s := suggestNickname(e.App, session.Id, in.nickname); s != "" {
			suggestion = s
		}
	}
	return e.JSON(http.StatusOK, map[string]any{
		"available":  available,
		"nickname":   in.nickname,
		"suggestion": suggestion,
	})
}

// decodeJSON reads a JSON object body into dst with clear 400s for
// malformed JSON and wrong field types.
func decodeJSON(e *core.RequestEvent, dst any) *router.ApiError {
	// Read to the end, then rewind: PocketBase reads the body again for
	// RequestInfo (EnrichRecord), and since 0.40 a body read to its end
	// without a rewind answers EOF there.
	body, err := io.ReadAll(http.MaxBytesReader(e.Response, e.Request.Body, 64<<10))
	if rr, ok := e.Request.Body.(router.Rereader); ok {
		rr.Reread()
	}
	var maxErr *http.MaxBytesError
	if errors.As(err, &maxErr) {
		return router.NewApiError(http.StatusRequestEntityTooLarge, "The request body is too large.", nil)
	} else if err != nil {
		return apis.NewBadRequestError("The request body could not be read.", nil)
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(dst); err != nil {
		var typeErr *json.UnmarshalTypeError
		switch {
		case errors.As(err, &typeErr) && typeErr.Field != "":
			return apierr.BadRequest(typeErr.Field, "invalid_type", fmt.Sprintf("The %s must be a %s.", typeErr.Field, jsonKind(typeErr.Type.Kind().String())))
		default:
			return apis.NewBadRequestError("The request body must be a JSON object.", nil)
		}
	}
	if dec.More() {
		return apis.NewBadRequestError("The request body must be a single JSON object.", nil)
	}
	return nil
}

func jsonKind(goKind string) string {
	switch goKind {
	case "string":
		return "string"
	case "slice", "array":
		return "list"
	case "bool":
		return "boolean"
	case "map", "struct":
		return "object"
	default:
		return "number"
	}
}
