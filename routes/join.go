package routes

import (
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"
	"github.com/pocketbase/pocketbase/tools/security"
	"github.com/pocketbase/pocketbase/tools/types"

	"conflicto/apierr"
	c "conflicto/collections"
	"conflicto/memo"
	"conflicto/nickname"
)

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
	if !c.ValidCode(in.code) {
		return in, apierr.BadRequest("code", "code_invalid", fmt.Sprintf("A session code is %d characters from %s.", c.CodeLength, c.CodeAlphabet))
	}
	if nick == nil {
		return in, apierr.BadRequest(c.ParticipantNickname, "nickname_length", fmt.Sprintf("Nickname must be 1 to %d characters.", nickname.MaxLength))
	}
	display, err := nickname.Normalize(*nick)
	if err != nil {
		return in, apierr.BadRequest(c.ParticipantNickname, nickname.Code(err), nickname.Message(err))
	}
	in.nickname, in.key = display, nickname.Key(display)
	return in, nil
}

// findSessionForJoin finds a session by its code, as an API error when
// there is none, within the caller's allowance of unknown codes.
func (a *api) findSessionForJoin(e *core.RequestEvent, code string) (memo.Session, error) {
	var session memo.Session
	found, err := a.codes.lookup(e, code, func() (bool, error) {
		s, err := memo.Of(e.App).SessionByCode(e.App, code)
		if errors.Is(err, sql.ErrNoRows) {
			return false, nil
		}
		if err != nil {
			return false, apis.NewInternalServerError("", fmt.Errorf("find session by code: %w", err))
		}
		session = s
		return true, nil
	})
	if err != nil {
		return memo.Session{}, err
	}
	if !found {
		return memo.Session{}, apis.NewNotFoundError("No session has this code.", nil)
	}
	return session, nil
}

// join serves POST /api/join: a validated participant is inserted
// directly (see participantInsert) and gets its token.
func (a *api) join(e *core.RequestEvent) error {
	cfg := a.cfg
	var body joinRequest
	if apiErr := decodeJSON(e, &body); apiErr != nil {
		return apiErr
	}
	in, apiErr := parseJoinInput(body.Code, body.Nickname)
	if apiErr != nil {
		return apiErr
	}
	session, err := a.findSessionForJoin(e, in.code)
	if err != nil {
		return err
	}
	switch session.Status {
	case c.SessionDraft:
		return apierr.Conflict("code", "session_not_started", "The session has not started yet.", nil)
	case c.SessionCompleted:
		return apierr.Conflict("code", "session_ended", "The session has ended.", nil)
	}
	if err := moderateJoin(e, session, in); err != nil {
		return err
	}

	collection, err := e.App.FindCachedCollectionByNameOrId(c.Participants)
	if err != nil {
		return apis.NewInternalServerError("", fmt.Errorf("find participants collection: %w", err))
	}
	limit := cfg.MaxParticipants
	if n := session.MaxParticipants; n > 0 && n < limit {
		limit = n
	}

	participant := core.NewRecord(collection)
	participant.Set(c.ParticipantSession, session.ID)
	participant.Set(c.ParticipantNickname, in.nickname)
	participant.Set(c.ParticipantNicknameKey, in.key)
	participant.Set(c.ParticipantLastSeen, types.NowDateTime())
	lockPassword(participant)

	insert, err := participantInsert(e.App, participant)
	if err != nil {
		return apis.NewInternalServerError("", err)
	}
	var taken bool
	// The cap check and the insert under the joins lock, with the count
	// kept exact in memory (memo/count.go).
	full, err := memo.Of(e.App).Join(e.App, participant, limit, insert)
	if err != nil && apierr.IsUniqueViolation(err, c.IndexParticipantNickname, c.ParticipantNicknameKey) {
		taken = true
	} else if err != nil {
		return apis.NewInternalServerError("", fmt.Errorf("join session %s: %w", session.ID, err))
	}
	if full {
		return apierr.Conflict("code", "session_full", "The session is full.", nil)
	}
	if taken {
		return nicknameTakenError(e.App, session.ID, in.nickname)
	}
	announceParticipant(e, participant)

	// The token is signed here, so it is kept as checked (memo/tokens.go)
	// and the phone's first answer does not parse it again. Its expiry is
	// taken before signing and cut to the second, as the token's own exp
	// is, so the kept one is never later.
	expires := time.Now().Add(collection.AuthToken.DurationTime()).Truncate(time.Second)
	token, err := participant.NewAuthToken()
	if err != nil {
		return apis.NewInternalServerError("", fmt.Errorf("participant token: %w", err))
	}
	memo.Of(e.App).KeepToken(token, memo.Token{
		ParticipantID: participant.Id,
		CollectionID:  collection.Id,
		Expires:       expires,
		TokenKey:      participant.TokenKey(),
		Secret:        collection.AuthToken.Secret,
	})
	if err := apis.EnrichRecord(e, participant); err != nil {
		return apis.NewInternalServerError("", fmt.Errorf("enrich participant: %w", err))
	}
	return e.JSON(http.StatusOK, map[string]any{
		"token":   token,
		"record":  participant,
		"session": sessionSummary(session),
	})
}

// participantInsert prepares the write of a participant that join has
// fully validated (session found and active, nickname normalised, key
// derived) and returns it: one INSERT. PocketBase's generic Save would,
// for an auth record, load and decode every auth collection from the
// database to cross-check the new id — over a third of a join's CPU. The
// (session, nickname_key) index still decides collisions;
// announceParticipant runs the after-create hooks (realtime, live state)
// once the write has committed. The OnRecordCreate hooks of participants
// do not run for joins: a rule added there must be applied here too.
func participantInsert(app core.App, p *core.Record) (insert func(tx core.App) error, err error) {
	now := types.NowDateTime()
	p.Id = core.GenerateDefaultRandomId()
	// Set is a no-op on autodate fields: Save fills them in, this insert
	// does not, so they are set raw.
	p.SetRaw(c.FieldCreated, now)
	p.SetRaw(c.FieldUpdated, now)
	p.RefreshTokenKey()
	// Everything but the statement is done here, before the caller takes
	// the joins lock and the writer.
	data, err := p.DBExport(app)
	if err != nil {
		return nil, fmt.Errorf("export participant: %w", err)
	}
	return func(tx core.App) error {
		if _, err := tx.DB().Insert(c.Participants, data).Execute(); err != nil {
			return err
		}
		p.MarkAsNotNew()
		return nil
	}, nil
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

func sessionSummary(s memo.Session) map[string]any {
	return map[string]any{
		"id":     s.ID,
		"title":  s.Title,
		"status": s.Status,
		"code":   s.Code,
	}
}

// nicknameTaken reports whether a participant of the session has the
// nickname key. A failed lookup is an error, not "free": the check would
// otherwise promise a nickname the join then refuses.
func nicknameTaken(app core.App, sessionID, key string) (bool, error) {
	var one int
	err := app.DB().Select("(1)").From(c.Participants).
		Where(dbx.HashExp{c.ParticipantSession: sessionID, c.ParticipantNicknameKey: key}).
		Limit(1).Row(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("look up nickname in session %s: %w", sessionID, err)
	}
	return true, nil
}

// suggestNickname returns a free variant of display ("" when none is), or
// the lookup's error.
func suggestNickname(app core.App, sessionID, display string) (string, error) {
	var failed error
	s := nickname.Suggest(display, func(key string) bool {
		taken, err := nicknameTaken(app, sessionID, key)
		if err != nil && failed == nil {
			failed = err
		}
		return taken // false on an error: Suggest stops there
	})
	if failed != nil {
		return "", failed
	}
	return s, nil
}

func nicknameTakenError(app core.App, sessionID, display string) error {
	s, err := suggestNickname(app, sessionID, display)
	if err != nil {
		return apis.NewInternalServerError("", err)
	}
	var suggestion any
	if s != "" {
		suggestion = s
	}
	return apierr.Conflict(c.ParticipantNickname, "nickname_taken", "This nickname is already taken in this session.",
		map[string]any{"suggestion": suggestion})
}

// joinCheck serves GET /api/join/check: is a nickname free in a session?
func (a *api) joinCheck(e *core.RequestEvent) error {
	q := e.Request.URL.Query()
	code, nick := q.Get("code"), q.Get("nickname")
	in, apiErr := parseJoinInput(&code, &nick)
	if apiErr != nil {
		return apiErr
	}
	session, err := a.findSessionForJoin(e, in.code)
	if err != nil {
		return err
	}
	if err := moderateJoin(e, session, in); err != nil {
		return err
	}
	taken, err := nicknameTaken(e.App, session.ID, in.key)
	if err != nil {
		return apis.NewInternalServerError("", err)
	}
	var suggestion any
	if taken {
		s, err := suggestNickname(e.App, session.ID, in.nickname)
		if err != nil {
			return apis.NewInternalServerError("", err)
		}
		if s != "" {
			suggestion = s
		}
	}
	return e.JSON(http.StatusOK, map[string]any{
		"available":  !taken,
		"nickname":   in.nickname,
		"suggestion": suggestion,
	})
}

// heartbeat serves POST /api/participants/heartbeat: a sign of life.
func (a *api) heartbeat(e *core.RequestEvent) error {
	a.presence.Touch(e.Auth)
	return e.NoContent(http.StatusNoContent)
}
