package collections

import (
	"fmt"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"conflicto/activity"
)

// Question fields.
const (
	QuestionActivity    = "activity"
	QuestionParticipant = "participant"
	QuestionText        = "text"
	QuestionStatus      = FieldStatus
	QuestionPinned      = "pinned"
	QuestionVoteCount   = "votes"
)

// Question vote fields.
const (
	VoteQuestion    = "question"
	VoteParticipant = "participant"
	// VoteActivity is the question's activity, kept by the server.
	VoteActivity = "activity"
)

// Index names the hooks match on.
const (
	// IndexQuestionVoteOnce is the unique (question, participant) index:
	// one upvote per participant per question.
	IndexQuestionVoteOnce = "idx_question_votes_question_participant"
	// IndexQuestionAuthor serves the per-participant question limit.
	IndexQuestionAuthor = "idx_questions_activity_participant"
)

// QuestionState is a question's status.
type QuestionState string

// Question states (the values are activity's: the public order is its).
const (
	QuestionPending  QuestionState = activity.QuestionPending
	QuestionVisible  QuestionState = activity.QuestionVisible
	QuestionHidden   QuestionState = activity.QuestionHidden
	QuestionAnswered QuestionState = activity.QuestionAnswered
)

// QuestionTransitions is what the host may do with a question: approve a
// pending one (visible), hide it, mark it answered, and change their mind
// between the three; nothing goes back to pending.
var QuestionTransitions = Transitions[QuestionState]{
	QuestionPending:  {QuestionVisible, QuestionHidden, QuestionAnswered},
	QuestionVisible:  {QuestionHidden, QuestionAnswered},
	QuestionHidden:   {QuestionVisible, QuestionAnswered},
	QuestionAnswered: {QuestionVisible, QuestionHidden},
}

// MaxQuestionText is the longest question the schema stores, in
// characters; a Q&A's max_length is at most this.
const MaxQuestionText = 500

// questionResults is the results of an activity that takes questions: its
// public questions with their authors' nicknames (which the rules show
// only when not anonymous), in one query over the (activity, participant)
// index, plus activity, type, status, revealed and responses (0: questions
// are not responses).
func questionResults(app core.App, act *Activity, rules *activity.Rules) (map[string]any, error) {
	qs := []activity.Question{}
	err := app.DB().NewQuery(
		"SELECT q.[[id]] AS id, q.[[" + QuestionText + "]] AS text, q.[[" + QuestionStatus + "]] AS status, " +
			"q.[[" + QuestionPinned + "]] AS pinned, q.[[" + QuestionVoteCount + "]] AS votes, q.[[" + FieldCreated + "]] AS created, " +
			"COALESCE(p.[[" + ParticipantNickname + "]], '') AS nickname " +
			"FROM {{" + Questions + "}} q LEFT JOIN {{" + Participants + "}} p ON p.[[id]] = q.[[" + QuestionParticipant + "]] " +
			"WHERE q.[[" + QuestionActivity + "]] = {:id} AND q.[[" + QuestionStatus + "]] IN ({:visible}, {:answered})",
	).Bind(dbx.Params{"id": act.Id, "visible": string(QuestionVisible), "answered": string(QuestionAnswered)}).All(&qs)
	if err != nil {
		return nil, fmt.Errorf("questions of activity %s: %w", act.Id, err)
	}
	res := rules.QuestionResults(qs)
	res["activity"] = act.Id
	res["type"] = string(rules.Type())
	res["status"] = string(act.Status())
	res["revealed"] = act.Revealed()
	res["responses"] = 0
	return res, nil
}
