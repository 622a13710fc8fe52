package routes

import (
	"database/sql"
	"errors"
	"fmt"
	"net/http"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"conflicto/apierr"
	c "conflicto/collections"
)

// results serves GET /api/activities/{id}/results: always to the
// session owner and superusers, to anyone else only once the activity has
// run (not draft) and its results are public (collections.Activity.ResultsPublic).
// Results that are not public answer 404, as an unknown id does: like
// PocketBase's record routes, a caller who may not see something is not
// told that it exists.
// The results come from the hub, which keeps them until the session's next
// change: a word cloud on a screen polling them costs no query.
func (a *api) results(e *core.RequestEvent) error {
	res, err := a.hub.Results(e.Request.PathValue("id"))
	if errors.Is(err, sql.ErrNoRows) {
		return apis.NewNotFoundError("No activity has this id.", nil)
	}
	if err != nil {
		return apis.NewInternalServerError("", fmt.Errorf("results: %w", err))
	}
	if !res.Public {
		owner := false
		if e.Auth != nil { // anyone else needs no query to be refused
			session, err := c.FindSession(e.App, res.SessionID)
			if err != nil {
				return apis.NewInternalServerError("", fmt.Errorf("find session %s: %w", res.SessionID, err))
			}
			owner = isOwner(e, session)
		}
		if !owner {
			return apis.NewNotFoundError("No activity has this id.", nil)
		}
	}
	return e.JSON(http.StatusOK, res.Doc)
}

// reset serves POST /api/activities/{id}/reset: a poker re-vote. It
// deletes the activity's responses and hides the results again.
func (a *api) reset(e *core.RequestEvent) error {
	act := activityOf(e)
	rules, err := act.Rules()
	if err != nil {
		return apis.NewInternalServerError("", fmt.Errorf("rules of activity %s: %w", act.Id, err))
	}
	if !rules.Resettable() {
		return apierr.BadRequest(c.ActivityType, "reset_unsupported", "Only poker rounds can be reset.")
	}
	err = e.App.RunInTransaction(func(tx core.App) error {
		if _, err := tx.DB().Delete(c.Responses, dbx.HashExp{c.ResponseActivity: act.Id}).Execute(); err != nil {
			return fmt.Errorf("delete responses of %s: %w", act.Id, err)
		}
		act.Set(c.ActivityRevealed, false)
		return tx.Save(act.Record)
	})
	if err != nil {
		return apierr.RouteError(e, fmt.Errorf("reset activity %s: %w", act.Id, err))
	}
	if err := apis.EnrichRecord(e, act.Record); err != nil {
		return apis.NewInternalServerError("", err)
	}
	return e.JSON(http.StatusOK, act.Record)
}
