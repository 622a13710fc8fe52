package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
	"github.com/pocketbase/pocketbase/tools/types"

	c "conflicto/collections"
)

// Who may answer is checked in Go, not by the stored create rule (issue
// 13). PocketBase checks a non-empty create rule with one SQL query per
// create (the record's values through a CTE, joined to the activity):
// about half of an answer's cost, on the request a whole hall sends in the
// same ten seconds. The same rule, "a participant, for themselves, to an
// activity of their own session", is now hooks.guardResponseCreate, which
// reads the activity from the memo and runs on every create request, REST
// and batch alike (an OnRecordCreateRequest hook; Go saves skip rules
// either way). The stored create rule is empty, which the dashboard shows
// as public: the hook is the rule. The access matrices
// (apitest/access_matrix_test.go) pin the same answers as before.
func init() {
	m.Register(upResponsesCreateInGo, downResponsesCreateInGo)
}

func upResponsesCreateInGo(app core.App) error {
	return setResponsesCreateRule(app, "")
}

func downResponsesCreateInGo(app core.App) error {
	return setResponsesCreateRule(app, ruleOwnResponse+` && `+ruleAnswerableActivity)
}

func setResponsesCreateRule(app core.App, rule string) error {
	responses, err := app.FindCollectionByNameOrId(c.Responses)
	if err != nil {
		return err
	}
	responses.CreateRule = types.Pointer(rule)
	return app.Save(responses)
}
