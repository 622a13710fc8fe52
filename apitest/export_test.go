package apitest_test

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/tests"

	c "conflicto/collections"
	"conflicto/config"
)

// exportWorld is S1, still running, with an answered poll, a revealed
// quiz and an unrevealed poker round.
func exportWorld(t testing.TB) *world {
	w := newWorld(t, config.Default())
	poll := createActivity(t, w.app, w.s1, "poll", pollConfig)
	quiz := createActivity(t, w.app, w.s1, "quiz", quizConfig)
	poker := createActivity(t, w.app, w.s1, "poker", pokerConfig)
	activate(t, w.app, poll)
	saveResponse(t, w.app, poll, w.ada, `{"choices":[0,2]}`)
	saveResponse(t, w.app, poll, w.bob, `{"choices":[1]}`)
	activate(t, w.app, quiz)
	saveResponse(t, w.app, quiz, w.ada, `{"choice":2}`)
	reveal(t, w.app, quiz, true)
	activate(t, w.app, poker)
	saveResponse(t, w.app, poker, w.bob, `{"card":"8"}`)
	return w
}

func TestExportAccess(t *testing.T) {
	for _, actor := range allActors {
		for _, format := range []string{"json", "csv"} {
			t.Run(actor+"/"+format, func(t *testing.T) {
				t.Parallel()
				w := exportWorld(t)
				sc := tests.ApiScenario{
					Method:          http.MethodGet,
					URL:             "/api/sessions/" + w.s1.Id + "/export?format=" + format,
					Headers:         w.headers(t, actor),
					ExpectedStatus:  ownerGuardStatus(actor),
					ExpectedContent: []string{fmt.Sprintf(`"status":%d`, ownerGuardStatus(actor))},
					TestAppFactory:  w.factory,
				}
				if actor == actorOwner || actor == actorSuperuser {
					sc.ExpectedStatus = 200
					sc.ExpectedContent = []string{"Ada", `"card":"8"`}
					if format == "csv" {
						sc.ExpectedContent = []string{"session_code,activity_position", "Bob"}
					}
				}
				sc.Test(t)
			})
		}
	}
}

func TestExportErrors(t *testing.T) {
	scenarios := []struct {
		name, url string
		status    int
		expected  []string
	}{
		{"bad format", "/api/sessions/S1/export?format=xml", 400, []string{`"format":{"code":"invalid_format"`}},
		{"unknown session", "/api/sessions/nosuchsession12/export?format=json", 404, []string{`"status":404`}},
		{"other host's session", "/api/sessions/S2/export", 404, []string{`"status":404`}},
	}
	for _, s := range scenarios {
		t.Run(s.name, func(t *testing.T) {
			w := newWorld(t, config.Default())
			url := strings.NewReplacer("S1", w.s1.Id, "S2", w.s2.Id).Replace(s.url)
			(&tests.ApiScenario{
				Method:          http.MethodGet,
				URL:             url,
				Headers:         w.headers(t, actorOwner),
				ExpectedStatus:  s.status,
				ExpectedContent: s.expected,
				TestAppFactory:  w.factory,
			}).Test(t)
		})
	}
}

func TestExportJSON(t *testing.T) {
	w := exportWorld(t)
	(&tests.ApiScenario{
		Method:          http.MethodGet,
		URL:             "/api/sessions/" + w.s1.Id + "/export", // json by default
		Headers:         w.headers(t, actorOwner),
		ExpectedStatus:  200,
		ExpectedContent: []string{`"session":{`},
		TestAppFactory:  w.factory,
		AfterTestFunc: func(t testing.TB, _ *tests.TestApp, res *http.Response) {
			if cd := res.Header.Get("Content-Disposition"); cd != `attachment; filename="conflicto-`+codeOf(w.s1)+`.json"` {
				t.Fatalf("Content-Disposition = %q", cd)
			}
			var doc struct {
				Session    map[string]any
				Activities []struct {
					ID, Type, Status string
					Position         int
					Revealed         bool
					Config           map[string]any
					Results          map[string]any
				}
				Participants []struct {
					ID, Nickname, Joined string
					LastSeen             *string `json:"last_seen"`
				}
				Responses []struct {
					Activity, Participant, Nickname, Created string
					Value                                    json.RawMessage
					Score                                    int
				}
			}
			if err := json.NewDecoder(res.Body).Decode(&doc); err != nil {
				t.Fatalf("decode export: %v", err)
			}
			if doc.Session["id"] != w.s1.Id || doc.Session["status"] != "active" || doc.Session["code"] != codeOf(w.s1) {
				t.Fatalf("session = %v", doc.Session)
			}
			if len(doc.Activities) != 3 || doc.Activities[0].Type != "poll" || doc.Activities[1].Type != "quiz" || doc.Activities[2].Type != "poker" {
				t.Fatalf("activities = %+v", doc.Activities)
			}
			quiz, poker := doc.Activities[1], doc.Activities[2]
			if quiz.Config["correct"] == nil || quiz.Results["correct_count"] != 1.0 {
				t.Fatalf("quiz = %+v", quiz)
			}
			// The host sees poker votes even before the reveal.
			if poker.Revealed || poker.Results["votes"] == nil {
				t.Fatalf("poker = %+v", poker)
			}
			if len(doc.Participants) != 2 || doc.Participants[0].Nickname != "Ada" || doc.Participants[0].Joined == "" {
				t.Fatalf("participants = %+v", doc.Participants)
			}
			if len(doc.Responses) != 4 {
				t.Fatalf("responses = %+v", doc.Responses)
			}
			r := doc.Responses[2] // the quiz answer
			if r.Nickname != "Ada" || string(r.Value) != `{"choice":2}` || r.Score <= 0 || r.Created == "" || r.Participant != w.ada.Id {
				t.Fatalf("quiz response = %+v", r)
			}
		},
	}).Test(t)
}

func TestExportCSV(t *testing.T) {
	w := exportWorld(t)
	(&tests.ApiScenario{
		Method:          http.MethodGet,
		URL:             "/api/sessions/" + w.s1.Id + "/export?format=csv",
		Headers:         w.headers(t, actorSuperuser),
		ExpectedStatus:  200,
		ExpectedContent: []string{"session_code"},
		TestAppFactory:  w.factory,
		AfterTestFunc: func(t testing.TB, _ *tests.TestApp, res *http.Response) {
			if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
				t.Fatalf("Content-Type = %q", ct)
			}
			if cd := res.Header.Get("Content-Disposition"); !strings.Contains(cd, `attachment; filename="conflicto-`+codeOf(w.s1)+`.csv"`) {
				t.Fatalf("Content-Disposition = %q", cd)
			}
			body, _ := io.ReadAll(res.Body)
			rows, err := csv.NewReader(strings.NewReader(string(body))).ReadAll()
			if err != nil {
				t.Fatalf("parse csv: %v\n%s", err, body)
			}
			// answer is what people read; value the canonical JSON beside it.
			header := "session_code,activity_position,activity_type,activity_title,participant_nickname,answer,value,score,answered_at,participant_banned"
			if len(rows) != 5 || strings.Join(rows[0], ",") != header {
				t.Fatalf("csv = %q", rows)
			}
			quiz := rows[3]
			if quiz[0] != codeOf(w.s1) || quiz[1] != "2" || quiz[2] != "quiz" || quiz[3] != "Question quiz" ||
				quiz[4] != "Ada" || quiz[5] != "4" || quiz[6] != `{"choice":2}` || quiz[7] == "0" || quiz[8] == "" {
				t.Fatalf("quiz row = %q", quiz)
			}
			for i, want := range [][2]string{
				{"Red; Blue", `{"choices":[0,2]}`}, // Ada's two poll choices, in option order
				{"Green", `{"choices":[1]}`},
				{"4", `{"choice":2}`},
				{"8", `{"card":"8"}`},
			} {
				if row := rows[i+1]; row[5] != want[0] || row[6] != want[1] {
					t.Fatalf("row %d: answer %q value %q, want %q %q", i+1, row[5], row[6], want[0], want[1])
				}
			}
		},
	}).Test(t)
}

// A nickname or a title that a spreadsheet would run as a formula is
// exported as text: the cell gets a leading quote and keeps its text.
func TestExportCSVNeutralisesFormulas(t *testing.T) {
	w := newWorld(t, config.Default())
	evil := createParticipant(t, w.app, w.s1, `=cmd|' /C calc'!A0`)
	poll := createActivity(t, w.app, w.s1, "poll", pollConfig)
	poll.Set(c.ActivityTitle, "@SUM(1+1)")
	if err := w.app.Save(poll); err != nil {
		t.Fatal(err)
	}
	activate(t, w.app, poll)
	saveResponse(t, w.app, poll, evil, `{"choices":[0]}`)
	(&tests.ApiScenario{
		Method:          http.MethodGet,
		URL:             "/api/sessions/" + w.s1.Id + "/export?format=csv",
		Headers:         w.headers(t, actorOwner),
		ExpectedStatus:  200,
		ExpectedContent: []string{"session_code"},
		TestAppFactory:  w.factory,
		AfterTestFunc: func(t testing.TB, _ *tests.TestApp, res *http.Response) {
			body, _ := io.ReadAll(res.Body)
			rows, err := csv.NewReader(strings.NewReader(string(body))).ReadAll()
			if err != nil || len(rows) != 2 {
				t.Fatalf("csv: %v %q", err, body)
			}
			if title, nick := rows[1][3], rows[1][4]; title != "'@SUM(1+1)" || nick != `'=cmd|' /C calc'!A0` {
				t.Fatalf("title %q, nickname %q: want both quoted, text kept", title, nick)
			}
		},
	}).Test(t)
}
