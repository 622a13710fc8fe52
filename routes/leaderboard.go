package routes

import (
	"net/http"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	c "conflicto/collections"
)

// leaderboard serves GET /api/sessions/{id}/leaderboard to the session
// owner and superusers: every quiz counts, revealed or not.
func (a *api) leaderboard(e *core.RequestEvent) error {
	session := sessionOf(e)
	items, err := c.Leaderboard(e.App, session.Id, false, 0)
	if err != nil {
		return apis.NewInternalServerError("", err)
	}
	return e.JSON(http.StatusOK, map[string]any{"items": items})
}
