package hooks

import (
	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	c "conflicto/collections"
)

// hideNotes keeps an activity's speaker notes for the owner of its session
// (and superusers) on every path that serves the record: REST reads and
// writes, the custom routes that answer with activities, and realtime
// record events, for which PocketBase enriches the record once per
// subscriber with that subscriber's auth. The API rules already keep the
// activities to the owner; this holds whatever a rule, an expand or a new
// route lets through.
func hideNotes(e *core.RecordEnrichEvent) error {
	if !mayReadNotes(e) {
		e.Record.Hide(c.ActivityNotes)
	}
	return e.Next()
}

func mayReadNotes(e *core.RecordEnrichEvent) bool {
	if e.RequestInfo == nil || e.RequestInfo.Auth == nil {
		return false
	}
	auth := e.RequestInfo.Auth
	if auth.IsSuperuser() {
		return true
	}
	if auth.Collection().Name != c.Users {
		return false
	}
	var owner string
	err := e.App.DB().Select(c.SessionOwner).From(c.Sessions).
		Where(dbx.HashExp{"id": e.Record.GetString(c.ActivitySession)}).Row(&owner)
	return err == nil && owner == auth.Id
}
