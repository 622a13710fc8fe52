package migrations

import (
	"fmt"
	"slices"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
	"github.com/pocketbase/pocketbase/tools/types"

	c "conflicto/collections"
)

// The Q&A: the qa activity type, its questions and their upvotes.
//
// A question's author (participant) is a hidden field: nobody but a
// superuser may filter, sort or follow a back-relation on it, so an
// anonymous Q&A cannot be unmasked with `participant = "…"` in a list or a
// realtime filter. The rules may still name it (PocketBase resolves rules
// with hidden fields), and the enrich hook shows it to the host, the author
// and, in a named Q&A, everyone (hooks/questions.go). Because PocketBase
// drops a hidden field from a non-superuser's body, the create rule cannot
// read `participant`; the create hook checks the body's participant against
// the token and sets it.
const (
	qaType = "qa"

	ruleQuestionOfOwned = ruleIsHost + ` && activity.session.owner = @request.auth.id`
	ruleQuestionSeen    = ruleIsParticipant + ` && activity.session = @request.auth.session && ` +
		`(status = "` + string(c.QuestionVisible) + `" || status = "` + string(c.QuestionAnswered) + `" || participant = @request.auth.id)`
	ruleOwnVote     = ruleIsParticipant + ` && participant = @request.auth.id`
	ruleVoteOfOwned = ruleIsHost + ` && question.activity.session.owner = @request.auth.id`
)

func init() {
	m.Register(upQA, downQA)
}

func upQA(app core.App) error {
	activities, err := app.FindCollectionByNameOrId(c.Activities)
	if err != nil {
		return err
	}
	participants, err := app.FindCollectionByNameOrId(c.Participants)
	if err != nil {
		return err
	}
	if err := setActivityType(app, activities, true); err != nil {
		return err
	}

	questions := core.NewBaseCollection(c.Questions)
	questions.ListRule = types.Pointer(`(` + ruleQuestionSeen + `) || (` + ruleQuestionOfOwned + `)`)
	questions.ViewRule = questions.ListRule
	questions.CreateRule = types.Pointer(ruleIsParticipant + ` && activity.session = @request.auth.session`)
	questions.UpdateRule = types.Pointer(ruleQuestionOfOwned)
	questions.DeleteRule = types.Pointer(`(` + ruleIsParticipant + ` && participant = @request.auth.id) || (` + ruleQuestionOfOwned + `)`)
	questions.Fields.Add(
		&core.RelationField{Name: c.QuestionActivity, CollectionId: activities.Id, Required: true, MaxSelect: 1, CascadeDelete: true},
		&core.RelationField{Name: c.QuestionParticipant, CollectionId: participants.Id, Required: true, MaxSelect: 1, CascadeDelete: true, Hidden: true},
		&core.TextField{Name: c.QuestionText, Required: true, Max: c.MaxQuestionText},
		&core.SelectField{Name: c.QuestionStatus, Required: true, MaxSelect: 1, Values: []string{
			string(c.QuestionPending), string(c.QuestionVisible), string(c.QuestionHidden), string(c.QuestionAnswered),
		}},
		&core.BoolField{Name: c.QuestionPinned},
		&core.NumberField{Name: c.QuestionVoteCount, OnlyInt: true, Min: types.Pointer(0.0)},
		&core.AutodateField{Name: c.FieldCreated, OnCreate: true},
		&core.AutodateField{Name: c.FieldUpdated, OnCreate: true, OnUpdate: true},
	)
	questions.AddIndex(c.IndexQuestionAuthor, false, "`activity`, `participant`", "")
	questions.AddIndex("idx_questions_participant", false, "`participant`", "")
	if err := app.Save(questions); err != nil {
		return err
	}

	votes := core.NewBaseCollection(c.QuestionVotes)
	votes.ListRule = types.Pointer(`(` + ruleOwnVote + `) || (` + ruleVoteOfOwned + `)`)
	votes.ViewRule = votes.ListRule
	votes.CreateRule = types.Pointer(ruleOwnVote + ` && question.activity.session = @request.auth.session`)
	votes.UpdateRule = nil
	votes.DeleteRule = types.Pointer(ruleOwnVote)
	votes.Fields.Add(
		&core.RelationField{Name: c.VoteQuestion, CollectionId: questions.Id, Required: true, MaxSelect: 1, CascadeDelete: true},
		&core.RelationField{Name: c.VoteParticipant, CollectionId: participants.Id, Required: true, MaxSelect: 1, CascadeDelete: true},
		// The question's activity, set by the server: the live engine marks
		// the activity of a vote without a query. Hidden: not the client's.
		&core.RelationField{Name: c.VoteActivity, CollectionId: activities.Id, Required: true, MaxSelect: 1, CascadeDelete: true, Hidden: true},
		&core.AutodateField{Name: c.FieldCreated, OnCreate: true},
	)
	votes.AddIndex(c.IndexQuestionVoteOnce, true, "`question`, `participant`", "")
	votes.AddIndex("idx_question_votes_participant", false, "`participant`", "")
	votes.AddIndex("idx_question_votes_activity", false, "`activity`", "")
	return app.Save(votes)
}

func downQA(app core.App) error {
	for _, name := range []string{c.QuestionVotes, c.Questions} {
		collection, err := app.FindCollectionByNameOrId(name)
		if err != nil {
			return err
		}
		if err := app.Delete(collection); err != nil {
			return err
		}
	}
	activities, err := app.FindCollectionByNameOrId(c.Activities)
	if err != nil {
		return err
	}
	return setActivityType(app, activities, false)
}

// setActivityType adds the qa value to the activities.type select field,
// or removes it.
func setActivityType(app core.App, activities *core.Collection, add bool) error {
	field, ok := activities.Fields.GetByName(c.ActivityType).(*core.SelectField)
	if !ok {
		return fmt.Errorf("activities.%s is not a select field", c.ActivityType)
	}
	field.Values = slices.DeleteFunc(field.Values, func(v string) bool { return v == qaType })
	if add {
		field.Values = append(field.Values, qaType)
	}
	return app.Save(activities)
}
