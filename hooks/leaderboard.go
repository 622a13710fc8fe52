package hooks

import (
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"conflicto/activity"
	c "conflicto/collections"
)

// liveLeaderboardSize is how many leaders the live state shows.
const liveLeaderboardSize = 10

// leaderboardEntry is one participant's standing over a session's quizzes.
type leaderboardEntry struct {
	Participant string `db:"participant" json:"participant"`
	Nickname    string `db:"nickname" json:"nickname"`
	Score       int    `db:"score" json:"score"`
	Correct     int    `db:"correct" json:"correct"`
}

func registerLeaderboardRoutes(app core.App) {
	app.OnServe().BindFunc(func(e *core.ServeEvent) error {
		e.Router.GET("/api/sessions/{id}/leaderboard", sessionLeaderboard)
		return e.Next()
	})
}

// sessionLeaderboard serves GET /api/sessions/{id}/leaderboard to the
// session owner and superusers; everyone else gets the 404 the session's
// view rule would give them.
func sessionLeaderboard(e *core.RequestEvent) error {
	session, apiErr := findOwnedSession(e)
	if apiErr != nil {
		return apiErr
	}
	items, err := leaderboard(e.App, session.Id, false, 0)
	if err != nil {
		return apis.NewInternalServerError("", err)
	}
	return e.JSON(http.StatusOK, map[string]any{"items": items})
}

// findOwnedSession finds the session of the {id} path value when the caller
// owns it (or is a superuser); otherwise 404, unknown or not.
func findOwnedSession(e *core.RequestEvent) (*core.Record, error) {
	notFound := apis.NewNotFoundError("No session of yours has this id.", nil)
	session, err := e.App.FindRecordById(c.Sessions, e.Request.PathValue("id"))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound
	}
	if err != nil {
		return nil, apis.NewInternalServerError("", fmt.Errorf("find session: %w", err))
	}
	owner := e.HasSuperuserAuth() ||
		(e.Auth != nil && e.Auth.Collection().Name == c.Users && e.Auth.Id == session.GetString(c.SessionOwner))
	if !owner {
		return nil, notFound
	}
	return session, nil
}

// leaderboard ranks every participant of the session by total quiz score,
// then by the smaller total answer time (the sum over their quiz responses of
// created − the quiz's started_at), then by nickname, in one aggregate query.
// onlyRevealed counts only revealed quizzes: the public board must not tell
// who was right on a question whose answer is still secret. limit ≤ 0 means
// everyone.
// scoredTypes is the SQL list of the activity types whose answers carry a
// score (quoted constants from package activity, never user input).
var scoredTypes = func() string {
	quoted := make([]string, len(activity.ScoredTypes()))
	for i, t := range activity.ScoredTypes() {
		quoted[i] = "'" + string(t) + "'"
	}
	return strings.Join(quoted, ",")
}()

func leaderboard(app core.App, sessionID string, onlyRevealed bool, limit int) ([]leaderboardEntry, error) {
	quizzes := "SELECT [[id]] FROM {{" + c.Activities + "}} WHERE [[" + c.ActivitySession + "]] = {:session} " +
		"AND [[" + c.ActivityType + "]] IN (" + scoredTypes + ")"
	if onlyRevealed {
		quizzes += " AND [[" + c.ActivityRevealed + "]] = TRUE"
	}
	q := "SELECT p.[[id]] AS participant, p.[[" + c.ParticipantNickname + "]] AS nickname, " +
		"CAST(COALESCE(SUM(r.[[" + c.ResponseScore + "]]), 0) AS INTEGER) AS score, " +
		"COUNT(CASE WHEN r.[[" + c.ResponseScore + "]] > 0 THEN 1 END) AS correct, " +
		"COALESCE(SUM(julianday(r.[[" + c.FieldCreated + "]]) - julianday(a.[[" + c.ActivityStartedAt + "]])), 0) AS elapsed " +
		"FROM {{" + c.Participants + "}} p " +
		"LEFT JOIN {{" + c.Responses + "}} r ON r.[[" + c.ResponseParticipant + "]] = p.[[id]] " +
		"AND r.[[" + c.ResponseActivity + "]] IN (" + quizzes + ") " +
		"LEFT JOIN {{" + c.Activities + "}} a ON a.[[id]] = r.[[" + c.ResponseActivity + "]] " +
		"WHERE p.[[" + c.ParticipantSession + "]] = {:session} " +
		"GROUP BY p.[[id]] " +
		"ORDER BY score DESC, elapsed ASC, p.[[" + c.ParticipantNickname + "]] ASC, p.[[id]] ASC"
	if limit > 0 {
		q += fmt.Sprintf(" LIMIT %d", limit)
	}
	rows := []struct {
		leaderboardEntry
		Elapsed float64 `db:"elapsed"`
	}{}
	err := app.DB().NewQuery(q).Bind(dbx.Params{"session": sessionID}).All(&rows)
	if err != nil {
		return nil, fmt.Errorf("leaderboard of session %s: %w", sessionID, err)
	}
	items := make([]leaderboardEntry, len(rows))
	for i, r := range rows {
		items[i] = r.leaderboardEntry
	}
	return items, nil
}
