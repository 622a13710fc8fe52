package collections

import (
	"fmt"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"conflicto/activity"
)

// The results of an activity and the leaderboard of a session: aggregate
// queries over responses, shared by the routes and the live document.

// Results aggregates an activity's responses into its results document
// (activity.Results) plus activity, type, status, revealed and responses
// (the number of responses). Responses are grouped by their canonical value
// in SQL over the (activity, participant) index; only a revealed poker round
// reads individual rows, for the named answers.
func Results(app core.App, act *Activity, rules *activity.Rules) (map[string]any, error) {
	return ResultsAs(app, act, rules, act.Revealed())
}

// ResultsAs builds the results as if revealed were the activity's
// reveal state: the export shows the host everything.
func ResultsAs(app core.App, act *Activity, rules *activity.Rules, revealed bool) (map[string]any, error) {
	if rules.Questions() {
		return questionResults(app, act, rules)
	}
	groups, total, err := responseGroups(app, act.Id)
	if err != nil {
		return nil, err
	}
	var named []activity.NamedAnswer
	if rules.NamedVotes(revealed) {
		if named, err = namedAnswers(app, act.Id); err != nil {
			return nil, err
		}
	}
	res := rules.Results(groups, named, revealed)
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
		"SELECT [[" + ResponseValue + "]] AS value, COUNT(*) AS n FROM {{" + Responses + "}} " +
			"WHERE [[" + ResponseActivity + "]] = {:id} GROUP BY [[" + ResponseValue + "]]",
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

// namedAnswers lists who answered what: each answer's canonical value with
// its participant's nickname, by nickname. What a type shows of it is the
// type's business (activity.Rules.Results).
func namedAnswers(app core.App, activityID string) ([]activity.NamedAnswer, error) {
	named := []activity.NamedAnswer{}
	err := app.DB().NewQuery(
		"SELECT p.[[" + ParticipantNickname + "]] AS nickname, r.[[" + ResponseValue + "]] AS value " +
			"FROM {{" + Responses + "}} r JOIN {{" + Participants + "}} p ON p.[[id]] = r.[[" + ResponseParticipant + "]] " +
			"WHERE r.[[" + ResponseActivity + "]] = {:id} ORDER BY p.[[" + ParticipantNickname + "]], p.[[id]]",
	).Bind(dbx.Params{"id": activityID}).All(&named)
	if err != nil {
		return nil, fmt.Errorf("named answers of activity %s: %w", activityID, err)
	}
	return named, nil
}

// ResultsPublic reports whether anyone may read the activity's results.
// A draft has none worth showing, and its existence is the host's business.
func (act *Activity) ResultsPublic(rules *activity.Rules) bool {
	if act.Status() == ActivityDraft {
		return false
	}
	return rules.ResultsPublic(act.Revealed())
}

// LeaderboardEntry is one participant's standing over a session's quizzes.
type LeaderboardEntry struct {
	Participant string `db:"participant" json:"participant" doc:"The participant's id."`
	Nickname    string `db:"nickname" json:"nickname"`
	Score       int    `db:"score" json:"score" doc:"The sum of their quiz scores."`
	Correct     int    `db:"correct" json:"correct" doc:"Their quiz answers with a score above 0."`
}

// scoredTypes is the SQL list of the activity types whose answers carry a
// score (quoted constants from package activity, never user input).
var scoredTypes = func() string {
	quoted := make([]string, len(activity.ScoredTypes()))
	for i, t := range activity.ScoredTypes() {
		quoted[i] = "'" + string(t) + "'"
	}
	return strings.Join(quoted, ",")
}()

// Leaderboard ranks every participant of the session by total quiz score,
// then by the smaller total answer time (the sum over their quiz responses of
// created − the quiz's started_at), then by nickname, in one aggregate query.
// onlyRevealed counts only revealed quizzes: the public board must not tell
// who was right on a question whose answer is still secret. limit ≤ 0 means
// everyone.
func Leaderboard(app core.App, sessionID string, onlyRevealed bool, limit int) ([]LeaderboardEntry, error) {
	quizzes := "SELECT [[id]] FROM {{" + Activities + "}} WHERE [[" + ActivitySession + "]] = {:session} " +
		"AND [[" + ActivityType + "]] IN (" + scoredTypes + ")"
	if onlyRevealed {
		quizzes += " AND [[" + ActivityRevealed + "]] = TRUE"
	}
	q := "SELECT p.[[id]] AS participant, p.[[" + ParticipantNickname + "]] AS nickname, " +
		"CAST(COALESCE(SUM(r.[[" + ResponseScore + "]]), 0) AS INTEGER) AS score, " +
		"COUNT(CASE WHEN r.[[" + ResponseScore + "]] > 0 THEN 1 END) AS correct, " +
		"COALESCE(SUM(julianday(r.[[" + FieldCreated + "]]) - julianday(a.[[" + ActivityStartedAt + "]])), 0) AS elapsed " +
		"FROM {{" + Participants + "}} p " +
		"LEFT JOIN {{" + Responses + "}} r ON r.[[" + ResponseParticipant + "]] = p.[[id]] " +
		"AND r.[[" + ResponseActivity + "]] IN (" + quizzes + ") " +
		"LEFT JOIN {{" + Activities + "}} a ON a.[[id]] = r.[[" + ResponseActivity + "]] " +
		"WHERE p.[[" + ParticipantSession + "]] = {:session} " +
		"GROUP BY p.[[id]] " +
		"ORDER BY score DESC, elapsed ASC, p.[[" + ParticipantNickname + "]] ASC, p.[[id]] ASC"
	if limit > 0 {
		q += fmt.Sprintf(" LIMIT %d", limit)
	}
	rows := []struct {
		LeaderboardEntry
		Elapsed float64 `db:"elapsed"`
	}{}
	err := app.DB().NewQuery(q).Bind(dbx.Params{"session": sessionID}).All(&rows)
	if err != nil {
		return nil, fmt.Errorf("leaderboard of session %s: %w", sessionID, err)
	}
	items := make([]LeaderboardEntry, len(rows))
	for i, r := range rows {
		items[i] = r.LeaderboardEntry
	}
	return items, nil
}

// Standing is one participant's place on a leaderboard: Rank is their
// position (1-based) in Leaderboard's order, ties broken as it breaks them,
// so the top entries' ranks are the board's own positions; Of is the
// number of participants ranked.
type Standing struct {
	Rank    int `json:"rank"`
	Score   int `json:"score"`
	Correct int `json:"correct"`
	Of      int `json:"of"`
}

// Standings indexes a whole leaderboard (Leaderboard with no limit) by
// participant id.
func Standings(board []LeaderboardEntry) map[string]Standing {
	m := make(map[string]Standing, len(board))
	for i, e := range board {
		m[e.Participant] = Standing{Rank: i + 1, Score: e.Score, Correct: e.Correct, Of: len(board)}
	}
	return m
}
