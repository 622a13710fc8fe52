package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
	"github.com/pocketbase/pocketbase/tools/types"

	c "conflicto/collections"
)

// ruleOwnerSelfOrBlank lets a host leave owner blank on create: the SDK and
// the dashboard send every field of the form, owner "" included, and the
// create hook then makes the host the owner. The first rule
// (ruleOwnerNotForged) refused a blank owner with a bare 400.
const ruleOwnerSelfOrBlank = `(@request.body.owner:isset = false || @request.body.owner = "" || @request.body.owner = @request.auth.id)`

func init() {
	m.Register(upSessionsBlankOwner, downSessionsBlankOwner)
}

func upSessionsBlankOwner(app core.App) error {
	return setSessionsCreateRule(app, ruleIsHost+` && `+ruleOwnerSelfOrBlank)
}

func downSessionsBlankOwner(app core.App) error {
	return setSessionsCreateRule(app, ruleIsHost+` && `+ruleOwnerNotForged)
}

func setSessionsCreateRule(app core.App, rule string) error {
	sessions, err := app.FindCollectionByNameOrId(c.Sessions)
	if err != nil {
		return err
	}
	sessions.CreateRule = types.Pointer(rule)
	return app.Save(sessions)
}
