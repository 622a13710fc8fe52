package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
	"github.com/pocketbase/pocketbase/tools/types"

	c "conflicto/collections"
)

func init() {
	m.Register(upResponses, downResponses)
}

const (
	ruleOwnResponse     = ruleIsParticipant + ` && participant = @request.auth.id`
	ruleResponseOfOwned = ruleIsHost + ` && activity.session.owner = @request.auth.id`
	// Who may answer is a rule; whether the activity takes answers (active,
	// before a quiz's deadline) is checked by the hooks, which say why not.
	ruleAnswerableActivity = `activity.session = @request.auth.session`
	ruleSameTarget         = `(@request.body.activity:isset = false || @request.body.activity = activity) && ` +
		`(@request.body.participant:isset = false || @request.body.participant = participant)`
)

func upResponses(app core.App) error {
	activities, err := app.FindCollectionByNameOrId(c.Activities)
	if err != nil {
		return err
	}
	participants, err := app.FindCollectionByNameOrId(c.Participants)
	if err != nil {
		return err
	}

	responses := core.NewBaseCollection(c.Responses)
	responses.ListRule = types.Pointer(`(` + ruleOwnResponse + `) || (` + ruleResponseOfOwned + `)`)
	responses.ViewRule = responses.ListRule
	responses.CreateRule = types.Pointer(ruleOwnResponse + ` && ` + ruleAnswerableActivity)
	responses.UpdateRule = types.Pointer(ruleOwnResponse + ` && ` + ruleAnswerableActivity + ` && ` + ruleSameTarget)
	responses.DeleteRule = nil
	responses.Fields.Add(
		&core.RelationField{Name: c.ResponseActivity, CollectionId: activities.Id, Required: true, MaxSelect: 1, CascadeDelete: true},
		&core.RelationField{Name: c.ResponseParticipant, CollectionId: participants.Id, Required: true, MaxSelect: 1, CascadeDelete: true},
		&core.JSONField{Name: c.ResponseValue, Required: true, MaxSize: c.MaxValueSize},
		&core.NumberField{Name: c.ResponseScore, OnlyInt: true},
		&core.AutodateField{Name: c.FieldCreated, OnCreate: true},
		&core.AutodateField{Name: c.FieldUpdated, OnCreate: true, OnUpdate: true},
	)
	responses.AddIndex(c.IndexResponseOnce, true, "`activity`, `participant`", "")
	responses.AddIndex("idx_responses_participant", false, "`participant`", "")
	return app.Save(responses)
}

func downResponses(app core.App) error {
	responses, err := app.FindCollectionByNameOrId(c.Responses)
	if err != nil {
		return err
	}
	return app.Delete(responses)
}
