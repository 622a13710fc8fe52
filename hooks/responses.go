package hooks

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"time"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
	"github.com/pocketbase/pocketbase/tools/router"
	"github.com/pocketbase/pocketbase/tools/types"

	"conflicto/apierr"
	c "conflicto/collections"
	"conflicto/memo"
	"conflicto/presence"
)

// registerResponses binds the answer rules: value validation by type,
// one answer per participant per activity, final quiz answers, answers
// closed by a reveal, the quiz deadline and score, and who sees the score (the poker
// reset route is in routes).
func registerResponses(app core.App, presence *presence.Writer) {
	// Who answers is checked first (the create rule, in Go), then the model
	// hooks below check the activity's state, so a refused answer gets a
	// precise code.
	app.OnRecordCreateRequest(c.Responses).Bind(&hook.Handler[*core.RecordRequestEvent]{
		Id:       "conflictoResponsesCreateRule",
		Priority: -1000, // before every other create-request handler, as PocketBase's rule check was
		Func: func(e *core.RecordRequestEvent) error {
			if err := guardResponseCreate(e); err != nil {
				return err
			}
			return e.Next()
		},
	})
	app.OnRecordCreateRequest(c.Responses).BindFunc(func(e *core.RecordRequestEvent) error {
		var err error
		if e.Auth != nil && e.Auth.Collection().Name == c.Participants {
			err = saveAnswer(e) // the guard has checked the relations
		} else {
			err = e.Next()
		}
		if err != nil && apierr.IsUniqueViolation(err, c.IndexResponseOnce, c.ResponseParticipant) {
			return alreadyAnswered()
		}
		if err == nil && e.Auth != nil && e.Auth.Collection().Name == c.Participants {
			presence.Touch(e.Auth)
		}
		return err
	})
	app.OnRecordCreate(c.Responses).BindFunc(func(e *core.RecordEvent) error {
		if err := prepareResponse(e.App, e.Record, nil); err != nil {
			return err
		}
		if guarded, _ := e.Context.Value(guardedAnswer{}).(bool); guarded {
			if err := validateAnswerFields(e); err != nil {
				return err
			}
		}
		return e.Next()
	})
	app.OnRecordUpdate(c.Responses).BindFunc(func(e *core.RecordEvent) error {
		old, err := stored(e.App, e.Record)
		if err != nil {
			return err
		}
		if err := prepareResponse(e.App, e.Record, old); err != nil {
			return err
		}
		return e.Next()
	})
	app.OnRecordEnrich(c.Responses).BindFunc(showScore)
	registerAnswerInsert(app)
}

// guardResponseCreate is the responses create rule: a participant, for
// themselves, to an activity of their own session. The stored rule is
// empty, so that PocketBase runs no SQL query per answer
// (migrations/1796400000_responses_create_in_go.go); this runs in its
// place on every create request, REST and batch, before anything is
// saved, and reads the activity from the memo. Its refusals are those
// hooks/refusals.go gives a refused rule: an unknown activity and another
// session's get the same answer.
func guardResponseCreate(e *core.RecordRequestEvent) error {
	if e.HasSuperuserAuth() {
		return nil
	}
	if e.Auth == nil {
		return apis.NewUnauthorizedError("Sign in first: this needs a host's or a participant's token.", nil)
	}
	if e.Auth.Collection().Name != c.Participants {
		return apis.NewForbiddenError("Only participants answer, through their join token.", nil)
	}
	switch participant := e.Record.GetString(c.ResponseParticipant); participant {
	case "":
		return apierr.BadRequest(c.ResponseParticipant, "validation_required", "Name yourself as the participant.")
	case e.Auth.Id:
	default:
		return apierr.BadRequest(c.ResponseParticipant, "forbidden_participant", "A participant answers only for themselves.")
	}
	id := e.Record.GetString(c.ResponseActivity)
	if id == "" {
		return apierr.BadRequest(c.ResponseActivity, "validation_required", "Name the activity you answer.")
	}
	act, err := memo.Of(e.App).Activity(e.App, id)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return apierr.ServerFault(fmt.Errorf("find activity: %w", err))
	}
	if err != nil || act.SessionID != e.Auth.GetString(c.ParticipantSession) {
		return apierr.BadRequest(c.ResponseActivity, "validation_missing_rel_records", "No activity of your session has this id.")
	}
	return nil
}

// guardedAnswer marks, in a save's context, a participant's answer whose
// relations guardResponseCreate has checked (saveAnswer).
type guardedAnswer struct{}

// saveAnswer saves a participant's answer as PocketBase's create handler
// would (the model hooks, the insert, the after-success hooks, the
// enriched record as the response), but without PocketBase's field
// validation: its relation check is two COUNT queries per answer (does
// the activity exist, does the participant), a fifth of an answer's CPU,
// and guardResponseCreate has just checked both, the activity through the
// memo and the participant as the caller. validateAnswerFields checks the
// other fields, after prepareResponse has stored the canonical value,
// where PocketBase's validation would have run. Hosts' and superusers'
// creates go through PocketBase's handler.
func saveAnswer(e *core.RecordRequestEvent) error {
	ctx := context.WithValue(e.Request.Context(), guardedAnswer{}, true)
	if err := e.App.SaveNoValidateWithContext(ctx, e.Record); err != nil {
		var apiErr *router.ApiError
		var errs validation.Errors
		switch {
		case errors.As(err, &apiErr):
			return apiErr
		case errors.As(err, &errs):
			return e.BadRequestError("Failed to create record.", errs)
		case apierr.IsUniqueViolation(err, c.IndexResponseOnce, c.ResponseParticipant):
			return err // the caller answers already_answered
		}
		return apierr.ServerFault(fmt.Errorf("save answer: %w", err))
	}
	if err := apis.EnrichRecord(e.RequestEvent, e.Record); err != nil {
		return apierr.ServerFault(fmt.Errorf("enrich answer: %w", err))
	}
	return e.JSON(http.StatusOK, e.Record)
}

// validateAnswerFields is PocketBase's field validation of a new answer
// without the relations (see saveAnswer): the id, the value's size, the
// score, the dates.
func validateAnswerFields(e *core.RecordEvent) error {
	errs := validation.Errors{}
	for _, f := range e.Record.Collection().Fields {
		if f.Type() == core.FieldTypeRelation {
			continue
		}
		if err := f.ValidateValue(e.Context, e.App, e.Record); err != nil {
			errs[f.GetName()] = err
		}
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}

func alreadyAnswered() error {
	return apierr.Conflict(c.ResponseActivity, "already_answered", "You have already answered this activity.", nil)
}

func timeUp() error {
	return apierr.Conflict(c.ResponseValue, "time_up", "Time is up for this question.", nil)
}

// activeActivityError explains why an activity takes no answers, or is nil.
func activeActivityError(app core.App, act memo.Activity) error {
	if act.Status == c.ActivityActive {
		return nil
	}
	session, err := memo.Of(app).Session(app, act.SessionID)
	if err == nil && session.Status == c.SessionCompleted {
		return apierr.Invalid(c.ResponseActivity, "session_completed", "The session is completed and read-only.")
	}
	return apierr.Conflict(c.ResponseActivity, "activity_not_active", "This activity is not taking answers.", nil)
}

// prepareResponse enforces the answer rules on every save path and stores
// the canonical value and the quiz score. original is nil on create. The
// activity, its rules and the participant's session come from the memo
// (outside a transaction), which the after-success hooks keep current.
func prepareResponse(app core.App, r, original *core.Record) error {
	if original != nil {
		for _, f := range []string{c.ResponseActivity, c.ResponseParticipant} {
			if r.GetString(f) != original.GetString(f) {
				return apierr.Invalid(f, "immutable", "An answer cannot move to another "+f+".")
			}
		}
	}
	m := memo.Of(app)
	act, err := m.Activity(app, r.GetString(c.ResponseActivity))
	if errors.Is(err, sql.ErrNoRows) {
		return apierr.Invalid(c.ResponseActivity, "validation_missing_rel_records", "The activity does not exist.")
	}
	if err != nil {
		return apierr.ServerFault(fmt.Errorf("find activity: %w", err))
	}
	if err := activeActivityError(app, act); err != nil {
		return err
	}
	// Revealed means answered: once the results are out (a quiz's right
	// answer, the poker cards) a latecomer must not answer or change a card
	// knowing them. A poker reset clears the reveal and reopens the round.
	if act.Revealed {
		return apierr.Conflict(c.ResponseActivity, "revealed", "The answers are revealed; this question is closed.", nil)
	}
	participantSession, err := m.ParticipantSession(app, r.GetString(c.ResponseParticipant))
	if err == nil && participantSession != act.SessionID {
		return apierr.Invalid(c.ResponseParticipant, "wrong_session", "The participant is not in this activity's session.")
	}

	rules, err := act.Rules()
	if err != nil {
		return apierr.ServerFault(err)
	}
	if rules.Final() && original != nil {
		return apierr.Conflict(c.ResponseValue, "answer_final", "Quiz answers are final.", nil)
	}
	// The session's own blocked words (for word clouds; the server's
	// default list is the activity rules' own).
	sessionWords, err := sessionBlockedWords(app, act.SessionID)
	if err != nil {
		return apierr.ServerFault(err)
	}
	answer, verr := rules.Validate(c.RawJSON(r, c.ResponseValue), sessionWords)
	if verr != nil {
		return apierr.Invalid(c.ResponseValue, verr.Code, verr.Message)
	}
	r.Set(c.ResponseValue, types.JSONRaw(answer.JSON))

	now, started := time.Now(), act.StartedAt
	if deadline, ok := rules.Deadline(started); ok && now.After(deadline) {
		return timeUp()
	}
	var elapsed time.Duration
	if !started.IsZero() {
		elapsed = now.Sub(started)
	}
	if score, scored := rules.Score(answer, elapsed); scored {
		r.Set(c.ResponseScore, score)
	}
	return nil
}

// showScore decides who sees an answer's score. The field is hidden in the
// schema (migrations/1764400000_response_score_hidden.go), so that no one
// but a superuser can filter or sort on it; this shows it again to hosts
// (the rules let them read only the answers of their own sessions) and to a
// participant once their quiz is revealed: before that a score above zero
// would tell them they were right. Superusers see every field anyway. It
// runs for REST responses and realtime messages alike.
func showScore(e *core.RecordEnrichEvent) error {
	if e.RequestInfo == nil || e.RequestInfo.Auth == nil {
		return e.Next()
	}
	switch e.RequestInfo.Auth.Collection().Name {
	case c.Users:
		e.Record.Unhide(c.ResponseScore)
	case c.Participants:
		// From the memo: this runs for every answer.
		act, err := memo.Of(e.App).Activity(e.App, e.Record.GetString(c.ResponseActivity))
		if err == nil && (!act.Type.Scored() || act.Revealed) {
			e.Record.Unhide(c.ResponseScore)
		}
	}
	return e.Next()
}
