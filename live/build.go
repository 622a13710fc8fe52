package live

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"conflicto/activity"
	c "conflicto/collections"
)

// liveLeaderboardSize is how many leaders the live state shows.
const liveLeaderboardSize = 10

// liveDoc is the public live state of one session (API.md, "Live state").
// Everything in it is safe for anyone holding the join code: it is built
// from the activity's Rules.Public and public results only, and never names a
// participant except on a revealed quiz's leaderboard or poker votes, and
// as a question's author in a Q&A that is not anonymous.
type liveDoc struct {
	Session      liveSession          `json:"session"`
	Participants liveCount            `json:"participants"`
	Activity     map[string]any       `json:"activity"`
	Results      map[string]any       `json:"results"`
	Leaderboard  []c.LeaderboardEntry `json:"leaderboard"`
	Version      int64                `json:"version"`

	// standings is every participant's place on the board when the
	// document shows one (not public: a phone reads its own).
	standings map[string]c.Standing
}

type liveSession struct {
	ID      string `json:"id"`
	Title   string `json:"title"`
	Status  string `json:"status"`
	Code    string `json:"code"`
	JoinURL string `json:"join_url"`
}

type liveCount struct {
	Count int `json:"count"`
}

// buildLiveDoc reads the live state of a session: the session, two counts
// in one query, the current activity, and, when public, its results and the
// leaderboard. It returns the current activity's id ("" when none) for the
// `me` part of GET /api/live/{code}. A missing session is sql.ErrNoRows.
//
// The current activity is the active one or, when none is active, the one
// that ended last: a question stays on the screen, with its results and
// reveal, until the next one starts, also after the session completes.
func buildLiveDoc(app core.App, sessionID, publicURL string, version int64) (*liveDoc, string, error) {
	session, err := app.FindRecordById(c.Sessions, sessionID)
	if err != nil {
		return nil, "", err
	}
	code := session.GetString(c.SessionCode)
	doc := &liveDoc{
		Session: liveSession{
			ID:      session.Id,
			Title:   session.GetString(c.SessionTitle),
			Status:  session.GetString(c.SessionStatus),
			Code:    code,
			JoinURL: JoinURL(publicURL, code),
		},
		Version: version,
	}

	var counts struct {
		Participants int `db:"participants"`
		Activities   int `db:"activities"`
	}
	err = app.DB().NewQuery(
		// Banned participants are out of the room: they do not count.
		"SELECT (SELECT COUNT(*) FROM {{" + c.Participants + "}} WHERE [[" + c.ParticipantSession + "]] = {:s} AND NOT [[" + c.ParticipantBanned + "]]) AS participants, " +
			"(SELECT COUNT(*) FROM {{" + c.Activities + "}} WHERE [[" + c.ActivitySession + "]] = {:s}) AS activities",
	).Bind(dbx.Params{"s": sessionID}).One(&counts)
	if err != nil {
		return nil, "", fmt.Errorf("count participants and activities of session %s: %w", sessionID, err)
	}
	doc.Participants.Count = counts.Participants

	act, err := c.CurrentActivity(app, sessionID)
	if err != nil || act == nil {
		return doc, "", err
	}
	rules, err := act.Rules()
	if err != nil {
		return nil, "", fmt.Errorf("rules of activity %s: %w", act.Id, err)
	}
	doc.Activity = liveActivity(act, rules, counts.Activities)
	// How many answered is public for every type, before any reveal: the
	// screens show it while a round runs and it names no one.
	var answered int
	err = app.DB().Select("COUNT(*)").From(c.Responses).
		Where(dbx.HashExp{c.ResponseActivity: act.Id}).Row(&answered)
	if err != nil {
		return nil, "", fmt.Errorf("count answers of activity %s: %w", act.Id, err)
	}
	doc.Activity["answered"] = answered
	if act.ResultsPublic(rules) {
		if doc.Results, err = c.Results(app, act, rules); err != nil {
			return nil, "", err
		}
	}
	showBoard := rules.Scored() && act.Revealed()
	if !showBoard && doc.Session.Status == string(c.SessionCompleted) {
		// The session is over: the final board, if any quiz was revealed.
		if showBoard, err = anyRevealedScored(app, sessionID); err != nil {
			return nil, "", err
		}
	}
	if showBoard {
		// The whole board, read once per build: its top is the public
		// board, and every phone reads its own place from it (standings)
		// without a query of its own.
		board, err := c.Leaderboard(app, sessionID, true, 0)
		if err != nil {
			return nil, "", err
		}
		doc.Leaderboard = board[:min(len(board), liveLeaderboardSize)]
		doc.standings = c.Standings(board)
	}
	return doc, act.Id, nil
}

// anyRevealedScored reports whether the session has a revealed activity
// of a scored type (a quiz), that is whether its public leaderboard counts
// anything.
func anyRevealedScored(app core.App, sessionID string) (bool, error) {
	types := make([]any, 0, len(activity.ScoredTypes()))
	for _, t := range activity.ScoredTypes() {
		types = append(types, string(t))
	}
	var n int
	err := app.DB().Select("COUNT(*)").From(c.Activities).
		Where(dbx.HashExp{c.ActivitySession: sessionID, c.ActivityRevealed: true}).
		AndWhere(dbx.In(c.ActivityType, types...)).
		Row(&n)
	if err != nil {
		return false, fmt.Errorf("count revealed quizzes of session %s: %w", sessionID, err)
	}
	return n > 0, nil
}

// liveActivity is the public view of an activity: its public config fields
// (options, deck, limits; a quiz's correct answer only once revealed) beside
// its identity and timing. deadline is a quiz's started_at + time limit.
func liveActivity(act *c.Activity, rules *activity.Rules, of int) map[string]any {
	revealed := act.Revealed()
	m := map[string]any{}
	for k, v := range rules.Public(revealed) {
		m[k] = v
	}
	started := act.GetDateTime(c.ActivityStartedAt)
	var deadline any
	if d, ok := rules.Deadline(started.Time()); ok {
		deadline = c.DateString(d)
	}
	m["id"] = act.Id
	m["type"] = string(rules.Type())
	m["title"] = act.GetString(c.ActivityTitle)
	m["position"] = act.GetInt(c.ActivityPosition)
	m["of"] = of
	m["status"] = act.GetString(c.ActivityStatus)
	m["started_at"] = c.NullableDate(started)
	m["deadline"] = deadline
	m["revealed"] = revealed
	return m
}

// JoinURL is where a phone joins a session: the QR code's content. With
// no public URL configured it is origin-relative ("/join/CODE"): the live
// document is shared by every client, whatever origin each came in on, so
// each page resolves it against its own (the QR route against the
// request's).
func JoinURL(publicURL, code string) string {
	return strings.TrimRight(publicURL, "/") + "/join/" + code
}

// Build returns the Builder of the public live documents, version 0: the
// hub splices its own in. publicURL is where phones join (the QR code);
// "" makes the join URL origin-relative.
func Build(publicURL string) Builder {
	return func(app core.App, sessionID string) (Document, error) {
		doc, activityID, err := buildLiveDoc(app, sessionID, publicURL, 0)
		if err != nil {
			return Document{}, err
		}
		data, err := json.Marshal(doc)
		if err != nil {
			return Document{}, fmt.Errorf("marshal live state of session %s: %w", sessionID, err)
		}
		return Document{
			JSON:       data,
			Code:       doc.Session.Code,
			ActivityID: activityID,
			Completed:  doc.Session.Status == string(c.SessionCompleted),
			Results:    doc.Results,
			Standings:  doc.standings,
		}, nil
	}
}
