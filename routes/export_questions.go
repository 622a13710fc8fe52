package routes

import (
	"bufio"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	c "conflicto/collections"
)

// The export's Q&A part: every question (pending and hidden ones too, with
// their authors: the export is the host's) and every upvote.

// exportQuestion is one question with what a spreadsheet needs beside it.
type exportQuestion struct {
	ID          string         `db:"id"`
	Activity    string         `db:"activity"`
	Position    int            `db:"position"`
	Type        string         `db:"type"`
	Title       string         `db:"title"`
	Participant string         `db:"participant"`
	Nickname    string         `db:"nickname"`
	Text        string         `db:"text"`
	Status      string         `db:"status"`
	Pinned      bool           `db:"pinned"`
	Votes       int            `db:"votes"`
	Created     types.DateTime `db:"created"`
	// Banned is the author's ban, for the CSV's last column.
	Banned bool `db:"banned"`
}

// sessionQuestions streams a session's questions by activity position,
// then time, to each.
func sessionQuestions(app core.App, sessionID string, each func(*exportQuestion) error) error {
	rows, err := app.DB().NewQuery(
		"SELECT q.[[id]] AS id, q.[[" + c.QuestionActivity + "]] AS activity, a.[[" + c.ActivityPosition + "]] AS position, " +
			"a.[[" + c.ActivityType + "]] AS type, a.[[" + c.ActivityTitle + "]] AS title, " +
			"q.[[" + c.QuestionParticipant + "]] AS participant, COALESCE(p.[[" + c.ParticipantNickname + "]], '') AS nickname, " +
			"q.[[" + c.QuestionText + "]] AS text, q.[[" + c.QuestionStatus + "]] AS status, q.[[" + c.QuestionPinned + "]] AS pinned, " +
			"q.[[" + c.QuestionVoteCount + "]] AS votes, q.[[" + c.FieldCreated + "]] AS created, " +
			"COALESCE(p.[[" + c.ParticipantBanned + "]], FALSE) AS banned " +
			"FROM {{" + c.Activities + "}} a " +
			"JOIN {{" + c.Questions + "}} q ON q.[[" + c.QuestionActivity + "]] = a.[[id]] " +
			"LEFT JOIN {{" + c.Participants + "}} p ON p.[[id]] = q.[[" + c.QuestionParticipant + "]] " +
			"WHERE a.[[" + c.ActivitySession + "]] = {:s} ORDER BY a.[[" + c.ActivityPosition + "]], q.[[" + c.FieldCreated + "]], q.[[id]]",
	).Bind(dbx.Params{"s": sessionID}).Rows()
	if err != nil {
		return fmt.Errorf("export questions: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var q exportQuestion
		if err := rows.ScanStruct(&q); err != nil {
			return fmt.Errorf("scan question: %w", err)
		}
		if err := each(&q); err != nil {
			return err
		}
	}
	return rows.Err()
}

// writeQuestionsCSV writes one row per question after the answers: answer
// is the question's text, value its state as JSON ({status, pinned,
// votes}), score its votes, answered_at when it was asked,
// participant_banned the author's ban (as on the answers' rows).
func writeQuestionsCSV(app core.App, cw formulaSafeCSV, code, sessionID string) error {
	err := sessionQuestions(app, sessionID, func(q *exportQuestion) error {
		state, _ := json.Marshal(map[string]any{"status": q.Status, "pinned": q.Pinned, "votes": q.Votes})
		return cw.Write([]string{code, strconv.Itoa(q.Position), q.Type, q.Title,
			q.Nickname, q.Text, string(state), strconv.Itoa(q.Votes), q.Created.String(), strconv.FormatBool(q.Banned)})
	})
	cw.Flush()
	if err != nil {
		return err
	}
	return cw.Error()
}

// writeQuestionsJSON writes the "questions" and "question_votes" members.
func writeQuestionsJSON(app core.App, bw *bufio.Writer, sessionID string) error {
	bw.WriteString(`,"questions":[`)
	first := true
	err := sessionQuestions(app, sessionID, func(q *exportQuestion) error {
		if !first {
			bw.WriteByte(',')
		}
		first = false
		return writeJSON(bw, map[string]any{
			"id": q.ID, "activity": q.Activity, "participant": q.Participant, "nickname": q.Nickname,
			"text": q.Text, "status": q.Status, "pinned": q.Pinned, "votes": q.Votes, "created": q.Created.String(),
		})
	})
	if err != nil {
		return err
	}
	bw.WriteString(`],"question_votes":[`)
	rows, err := app.DB().NewQuery(
		"SELECT v.[[id]], v.[[" + c.VoteQuestion + "]], v.[[" + c.VoteActivity + "]], v.[[" + c.VoteParticipant + "]], " +
			"COALESCE(p.[[" + c.ParticipantNickname + "]], ''), v.[[" + c.FieldCreated + "]] " +
			"FROM {{" + c.QuestionVotes + "}} v JOIN {{" + c.Activities + "}} a ON a.[[id]] = v.[[" + c.VoteActivity + "]] " +
			"LEFT JOIN {{" + c.Participants + "}} p ON p.[[id]] = v.[[" + c.VoteParticipant + "]] " +
			"WHERE a.[[" + c.ActivitySession + "]] = {:s} ORDER BY a.[[" + c.ActivityPosition + "]], v.[[" + c.FieldCreated + "]], v.[[id]]",
	).Bind(dbx.Params{"s": sessionID}).Rows()
	if err != nil {
		return fmt.Errorf("export question votes: %w", err)
	}
	defer rows.Close()
	for i := 0; rows.Next(); i++ {
		var id, question, act, participant, nick string
		var created types.DateTime
		if err := rows.Scan(&id, &question, &act, &participant, &nick, &created); err != nil {
			return fmt.Errorf("scan question vote: %w", err)
		}
		if i > 0 {
			bw.WriteByte(',')
		}
		err := writeJSON(bw, map[string]any{
			"id": id, "question": question, "activity": act, "participant": participant, "nickname": nick, "created": created.String(),
		})
		if err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("export question votes: %w", err)
	}
	bw.WriteByte(']')
	return nil
}
