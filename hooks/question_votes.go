package hooks

import (
	"database/sql"
	"errors"
	"fmt"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"conflicto/apierr"
	c "conflicto/collections"
	"conflicto/presence"
)

// registerQuestionVotes binds the upvote rules: one per participant per
// question (the unique index), only on a visible question of someone
// else, only while the Q&A is active, withdrawn by deleting it; and the
// question's votes, kept exact by recounting inside the vote's
// transaction.
func registerQuestionVotes(app core.App, presence *presence.Writer) {
	app.OnRecordCreateRequest(c.QuestionVotes).BindFunc(func(e *core.RecordRequestEvent) error {
		err := e.Next()
		if err != nil && apierr.IsUniqueViolation(err, c.IndexQuestionVoteOnce, c.VoteParticipant) {
			return apierr.Conflict(c.VoteQuestion, "already_voted", "You have already upvoted this question.", nil)
		}
		if err == nil && isCollection(e.Auth, c.Participants) {
			presence.Touch(e.Auth)
		}
		return err
	})
	app.OnRecordDeleteRequest(c.QuestionVotes).BindFunc(func(e *core.RecordRequestEvent) error {
		if err := questionWithdrawable(e.App, e.Auth, e.Record.GetString(c.VoteActivity)); err != nil {
			return err
		}
		return e.Next()
	})
	app.OnRecordCreate(c.QuestionVotes).BindFunc(func(e *core.RecordEvent) error {
		return inTransaction(e, func(tx core.App) error {
			if err := prepareVote(tx, e.Record); err != nil {
				return err
			}
			if err := e.Next(); err != nil {
				return err
			}
			return recountVotes(tx, e.Record.GetString(c.VoteQuestion))
		})
	})
	app.OnRecordUpdate(c.QuestionVotes).BindFunc(func(e *core.RecordEvent) error {
		return apierr.Invalid(c.VoteQuestion, "immutable", "An upvote cannot change: withdraw it (delete) and vote again.")
	})
	app.OnRecordDelete(c.QuestionVotes).BindFunc(func(e *core.RecordEvent) error {
		return inTransaction(e, func(tx core.App) error {
			if err := e.Next(); err != nil {
				return err
			}
			return recountVotes(tx, e.Record.GetString(c.VoteQuestion))
		})
	})
}

// prepareVote enforces the voting rules on every save path and sets the
// vote's activity (the question's).
func prepareVote(tx core.App, r *core.Record) error {
	q, err := tx.FindRecordById(c.Questions, r.GetString(c.VoteQuestion))
	if errors.Is(err, sql.ErrNoRows) {
		return apierr.Invalid(c.VoteQuestion, "validation_missing_rel_records", "The question does not exist.")
	}
	if err != nil {
		return apierr.ServerFault(fmt.Errorf("find question: %w", err))
	}
	act, _, err := questionActivity(tx, q.GetString(c.QuestionActivity), c.VoteQuestion)
	if err != nil {
		return err
	}
	if err := qaClosed(tx, act, c.VoteQuestion); err != nil {
		return err
	}
	voter := r.GetString(c.VoteParticipant)
	session, err := participantSession(tx, voter)
	if err != nil {
		return err
	}
	if voter != "" && session != act.SessionID() {
		return apierr.Invalid(c.VoteParticipant, "wrong_session", "The participant is not in this question's session.")
	}
	if voter == q.GetString(c.QuestionParticipant) {
		return apierr.Invalid(c.VoteQuestion, "own_question", "You cannot upvote your own question.")
	}
	if c.QuestionState(q.GetString(c.QuestionStatus)) != c.QuestionVisible {
		return apierr.Conflict(c.VoteQuestion, "question_not_visible", "Only visible questions can be upvoted.", nil)
	}
	r.Set(c.VoteActivity, act.Id)
	return nil
}

// recountVotes sets a question's votes to the number of its upvotes, in
// the vote's transaction: SQLite's one writer serialises the transactions,
// so the count is exact however the votes race. A raw UPDATE: the count
// is the server's, no rule of the question's applies to it, and a question
// being deleted (its votes cascading) is simply not found.
func recountVotes(tx core.App, questionID string) error {
	_, err := tx.DB().NewQuery(
		"UPDATE {{" + c.Questions + "}} SET [[" + c.QuestionVoteCount + "]] = " +
			"(SELECT COUNT(*) FROM {{" + c.QuestionVotes + "}} WHERE [[" + c.VoteQuestion + "]] = {:q}) WHERE [[id]] = {:q}",
	).Bind(dbx.Params{"q": questionID}).Execute()
	if err != nil {
		return apierr.ServerFault(fmt.Errorf("recount votes of question %s: %w", questionID, err))
	}
	return nil
}
