package hooks

import (
	"fmt"

	"github.com/pocketbase/pocketbase/core"
)

// stored returns r as the database holds it. Record.Original is not enough
// in model hooks: it is blank for a record created in memory and saved, and
// stale after a second save of the same object.
func stored(app core.App, r *core.Record) (*core.Record, error) {
	old, err := app.FindRecordById(r.Collection(), r.Id)
	if err != nil {
		return nil, fmt.Errorf("load stored %s %s: %w", r.Collection().Name, r.Id, err)
	}
	return old, nil
}
