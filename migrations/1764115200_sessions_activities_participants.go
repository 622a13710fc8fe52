package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
	"github.com/pocketbase/pocketbase/tools/types"

	c "conflicto/collections"
)

// API rules. Hosts are records of users, participants of participants.
const (
	ruleIsHost        = `@request.auth.collectionName = "` + c.Users + `"`
	ruleIsParticipant = `@request.auth.collectionName = "` + c.Participants + `"`

	ruleSessionOwner   = ruleIsHost + ` && owner = @request.auth.id`
	ruleOwnerNotForged = `(@request.body.owner:isset = false || @request.body.owner = @request.auth.id)`
	ruleOfOwnedSession = ruleIsHost + ` && session.owner = @request.auth.id`
)

func init() {
	m.Register(upSessionsActivitiesParticipants, downSessionsActivitiesParticipants)
}

func upSessionsActivitiesParticipants(app core.App) error {
	users, err := app.FindCollectionByNameOrId(c.Users)
	if err != nil {
		return err
	}

	sessions := core.NewBaseCollection(c.Sessions)
	sessions.ListRule = types.Pointer(ruleSessionOwner)
	sessions.ViewRule = types.Pointer(ruleSessionOwner + ` || (` + ruleIsParticipant + ` && @request.auth.session = id)`)
	sessions.CreateRule = types.Pointer(ruleIsHost + ` && ` + ruleOwnerNotForged)
	sessions.UpdateRule = types.Pointer(ruleSessionOwner + ` && ` + ruleOwnerNotForged)
	sessions.DeleteRule = types.Pointer(ruleSessionOwner + ` && status != "` + string(c.SessionActive) + `"`)
	sessions.Fields.Add(
		&core.TextField{Name: c.SessionTitle, Required: true, Max: 200},
		&core.TextField{Name: c.SessionDescription, Max: 2000},
		&core.SelectField{Name: c.SessionStatus, Required: true, MaxSelect: 1, Values: []string{
			string(c.SessionDraft), string(c.SessionActive), string(c.SessionCompleted),
		}},
		&core.TextField{Name: c.SessionCode, Min: c.CodeLength, Max: c.CodeLength, Pattern: "^[" + c.CodeAlphabet + "]+$"},
		&core.RelationField{Name: c.SessionOwner, CollectionId: users.Id, Required: true, MaxSelect: 1, CascadeDelete: true},
		&core.NumberField{Name: c.SessionMaxParticipants, OnlyInt: true, Min: types.Pointer(0.0)},
		&core.DateField{Name: c.SessionStartedAt},
		&core.DateField{Name: c.SessionEndedAt},
		&core.AutodateField{Name: c.FieldCreated, OnCreate: true},
		&core.AutodateField{Name: c.FieldUpdated, OnCreate: true, OnUpdate: true},
	)
	sessions.AddIndex("idx_sessions_code", true, "`code`", "")
	sessions.AddIndex("idx_sessions_owner", false, "`owner`", "")
	if err := app.Save(sessions); err != nil {
		return err
	}

	activities := core.NewBaseCollection(c.Activities)
	activities.ListRule = types.Pointer(ruleOfOwnedSession)
	activities.ViewRule = types.Pointer(ruleOfOwnedSession)
	activities.CreateRule = types.Pointer(ruleOfOwnedSession)
	activities.UpdateRule = types.Pointer(ruleOfOwnedSession)
	activities.DeleteRule = types.Pointer(ruleOfOwnedSession)
	activities.Fields.Add(
		&core.RelationField{Name: c.ActivitySession, CollectionId: sessions.Id, Required: true, MaxSelect: 1, CascadeDelete: true},
		&core.SelectField{Name: c.ActivityType, Required: true, MaxSelect: 1, Values: []string{"poll", "poker", "quiz", "wordcloud"}},
		&core.TextField{Name: c.ActivityTitle, Required: true, Max: 300},
		&core.JSONField{Name: c.ActivityConfig, MaxSize: 64 << 10},
		&core.NumberField{Name: c.ActivityPosition, OnlyInt: true, Min: types.Pointer(0.0)},
		&core.SelectField{Name: c.ActivityStatus, Required: true, MaxSelect: 1, Values: []string{
			string(c.ActivityDraft), string(c.ActivityActive), string(c.ActivityExpired),
		}},
		&core.BoolField{Name: c.ActivityRevealed},
		&core.DateField{Name: c.ActivityStartedAt},
		&core.DateField{Name: c.ActivityEndedAt},
		&core.AutodateField{Name: c.FieldCreated, OnCreate: true},
		&core.AutodateField{Name: c.FieldUpdated, OnCreate: true, OnUpdate: true},
	)
	activities.AddIndex(c.IndexActivityPosition, true, "`session`, `position`", "")
	activities.AddIndex(c.IndexActivityOneActive, true, "`session`", "`status` = '"+string(c.ActivityActive)+"'")
	if err := app.Save(activities); err != nil {
		return err
	}

	participants := core.NewAuthCollection(c.Participants)
	participants.ListRule = types.Pointer(ruleOfOwnedSession)
	participants.ViewRule = types.Pointer(ruleOfOwnedSession + ` || (` + ruleIsParticipant + ` && id = @request.auth.id)`)
	participants.CreateRule = nil
	participants.UpdateRule = nil
	participants.DeleteRule = types.Pointer(ruleOfOwnedSession)
	participants.AuthRule = types.Pointer("")
	participants.ManageRule = nil
	participants.PasswordAuth.Enabled = false
	participants.OAuth2.Enabled = false
	participants.OTP.Enabled = false
	participants.MFA.Enabled = false
	if email, ok := participants.Fields.GetByName(core.FieldNameEmail).(*core.EmailField); ok {
		email.Required = false
	}
	if password, ok := participants.Fields.GetByName(core.FieldNamePassword).(*core.PasswordField); ok {
		// The password is a random secret nobody types; the minimum bcrypt
		// cost keeps joins from being capped by hashing (docs/ARCHITECTURE.md).
		password.Cost = 4
	}
	participants.Fields.Add(
		&core.RelationField{Name: c.ParticipantSession, CollectionId: sessions.Id, Required: true, MaxSelect: 1, CascadeDelete: true},
		&core.TextField{Name: c.ParticipantNickname, Required: true, Max: 24},
		&core.TextField{Name: c.ParticipantNicknameKey, Required: true, Hidden: true, Max: 200},
		&core.DateField{Name: c.ParticipantLastSeen},
		&core.AutodateField{Name: c.FieldCreated, OnCreate: true},
		&core.AutodateField{Name: c.FieldUpdated, OnCreate: true, OnUpdate: true},
	)
	participants.AddIndex(c.IndexParticipantNickname, true, "`session`, `nickname_key`", "")
	return app.Save(participants)
}

func downSessionsActivitiesParticipants(app core.App) error {
	for _, name := range []string{c.Participants, c.Activities, c.Sessions} {
		collection, err := app.FindCollectionByNameOrId(name)
		if err != nil {
			return err
		}
		if err := app.Delete(collection); err != nil {
			return err
		}
	}
	return nil
}
