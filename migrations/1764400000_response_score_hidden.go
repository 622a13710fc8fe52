package migrations

import (
	"fmt"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	c "conflicto/collections"
)

// A quiz answer's score tells its participant whether they were right. The
// enrich hook kept it out of their view, but a column that is only left out
// of the output can still be filtered and sorted on: score>0 in a list
// filter or a realtime subscription answered "right or wrong" before the
// reveal. A hidden field cannot be named in a filter or a sort by anyone but
// superusers, so the score is hidden in the schema, and the enrich hook
// shows it to those who may see it (hooks/responses.go).
func init() {
	m.Register(upResponseScoreHidden, downResponseScoreHidden)
}

func upResponseScoreHidden(app core.App) error { return setResponseScoreHidden(app, true) }

func downResponseScoreHidden(app core.App) error { return setResponseScoreHidden(app, false) }

func setResponseScoreHidden(app core.App, hidden bool) error {
	responses, err := app.FindCollectionByNameOrId(c.Responses)
	if err != nil {
		return err
	}
	score, ok := responses.Fields.GetByName(c.ResponseScore).(*core.NumberField)
	if !ok {
		return fmt.Errorf("responses.%s is not a number field", c.ResponseScore)
	}
	score.Hidden = hidden
	return app.Save(responses)
}
