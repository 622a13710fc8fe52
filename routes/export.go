package routes

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"conflicto/activity"
	"conflicto/apierr"
	c "conflicto/collections"
)

// Export formats.
const (
	exportJSON = "json"
	exportCSV  = "csv"
)

// exportRow is one response with what a spreadsheet needs beside it.
type exportRow struct {
	ID          string         `db:"id"`
	Activity    string         `db:"activity"`
	Position    int            `db:"position"`
	Type        string         `db:"type"`
	Title       string         `db:"title"`
	Participant string         `db:"participant"`
	Nickname    string         `db:"nickname"`
	Banned      bool           `db:"banned"`
	Value       string         `db:"value"`
	Score       int            `db:"score"`
	Created     types.DateTime `db:"created"`
}

// export serves GET /api/sessions/{id}/export?format=json|csv to the
// owner: the whole session, running or not. Rows are
// streamed from the database; only the activities (with their results) are
// held in memory.
func (a *api) export(e *core.RequestEvent) error {
	session := sessionOf(e)
	format := e.Request.URL.Query().Get("format")
	if format == "" {
		format = exportJSON
	}
	if format != exportJSON && format != exportCSV {
		return apierr.BadRequest("format", "invalid_format", "Format must be json or csv.")
	}

	rows, err := e.App.DB().NewQuery(
		"SELECT r.[[id]] AS id, r.[[" + c.ResponseActivity + "]] AS activity, a.[[" + c.ActivityPosition + "]] AS position, " +
			"a.[[" + c.ActivityType + "]] AS type, a.[[" + c.ActivityTitle + "]] AS title, " +
			"r.[[" + c.ResponseParticipant + "]] AS participant, p.[[" + c.ParticipantNickname + "]] AS nickname, " +
			"p.[[" + c.ParticipantBanned + "]] AS banned, " +
			"r.[[" + c.ResponseValue + "]] AS value, COALESCE(r.[[" + c.ResponseScore + "]], 0) AS score, r.[[" + c.FieldCreated + "]] AS created " +
			"FROM {{" + c.Activities + "}} a " +
			"JOIN {{" + c.Responses + "}} r ON r.[[" + c.ResponseActivity + "]] = a.[[id]] " +
			"JOIN {{" + c.Participants + "}} p ON p.[[id]] = r.[[" + c.ResponseParticipant + "]] " +
			"WHERE a.[[" + c.ActivitySession + "]] = {:s} ORDER BY a.[[" + c.ActivityPosition + "]], r.[[" + c.FieldCreated + "]], r.[[id]]",
	).Bind(dbx.Params{"s": session.Id}).Rows()
	if err != nil {
		return apis.NewInternalServerError("", fmt.Errorf("export responses of session %s: %w", session.Id, err))
	}
	defer rows.Close()
	next := func() (*exportRow, error) {
		if !rows.Next() {
			return nil, rows.Err()
		}
		var r exportRow
		return &r, rows.ScanStruct(&r)
	}

	code := session.GetString(c.SessionCode)
	e.Response.Header().Set("Content-Disposition", `attachment; filename="conflicto-`+code+`.`+format+`"`)
	e.Response.Header().Set("Cache-Control", "no-store")
	if format == exportCSV {
		var rules map[string]*activity.Rules
		if rules, err = activityRules(e.App, session.Id); err != nil {
			return apis.NewInternalServerError("", err)
		}
		e.Response.Header().Set("Content-Type", "text/csv; charset=utf-8")
		e.Response.WriteHeader(http.StatusOK)
		err = writeExportCSV(e.Response, code, rules, next)
		if err == nil {
			err = writeQuestionsCSV(e.App, formulaSafeCSV{csv.NewWriter(e.Response)}, code, session.Id)
		}
	} else {
		var head []byte
		if head, err = exportHead(e.App, session); err != nil {
			return apis.NewInternalServerError("", err)
		}
		e.Response.Header().Set("Content-Type", "application/json")
		e.Response.WriteHeader(http.StatusOK)
		err = writeExportJSON(e.App, e.Response, session.Id, head, next)
	}
	if err != nil {
		// The status is sent; all that is left is to say so in the log.
		e.App.Logger().Error("export session", "session", session.Id, "format", format, "error", err)
	}
	return nil
}

// answerSeparator joins the labels of one answer in the CSV's answer
// column (a poll's several choices, a word cloud's words).
const answerSeparator = "; "

// activityRules parses the rules of each activity of the session once, by
// activity id: they turn stored answers into what people read.
func activityRules(app core.App, sessionID string) (map[string]*activity.Rules, error) {
	acts, err := app.FindRecordsByFilter(c.Activities, c.ActivitySession+" = {:s}", "", 0, 0, dbx.Params{"s": sessionID})
	if err != nil {
		return nil, fmt.Errorf("export activities of session %s: %w", sessionID, err)
	}
	rules := make(map[string]*activity.Rules, len(acts))
	for _, r := range acts {
		a := c.AsActivity(r)
		if rules[a.Id], err = a.Rules(); err != nil {
			return nil, fmt.Errorf("rules of activity %s: %w", a.Id, err)
		}
	}
	return rules, nil
}

// writeExportCSV writes one row per answer: answer is what the answer
// reads as (option texts, the card, the words; activity.Rules.Labels),
// value the stored canonical JSON beside it.
func writeExportCSV(w io.Writer, code string, rules map[string]*activity.Rules, next func() (*exportRow, error)) error {
	cw := formulaSafeCSV{csv.NewWriter(w)}
	if err := cw.Write([]string{"session_code", "activity_position", "activity_type", "activity_title",
		"participant_nickname", "answer", "value", "score", "answered_at", "participant_banned"}); err != nil {
		return err
	}
	for {
		r, err := next()
		if err != nil || r == nil {
			cw.Flush()
			return err
		}
		var answer string
		if rr := rules[r.Activity]; rr != nil {
			answer = strings.Join(rr.Labels([]byte(r.Value)), answerSeparator)
		}
		err = cw.Write([]string{code, strconv.Itoa(r.Position), r.Type, r.Title,
			r.Nickname, answer, r.Value, strconv.Itoa(r.Score), r.Created.String(), strconv.FormatBool(r.Banned)})
		if err != nil {
			return err
		}
	}
}

// formulaSafeCSV is a csv.Writer whose cells cannot start a spreadsheet
// formula: nicknames, titles and answers are anyone's text, and a cell such
// as =cmd|' /C calc'!A0 would run when the host opens the file. Every cell
// written goes through csvCell.
type formulaSafeCSV struct{ *csv.Writer }

// Write writes one row with its cells neutralised by csvCell.
func (w formulaSafeCSV) Write(row []string) error {
	safe := make([]string, len(row))
	for i, cell := range row {
		safe[i] = csvCell(cell)
	}
	return w.Writer.Write(safe)
}

// plainNumber is a cell a spreadsheet reads as a number, not a formula,
// even with a leading sign.
var plainNumber = regexp.MustCompile(`^[+-]?[0-9]+(\.[0-9]+)?$`)

// csvCell neutralises a cell that a spreadsheet would take for a formula,
// by OWASP's rule: a cell starting with =, +, -, @, tab or carriage return
// gets a leading single quote, which spreadsheets show as text and do not
// evaluate. The text itself is kept whole. Plain numbers such as -5 are
// left alone: they are not formulas.
func csvCell(s string) string {
	if s == "" || plainNumber.MatchString(s) {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

// exportHead is the JSON up to the participants: the session and its
// activities, each with its config and full results (the host sees
// everything, revealed or not).
func exportHead(app core.App, session *c.Session) ([]byte, error) {
	acts, err := app.FindRecordsByFilter(c.Activities, c.ActivitySession+" = {:s}", c.ActivityPosition, 0, 0, dbx.Params{"s": session.Id})
	if err != nil {
		return nil, fmt.Errorf("export activities of session %s: %w", session.Id, err)
	}
	activities := make([]map[string]any, len(acts))
	for i, r := range acts {
		a := c.AsActivity(r)
		rules, err := a.Rules()
		if err != nil {
			return nil, fmt.Errorf("rules of activity %s: %w", a.Id, err)
		}
		results, err := c.ResultsAs(app, a, rules, true)
		if err != nil {
			return nil, err
		}
		activities[i] = map[string]any{
			"id":         a.Id,
			"type":       a.GetString(c.ActivityType),
			"title":      a.GetString(c.ActivityTitle),
			"position":   a.GetInt(c.ActivityPosition),
			"status":     a.GetString(c.ActivityStatus),
			"revealed":   a.GetBool(c.ActivityRevealed),
			"started_at": c.NullableDate(a.GetDateTime(c.ActivityStartedAt)),
			"ended_at":   c.NullableDate(a.GetDateTime(c.ActivityEndedAt)),
			"config":     json.RawMessage(a.Config()),
			"results":    results,
		}
	}
	head, err := json.Marshal(map[string]any{
		"session": map[string]any{
			"id":               session.Id,
			"title":            session.GetString(c.SessionTitle),
			"description":      session.GetString(c.SessionDescription),
			"status":           session.GetString(c.SessionStatus),
			"code":             session.GetString(c.SessionCode),
			"owner":            session.GetString(c.SessionOwner),
			"max_participants": session.GetInt(c.SessionMaxParticipants),
			"blocked_words":    nonNil(session.BlockedWords()),
			"started_at":       c.NullableDate(session.GetDateTime(c.SessionStartedAt)),
			"ended_at":         c.NullableDate(session.GetDateTime(c.SessionEndedAt)),
			"created":          session.GetDateTime(c.FieldCreated).String(),
		},
		"activities": activities,
	})
	if err != nil {
		return nil, fmt.Errorf("marshal export of session %s: %w", session.Id, err)
	}
	return head, nil
}

// writeExportJSON writes {session, activities, participants, responses,
// questions, question_votes}, streaming all but the activities.
func writeExportJSON(app core.App, w io.Writer, sessionID string, head []byte, next func() (*exportRow, error)) error {
	bw := bufio.NewWriterSize(w, 32<<10)
	bw.Write(head[:len(head)-1]) // reopen the object
	bw.WriteString(`,"participants":[`)

	prows, err := app.DB().NewQuery(
		"SELECT [[id]], [[" + c.ParticipantNickname + "]], [[" + c.FieldCreated + "]], [[" + c.ParticipantLastSeen + "]], [[" + c.ParticipantBanned + "]] " +
			"FROM {{" + c.Participants + "}} WHERE [[" + c.ParticipantSession + "]] = {:s} ORDER BY [[" + c.FieldCreated + "]], [[id]]",
	).Bind(dbx.Params{"s": sessionID}).Rows()
	if err != nil {
		return fmt.Errorf("export participants: %w", err)
	}
	defer prows.Close()
	for i := 0; prows.Next(); i++ {
		var id, nick string
		var joined, lastSeen types.DateTime
		var banned bool
		if err := prows.Scan(&id, &nick, &joined, &lastSeen, &banned); err != nil {
			return fmt.Errorf("scan participant: %w", err)
		}
		if i > 0 {
			bw.WriteByte(',')
		}
		if err := writeJSON(bw, map[string]any{"id": id, "nickname": nick, "joined": joined.String(), "last_seen": c.NullableDate(lastSeen), "banned": banned}); err != nil {
			return err
		}
	}
	if err := prows.Err(); err != nil {
		return fmt.Errorf("export participants: %w", err)
	}

	bw.WriteString(`],"responses":[`)
	for i := 0; ; i++ {
		r, err := next()
		if err != nil {
			return fmt.Errorf("export responses: %w", err)
		}
		if r == nil {
			break
		}
		if i > 0 {
			bw.WriteByte(',')
		}
		value := json.RawMessage(r.Value)
		if !json.Valid(value) {
			value = json.RawMessage("null")
		}
		err = writeJSON(bw, map[string]any{
			"id": r.ID, "activity": r.Activity, "participant": r.Participant, "nickname": r.Nickname,
			"value": value, "score": r.Score, "created": r.Created.String(),
		})
		if err != nil {
			return err
		}
	}
	bw.WriteByte(']')
	if err := writeQuestionsJSON(app, bw, sessionID); err != nil {
		return err
	}
	bw.WriteByte('}')
	return bw.Flush()
}

func writeJSON(w io.Writer, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("marshal export row: %w", err)
	}
	_, err = w.Write(b)
	return err
}

// nonNil is words, or an empty list for none: the export shows [] rather
// than null.
func nonNil(words []string) []string {
	if words == nil {
		return []string{}
	}
	return words
}
