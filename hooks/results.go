package hooks

import (
	"database/sql"
	"errors"
	"fmt"
	"net/http"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"conflicto/activity"
	c "conflicto/collections"
)

func registerResultsRoutes(app core.App) {
	app.OnServe().BindFunc(func(e *core.ServeEvent) error {
		e.Router.GET("/api/activities/{id}/results", activityResults)
		return e.Next()
	})
}

// activityResults serves GET /api/activities/{id}/results: always to the
// session owner and superusers, to anyone else only once the activity has
// run (not draft) and its results are public by activity.ResultsPublic.
func activityResults(e *core.RequestEvent) error {
	act, err := c.FindActivity(e.App, e.Request.PathValue("id"))
	if errors.Is(err, sql.ErrNoRows) {
		return apis.NewNotFoundError("No activity has this id.", nil)
	}
	if err != nil {
		return apis.NewInternalServerError("", fmt.Errorf("find activity: %w", err))
	}
	owner, err := ownsSession(e, act.SessionID())
	if err != nil {
		return apis.NewInternalServerError("", err)
	}
	rules, err := act.Rules()
	if err != nil {
		return apis.NewInternalServerError("", fmt.Errorf("rules of activity %s: %w", act.Id, err))
	}
	if !owner && !resultsPublic(act, rules) {
		return apis.NewForbiddenError("The results of this activity are not public yet.", nil)
	}
	res, err := buildResults(e.App, act, rules)
	if err != nil {
		return apis.NewInternalServerError("", err)
	}
	return e.JSON(http.StatusOK, res)
}

// resultsPublic reports whether anyone may read the activity's results.
// A draft has none worth showing, and its existence is the host's business.
func resultsPublic(act *c.Activity, rules *activity.Rules) bool {
	if act.Status() == c.ActivityDraft {
		return false
	}
	return rules.ResultsPublic(act.Revealed())
}

// ownsSession reports whether the caller is a superuser or the host who
// owns the session.
func ownsSession(e *core.RequestEvent, sessionID string) (bool, error) {
	if e.HasSuperuserAuth() {
		return true, nil
	}
	if e.Auth == nil || e.Auth.Collection().Name != c.Users {
		return false, nil
	}
	var owner string
	err := e.App.DB().Select(c.SessionOwner).From(c.Sessions).
		Where(dbx.HashExp{"id": sessionID}).Row(&owner)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("find owner of session %s: %w", sessionID, err)
	}
	return owner == e.Auth.Id, nil
}

// buildResults aggregates an activity's responses into its results document
// (activity.Results) plus activity, type, status, revealed and responses
// (the number of responses). Responses are grouped by their canonical value
// in SQL over the (activity, participant) index; only a revealed poker round
// reads individual rows, for the named votes.
func buildResults(app core.App, act *c.Activity, rules *activity.Rules) (map[string]any, error) {
	return buildResultsAs(app, act, rules, act.Revealed())
}

// buildResultsAs builds the results as if revealed were the activity's
// reveal state: the export shows the host everything.
func buildResultsAs(app core.App, act *c.Activity, rules *activity.Rules, revealed bool) (map[string]any, error) {
	groups, total, err := responseGroups(app, act.Id)
	if err != nil {
		return nil, err
	}
	var votes []activity.Vote
	if rules.NamedVotes(revealed) {
		if votes, err = namedVotes(app, act.Id); err != nil {
			return nil, err
		}
	}
	res := rules.Results(groups, votes, revealed)
	res["activity"] = act.Id
	res["type"] = string(rules.Type())
	res["status"] = string(act.Status())
	res["revealed"] = act.Revealed()
	res["responses"] = total
	return res, nil
}

func responseGroups(app core.App, activityID string) ([]activity.Group, int, error) {
	rows := []struct {
		Value string `db:"value"`
		N     int    `db:"n"`
	}{}
	err := app.DB().NewQuery(
		"SELECT [[" + c.ResponseValue + "]] AS value, COUNT(*) AS n FROM {{" + c.Responses + "}} " +
			"WHERE [[" + c.ResponseActivity + "]] = {:id} GROUP BY [[" + c.ResponseValue + "]]",
	).Bind(dbx.Params{"id": activityID}).All(&rows)
	if err != nil {
		return nil, 0, fmt.Errorf("group responses of activity %s: %w", activityID, err)
	}
	groups := make([]activity.Group, len(rows))
	total := 0
	for i, r := range rows {
		groups[i] = activity.Group{Value: []byte(r.Value), Count: r.N}
		total += r.N
	}
	return groups, total, nil
}

// namedVotes lists who answered what, by nickname. The value's "card"
// is the one answer shape that is shown by name (a poker round).
func namedVotes(app core.App, activityID string) ([]activity.Vote, error) {
	votes := []activity.Vote{}
	err := app.DB().NewQuery(
		"SELECT p.[[" + c.ParticipantNickname + "]] AS nickname, " +
			"COALESCE(json_extract(r.[[" + c.ResponseValue + "]], '$.card'), '') AS card " +
			"FROM {{" + c.Responses + "}} r JOIN {{" + c.Participants + "}} p ON p.[[id]] = r.[[" + c.ResponseParticipant + "]] " +
			"WHERE r.[[" + c.ResponseActivity + "]] = {:id} ORDER BY p.[[" + c.ParticipantNickname + "]], p.[[id]]",
	).Bind(dbx.Params{"id": activityID}).All(&votes)
	if err != nil {
		return nil, fmt.Errorf("poker votes of activity %s: %w", activityID, err)
	}
	return votes, nil
}
