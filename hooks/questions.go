package hooks

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"

	"conflicto/activity"
	"conflicto/apierr"
	c "conflicto/collections"
	"conflicto/presence"
)

// registerQuestions binds the Q&A rules: who asks (the create hook sets
// the hidden author from the token), while the activity is active, the
// per-participant limit, the text, moderated questions waiting as
// pending, what the host may change (status and pinned, never the text or
// the server-kept votes), withdrawing, and who sees the author.
func registerQuestions(app core.App, presence *presence.Writer) {
	app.OnRecordCreateRequest(c.Questions).BindFunc(func(e *core.RecordRequestEvent) error {
		if err := onQuestionCreateRequest(e); err != nil {
			return err
		}
		err := e.Next()
		if err == nil && isCollection(e.Auth, c.Participants) {
			presence.Touch(e.Auth)
		}
		return err
	})
	app.OnRecordUpdateRequest(c.Questions).BindFunc(onQuestionUpdateRequest)
	app.OnRecordDeleteRequest(c.Questions).BindFunc(func(e *core.RecordRequestEvent) error {
		if err := questionWithdrawable(e.App, e.Auth, e.Record.GetString(c.QuestionActivity)); err != nil {
			return err
		}
		return e.Next()
	})
	app.OnRecordCreate(c.Questions).BindFunc(func(e *core.RecordEvent) error {
		// The count and the insert in one transaction: SQLite's one writer
		// serialises them, so racing asks cannot pass the limit.
		return inTransaction(e, func(tx core.App) error {
			if err := prepareQuestion(tx, e.Record); err != nil {
				return err
			}
			return faultUnlessClients(e.Next())
		})
	})
	app.OnRecordUpdate(c.Questions).BindFunc(func(e *core.RecordEvent) error {
		return inTransaction(e, func(tx core.App) error {
			if err := moderateQuestion(tx, e.Record); err != nil {
				return err
			}
			return e.Next()
		})
	})
	app.OnRecordEnrich(c.Questions).BindFunc(showAuthor)
}

// questionServerFields are set by the server only; a client may not send
// them on create.
var questionServerFields = []string{c.QuestionStatus, c.QuestionPinned, c.QuestionVoteCount}

// onQuestionCreateRequest refuses server fields and makes the caller the
// author. participant is hidden (the migration says why), so PocketBase
// drops it from the body before the create rule and the record see it: it
// is read from the body as sent and must name the caller.
func onQuestionCreateRequest(e *core.RecordRequestEvent) error {
	if !isCollection(e.Auth, c.Participants) {
		return nil // a superuser sets what they like; the rule admits no one else
	}
	info, err := e.RequestInfo()
	if err != nil {
		return err
	}
	for _, field := range questionServerFields {
		if _, ok := info.Body[field]; ok {
			return apierr.BadRequest(field, "read_only", fmt.Sprintf("The %s field is set by the server.", field))
		}
	}
	sent, err := sentMember(e.RequestEvent, c.QuestionParticipant)
	if err != nil {
		return err
	}
	switch sent {
	case "":
		return apierr.BadRequest(c.QuestionParticipant, "validation_required", "Name yourself as the participant.")
	case e.Auth.Id:
		e.Record.Set(c.QuestionParticipant, e.Auth.Id)
		return nil
	}
	return apierr.BadRequest(c.QuestionParticipant, "forbidden_participant", "A participant asks only for themselves.")
}

// sentMember returns a string member of the request body as the client
// sent it ("" when absent or not a string naming an id). The router's body
// is rereadable; it is rewound for whoever reads it next.
func sentMember(e *core.RequestEvent, name string) (string, error) {
	var raw []byte
	if strings.HasPrefix(e.Request.Header.Get("Content-Type"), "application/json") {
		var err error
		raw, err = io.ReadAll(e.Request.Body)
		if rr, ok := e.Request.Body.(router.Rereader); ok {
			rr.Reread()
		}
		if err != nil {
			return "", apierr.ServerFault(fmt.Errorf("reread body: %w", err))
		}
	} else {
		// A form (PocketBase has parsed it): the member itself, or the
		// JSON under @jsonPayload, as batch requests send their bodies.
		if v := e.Request.FormValue(name); v != "" {
			return v, nil
		}
		raw = []byte(e.Request.FormValue(router.JSONPayloadKey))
	}
	var body map[string]json.RawMessage
	if json.Unmarshal(raw, &body) != nil {
		return "", nil // the strict-body check has refused what is not an object
	}
	raw, ok := body[name]
	if !ok {
		return "", nil
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return "?", nil // present but not a string: not the caller
	}
	return s, nil
}

// onQuestionUpdateRequest: the host changes status and pinned only.
// Unchanged values pass: the dashboard sends the whole record back.
func onQuestionUpdateRequest(e *core.RecordRequestEvent) error {
	old := e.Record.Original()
	// PocketBase drops the hidden author from a non-superuser's body
	// without a word: a host who tries to move a question is told.
	if sent, err := sentMember(e.RequestEvent, c.QuestionParticipant); err != nil {
		return err
	} else if sent != "" && sent != old.GetString(c.QuestionParticipant) {
		return apierr.BadRequest(c.QuestionParticipant, "immutable", "The author of a question cannot change.")
	}
	if e.Record.GetInt(c.QuestionVoteCount) != old.GetInt(c.QuestionVoteCount) {
		return apierr.BadRequest(c.QuestionVoteCount, "read_only", "The votes are counted by the server.")
	}
	return e.Next()
}

// questionActivity loads the activity a question or a vote belongs to, with
// its rules, and checks that it takes questions.
func questionActivity(app core.App, id, field string) (*c.Activity, *activity.Rules, error) {
	act, err := c.FindActivity(app, id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, apierr.Invalid(field, "validation_missing_rel_records", "The activity does not exist.")
	}
	if err != nil {
		return nil, nil, apierr.ServerFault(fmt.Errorf("find activity: %w", err))
	}
	rules, err := act.Rules()
	if err != nil {
		return nil, nil, apierr.ServerFault(fmt.Errorf("rules of activity %s: %w", act.Id, err))
	}
	if !rules.Questions() {
		return nil, nil, apierr.Invalid(field, "questions_unsupported", "This activity does not take questions.")
	}
	return act, rules, nil
}

// qaClosed explains why an activity takes no questions, votes or
// withdrawals now, or is nil.
func qaClosed(app core.App, act *c.Activity, field string) error {
	if act.Status() == c.ActivityActive {
		return nil
	}
	if session, err := c.FindSession(app, act.SessionID()); err == nil && session.Status() == c.SessionCompleted {
		return apierr.Invalid(field, "session_completed", "The session is completed and read-only.")
	}
	return apierr.Conflict(field, "activity_not_active", "This Q&A is not open: questions and votes wait until it is active.", nil)
}

// participantSession is the session of a participant ("" when there is
// none).
func participantSession(app core.App, id string) (string, error) {
	var session string
	err := app.DB().Select(c.ParticipantSession).From(c.Participants).Where(dbx.HashExp{"id": id}).Row(&session)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return "", apierr.ServerFault(fmt.Errorf("participant's session: %w", err))
	}
	return session, nil
}

// prepareQuestion enforces the asking rules on every save path and sets
// the text's stored form and the server's fields.
func prepareQuestion(app core.App, r *core.Record) error {
	act, rules, err := questionActivity(app, r.GetString(c.QuestionActivity), c.QuestionActivity)
	if err != nil {
		return err
	}
	if err := qaClosed(app, act, c.QuestionActivity); err != nil {
		return err
	}
	author := r.GetString(c.QuestionParticipant)
	session, err := participantSession(app, author)
	if err != nil {
		return err
	}
	if author != "" && session != act.SessionID() {
		return apierr.Invalid(c.QuestionParticipant, "wrong_session", "The participant is not in this activity's session.")
	}
	text, verr := rules.Question(r.GetString(c.QuestionText))
	if verr != nil {
		return apierr.Invalid(c.QuestionText, verr.Code, verr.Message)
	}
	r.Set(c.QuestionText, text)
	if err := FilterText(app, act.SessionID(), c.QuestionText, text, "This question contains a blocked word."); err != nil {
		return err
	}
	if r.GetInt(c.QuestionVoteCount) != 0 {
		return apierr.Invalid(c.QuestionVoteCount, "read_only", "The votes are counted by the server.")
	}
	if r.GetString(c.QuestionStatus) == "" {
		status := c.QuestionVisible
		if rules.Moderated() {
			status = c.QuestionPending
		}
		r.Set(c.QuestionStatus, string(status))
	}
	var asked int
	err = app.DB().Select("COUNT(*)").From(c.Questions).
		Where(dbx.HashExp{c.QuestionActivity: act.Id, c.QuestionParticipant: author}).Row(&asked)
	if err != nil {
		return apierr.ServerFault(fmt.Errorf("count questions: %w", err))
	}
	if limit := rules.QuestionLimit(); asked >= limit {
		return apierr.Conflict(c.QuestionActivity, "question_limit",
			fmt.Sprintf("You have asked %d questions, the most this Q&A takes from one participant.", limit), map[string]any{"limit": limit})
	}
	return nil
}

// moderateQuestion enforces what may change on every save path: the text,
// the activity and the author never; the status along
// collections.QuestionTransitions; the votes only by the vote hooks (the
// stored count is kept, read inside the transaction, so that a host's
// stale copy does not overwrite a vote that came meanwhile).
func moderateQuestion(tx core.App, r *core.Record) error {
	old, err := stored(tx, r)
	if err != nil {
		return err
	}
	for _, f := range []string{c.QuestionActivity, c.QuestionParticipant, c.QuestionText} {
		if r.GetString(f) != old.GetString(f) {
			return apierr.Invalid(f, "immutable", "The "+f+" of a question cannot change: the host approves, hides, pins and answers, and edits nothing.")
		}
	}
	if r.GetInt(c.QuestionVoteCount) != r.Original().GetInt(c.QuestionVoteCount) {
		return apierr.Invalid(c.QuestionVoteCount, "read_only", "The votes are counted by the server.")
	}
	r.Set(c.QuestionVoteCount, old.GetInt(c.QuestionVoteCount))
	from, to := c.QuestionState(old.GetString(c.QuestionStatus)), c.QuestionState(r.GetString(c.QuestionStatus))
	if !c.QuestionTransitions.CanTransition(from, to) {
		return apierr.Invalid(c.QuestionStatus, "invalid_transition", fmt.Sprintf("A question cannot go from %q to %q.", from, to))
	}
	act, err := c.FindActivity(tx, r.GetString(c.QuestionActivity))
	if err != nil {
		return apierr.ServerFault(fmt.Errorf("find activity: %w", err))
	}
	if session, err := c.FindSession(tx, act.SessionID()); err == nil && session.Status() == c.SessionCompleted {
		return apierr.Invalid(c.QuestionActivity, "session_completed", "The session is completed and read-only.")
	}
	return nil
}

// questionWithdrawable: a participant withdraws a question or a vote only
// while the Q&A is active; the host removes a question until the session
// completes. Deletes by the server itself (a kick, a cascade) are not
// requests and are not held back.
func questionWithdrawable(app core.App, auth *core.Record, activityID string) error {
	act, err := c.FindActivity(app, activityID)
	if err != nil {
		return nil // gone: PocketBase answers for what is not there
	}
	if isCollection(auth, c.Participants) {
		return qaClosed(app, act, c.QuestionActivity)
	}
	if session, err := c.FindSession(app, act.SessionID()); err == nil && session.Status() == c.SessionCompleted {
		return apierr.Invalid(c.QuestionActivity, "session_completed", "The session is completed and read-only.")
	}
	return nil
}

// showAuthor decides who sees a question's author. The field is hidden in
// the schema, so no one but a superuser can filter or sort on it; this
// shows it again to hosts (the rules let them read only the questions of
// their own sessions), to the author, and to every participant when the
// Q&A is not anonymous. It runs for REST answers, expands and realtime
// messages alike.
func showAuthor(e *core.RecordEnrichEvent) error {
	if e.RequestInfo == nil || e.RequestInfo.Auth == nil {
		return e.Next()
	}
	auth := e.RequestInfo.Auth
	switch {
	case isCollection(auth, c.Users):
		e.Record.Unhide(c.QuestionParticipant)
	case !isCollection(auth, c.Participants):
	case e.Record.GetString(c.QuestionParticipant) == auth.Id:
		e.Record.Unhide(c.QuestionParticipant)
	default:
		act, err := c.FindActivity(e.App, e.Record.GetString(c.QuestionActivity))
		if err != nil {
			return e.Next() // unknown: stays hidden
		}
		if rules, err := act.Rules(); err == nil && !rules.Anonymous() {
			e.Record.Unhide(c.QuestionParticipant)
		}
	}
	return e.Next()
}
