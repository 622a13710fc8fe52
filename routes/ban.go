package routes

import (
	"fmt"
	"net/http"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"conflicto/apierr"
	c "conflicto/collections"
)

// ban serves POST /api/participants/{id}/ban (the session's owner, through
// requireParticipantOwner): the participant is marked banned through a
// normal save, so the hooks, the host's realtime events and the live
// count see it, and what a ban does to the token is server/tokens.go's
// (401 on REST, realtime connections closed and refused). The record
// stays: the host sees who was banned, the export keeps their answers and
// their nickname's key stays taken in the session. A second ban changes
// nothing and answers the same. Allowed in any session status.
func (a *api) ban(e *core.RequestEvent) error {
	p := participantOf(e)
	if !p.Banned() {
		p.Set(c.ParticipantBanned, true)
		if err := e.App.Save(p.Record); err != nil {
			return apierr.RouteError(e, fmt.Errorf("ban participant %s: %w", p.Id, err))
		}
	}
	if err := apis.EnrichRecord(e, p.Record); err != nil {
		return apis.NewInternalServerError("", fmt.Errorf("enrich participant: %w", err))
	}
	return e.JSON(http.StatusOK, p.Record)
}
