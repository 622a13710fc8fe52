package main

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
	"github.com/pocketbase/pocketbase/tools/types"
)

// Rules of the baseline. Creates follow the session relation, as a plain
// PocketBase app must to refuse joins and answers outside an active
// session. The presponses list rule keeps a session's records to those who
// know its code; the load tool switches it to the empty rule for the
// unscoped variant of the fanout baseline.
const (
	ruleSessionActive = `session.status = "active"`
	ruleSameSession   = ruleSessionActive + ` && participant.session = session`
	ruleScoped        = `session.code = @request.query.code`
)

func init() {
	m.Register(upPlainCollections, nil)
}

func upPlainCollections(app core.App) error {
	sessions := core.NewBaseCollection("psessions")
	sessions.ListRule = types.Pointer("")
	sessions.ViewRule = types.Pointer("")
	sessions.Fields.Add(
		&core.TextField{Name: "title", Required: true, Max: 200},
		&core.TextField{Name: "code", Required: true, Min: 6, Max: 6},
		&core.SelectField{Name: "status", Required: true, MaxSelect: 1, Values: []string{"draft", "active", "completed"}},
		&core.AutodateField{Name: "created", OnCreate: true},
		&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
	)
	sessions.AddIndex("idx_psessions_code", true, "`code`", "")
	if err := app.Save(sessions); err != nil {
		return err
	}

	participants := core.NewBaseCollection("pparticipants")
	participants.CreateRule = types.Pointer(ruleSessionActive)
	participants.Fields.Add(
		&core.RelationField{Name: "session", CollectionId: sessions.Id, Required: true, MaxSelect: 1, CascadeDelete: true},
		&core.TextField{Name: "nickname", Required: true, Max: 24},
		&core.AutodateField{Name: "created", OnCreate: true},
		&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
	)
	participants.AddIndex("idx_pparticipants_nickname", true, "`session`, `nickname` COLLATE NOCASE", "")
	if err := app.Save(participants); err != nil {
		return err
	}

	responses := core.NewBaseCollection("presponses")
	responses.ListRule = types.Pointer(ruleScoped)
	responses.ViewRule = types.Pointer(ruleScoped)
	responses.CreateRule = types.Pointer(ruleSameSession)
	responses.Fields.Add(
		&core.RelationField{Name: "session", CollectionId: sessions.Id, Required: true, MaxSelect: 1, CascadeDelete: true},
		&core.RelationField{Name: "participant", CollectionId: participants.Id, Required: true, MaxSelect: 1, CascadeDelete: true},
		&core.JSONField{Name: "value", Required: true, MaxSize: 16 << 10},
		&core.AutodateField{Name: "created", OnCreate: true},
		&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
	)
	responses.AddIndex("idx_presponses_once", true, "`session`, `participant`", "")
	return app.Save(responses)
}
