package routes

import (
	"fmt"
	"net/http"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"conflicto/apierr"
	c "conflicto/collections"
)

// duplicate serves POST /api/sessions/{id}/duplicate: a new draft session
// of the same owner, with a new join code and copies of the activities as
// drafts in the same order (type, title, config, notes), the blocked
// words with them; no participants
// or answers. Hosts reuse their decks. Everything is saved through the
// normal path in one transaction, so the hooks check the copy as they
// would a new session built by hand, and a failure leaves nothing behind.
func (a *api) duplicate(e *core.RequestEvent) error {
	source := sessionOf(e)
	var copied *core.Record
	err := e.App.RunInTransaction(func(tx core.App) error {
		fresh, err := tx.FindRecordById(c.Sessions, source.Id)
		if err != nil {
			return apierr.ServerFault(fmt.Errorf("find session %s: %w", source.Id, err))
		}
		copied = core.NewRecord(fresh.Collection())
		for _, f := range []string{c.SessionTitle, c.SessionDescription, c.SessionOwner, c.SessionMaxParticipants, c.SessionBlockedWords} {
			copied.Set(f, fresh.Get(f))
		}
		if err := tx.Save(copied); err != nil {
			return apierr.ServerFault(fmt.Errorf("copy session %s: %w", source.Id, err))
		}
		all, err := sessionActivities(tx, source.Id)
		if err != nil {
			return err
		}
		for i, act := range all {
			dup := core.NewRecord(act.Collection())
			for _, f := range []string{c.ActivityType, c.ActivityTitle, c.ActivityConfig, c.ActivityNotes} {
				dup.Set(f, act.Get(f))
			}
			dup.Set(c.ActivitySession, copied.Id)
			dup.Set(c.ActivityPosition, i+1)
			if err := tx.Save(dup); err != nil {
				// Stored data the rules no longer take (a config that
				// does not parse): the server's fault, not the caller's.
				return apierr.ServerFault(fmt.Errorf("copy activity %s: %w", act.Id, err))
			}
		}
		return nil
	})
	if err != nil {
		return apierr.RouteError(e, err)
	}
	if err := apis.EnrichRecord(e, copied); err != nil {
		return e.InternalServerError("", err)
	}
	return e.JSON(http.StatusCreated, copied)
}
