package migrations

import (
	"fmt"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	c "conflicto/collections"
)

// Speaker notes: what the host wants to remember while an activity runs.
// A plain text field, not a hidden one: PocketBase drops a hidden field
// from a host's body, and the host writes the notes. The activities' API
// rules already keep the records to the session's owner; the enrich hook
// (hooks/activities_notes.go) takes the notes out of any record served to
// anyone else, and the live document and results never carry them.
func init() {
	m.Register(upActivityNotes, downActivityNotes)
}

func upActivityNotes(app core.App) error {
	activities, err := app.FindCollectionByNameOrId(c.Activities)
	if err != nil {
		return err
	}
	activities.Fields.Add(&core.TextField{Name: c.ActivityNotes, Max: c.MaxNotesLength})
	return app.Save(activities)
}

func downActivityNotes(app core.App) error {
	activities, err := app.FindCollectionByNameOrId(c.Activities)
	if err != nil {
		return err
	}
	if activities.Fields.GetByName(c.ActivityNotes) == nil {
		return fmt.Errorf("activities.%s is missing", c.ActivityNotes)
	}
	activities.Fields.RemoveByName(c.ActivityNotes)
	return app.Save(activities)
}
