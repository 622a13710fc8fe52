package apitest_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
	"github.com/pocketbase/pocketbase/tools/types"

	c "conflicto/collections"
	"conflicto/config"
)

const (
	pollConfig  = `{"options":["Red","Green","Blue"],"multiple":true,"max_choices":2}`
	pokerConfig = `{}`
	quizConfig  = `{"options":["2","3","4"],"correct":2,"time_limit_s":20,"points":1000}`
	cloudConfig = `{"max_words":2,"max_length":10,"blocklist":["boring"]}`
)

// activate makes act the session's active activity through app.Save.
func activate(t testing.TB, app *tests.TestApp, act *core.Record) {
	t.Helper()
	act.Set(c.ActivityStatus, string(c.ActivityActive))
	if err := app.Save(act); err != nil {
		t.Fatalf("activate %s: %v", act.Id, err)
	}
}

func saveResponse(t testing.TB, app *tests.TestApp, act, participant *core.Record, value string) *core.Record {
	t.Helper()
	col, err := app.FindCollectionByNameOrId(c.Responses)
	if err != nil {
		t.Fatal(err)
	}
	r := core.NewRecord(col)
	r.Set(c.ResponseActivity, act.Id)
	r.Set(c.ResponseParticipant, participant.Id)
	r.Set(c.ResponseValue, value)
	if err := app.Save(r); err != nil {
		t.Fatalf("save response: %v", err)
	}
	return r
}

func TestResponseCreate(t *testing.T) {
	scenarios := []struct {
		name        string
		typ, config string
		actor       string
		inactive    bool                                   // leave the activity in draft
		prepare     func(testing.TB, *world, *core.Record) // after activation
		body        string                                 // ACT and ME are replaced
		status      int
		expected    []string
		notExpected []string
		score       []int // the stored score's bounds, for quiz answers
	}{
		{name: "poll, participant answers", typ: "poll", config: pollConfig, actor: actorParticipant,
			body: `{"activity":"ACT","participant":"ME","value":{"choices":[2,0]}}`, status: 200,
			expected: []string{`"value":{"choices":[0,2]}`}},
		{name: "poll, too many choices", typ: "poll", config: pollConfig, actor: actorParticipant,
			body: `{"activity":"ACT","participant":"ME","value":{"choices":[0,1,2]}}`, status: 400,
			expected: []string{`"value":{"code":"invalid_value"`}},
		{name: "poll, value not an object", typ: "poll", config: pollConfig, actor: actorParticipant,
			body: `{"activity":"ACT","participant":"ME","value":"red"}`, status: 400,
			expected: []string{`"value":{"code":`}},
		{name: "poll, answering as someone else", typ: "poll", config: pollConfig, actor: actorParticipant,
			body: `{"activity":"ACT","participant":"BOB","value":{"choices":[0]}}`, status: 400,
			expected: []string{errCode("participant", "forbidden_participant")}},
		{name: "poll, participant of another session", typ: "poll", config: pollConfig, actor: actorOutsider,
			body: `{"activity":"ACT","participant":"ME","value":{"choices":[0]}}`, status: 400,
			expected: []string{errCode("activity", "validation_missing_rel_records")}},
		{name: "poll, anonymous", typ: "poll", config: pollConfig, actor: actorAnonymous,
			body: `{"activity":"ACT","participant":"ADA","value":{"choices":[0]}}`, status: 401,
			expected: []string{`"status":401`}},
		{name: "poll, host cannot answer", typ: "poll", config: pollConfig, actor: actorOwner,
			body: `{"activity":"ACT","participant":"ADA","value":{"choices":[0]}}`, status: 403,
			expected: []string{`"status":403`}},
		{name: "draft activity", typ: "poll", config: pollConfig, actor: actorParticipant, inactive: true,
			body: `{"activity":"ACT","participant":"ME","value":{"choices":[0]}}`, status: 409,
			expected: []string{`"code":"activity_not_active"`}},
		{name: "second answer", typ: "poll", config: pollConfig, actor: actorParticipant,
			prepare: func(t testing.TB, w *world, act *core.Record) { saveResponse(t, w.app, act, w.ada, `{"choices":[1]}`) },
			body:    `{"activity":"ACT","participant":"ME","value":{"choices":[0]}}`, status: 409,
			expected: []string{`"code":"already_answered"`}},
		// A participant's answer skips PocketBase's field validation (the
		// guard checked the relations); the other fields are still checked
		// as PocketBase would (hooks.validateAnswerFields).
		{name: "poll, an id the schema refuses", typ: "poll", config: pollConfig, actor: actorParticipant,
			body: `{"id":"x","activity":"ACT","participant":"ME","value":{"choices":[0]}}`, status: 400,
			expected: []string{`"id":{"code":"validation_min_text_constraint"`}},
		{name: "poll, an id taken", typ: "poll", config: pollConfig, actor: actorParticipant,
			prepare: func(t testing.TB, w *world, act *core.Record) {
				r := core.NewRecord(mustCollection(t, w.app, c.Responses))
				r.Id = "takenresponse01"
				r.Set(c.ResponseActivity, act.Id)
				r.Set(c.ResponseParticipant, w.bob.Id)
				r.Set(c.ResponseValue, `{"choices":[1]}`)
				if err := w.app.Save(r); err != nil {
					t.Fatal(err)
				}
			},
			body: `{"id":"takenresponse01","activity":"ACT","participant":"ME","value":{"choices":[0]}}`, status: 400,
			expected: []string{`"id":{"code":"validation_not_unique"`}},
		{name: "poker card", typ: "poker", config: pokerConfig, actor: actorParticipant,
			body: `{"activity":"ACT","participant":"ME","value":{"card":"13"}}`, status: 200,
			expected: []string{`"card":"13"`}},
		{name: "poker card not in deck", typ: "poker", config: pokerConfig, actor: actorParticipant,
			body: `{"activity":"ACT","participant":"ME","value":{"card":"4"}}`, status: 400,
			expected: []string{`"value":{"code":"invalid_value"`}},
		// The score is stored but hidden from the participant until reveal.
		{name: "quiz right answer at once scores about full points", typ: "quiz", config: quizConfig, actor: actorParticipant,
			body: `{"activity":"ACT","participant":"ME","value":{"choice":2}}`, status: 200,
			expected: []string{`"choice":2`}, notExpected: []string{`"score"`}, score: []int{950, 1000}}, // within 2 s of a 20 s limit: a loaded -race run takes over 1 s
		{name: "quiz wrong answer scores 0", typ: "quiz", config: quizConfig, actor: actorParticipant,
			body: `{"activity":"ACT","participant":"ME","value":{"choice":0}}`, status: 200,
			expected: []string{`"choice":0`}, notExpected: []string{`"score"`}, score: []int{0, 0}},
		{name: "quiz after the deadline", typ: "quiz", config: quizConfig, actor: actorParticipant,
			prepare: func(t testing.TB, w *world, act *core.Record) {
				past, _ := types.ParseDateTime(time.Now().Add(-21 * time.Second))
				if _, err := w.app.DB().Update(c.Activities, dbx.Params{c.ActivityStartedAt: past.String()}, dbx.HashExp{"id": act.Id}).Execute(); err != nil {
					t.Fatal(err)
				}
			},
			body: `{"activity":"ACT","participant":"ME","value":{"choice":2}}`, status: 409,
			expected: []string{`"code":"time_up"`}},
		{name: "wordcloud words normalised", typ: "wordcloud", config: cloudConfig, actor: actorParticipant,
			body: `{"activity":"ACT","participant":"ME","value":{"words":["  Go\u200b ","RUST"]}}`, status: 200,
			expected: []string{`"go"`, `"rust"`}},
		{name: "wordcloud blocked word", typ: "wordcloud", config: cloudConfig, actor: actorParticipant,
			body: `{"activity":"ACT","participant":"ME","value":{"words":["Boring"]}}`, status: 400,
			expected: []string{`"code":"word_blocked"`}},
		{name: "wordcloud server-blocked word", typ: "wordcloud", config: cloudConfig, actor: actorParticipant,
			body: `{"activity":"ACT","participant":"ME","value":{"words":["SHIT"]}}`, status: 400,
			expected: []string{`"code":"word_blocked"`}},
		{name: "wordcloud server-blocked word with a cyrillic letter", typ: "wordcloud", config: cloudConfig, actor: actorParticipant,
			body: `{"activity":"ACT","participant":"ME","value":{"words":["fu\u0441k"]}}`, status: 400,
			expected: []string{`"code":"word_blocked"`}},
		{name: "wordcloud server-blocked word spaced out", typ: "wordcloud", config: cloudConfig, actor: actorParticipant,
			body: `{"activity":"ACT","participant":"ME","value":{"words":["f u c k"]}}`, status: 400,
			expected: []string{`"code":"word_blocked"`}},
		{name: "wordcloud too many words", typ: "wordcloud", config: cloudConfig, actor: actorParticipant,
			body: `{"activity":"ACT","participant":"ME","value":{"words":["a","b","c"]}}`, status: 400,
			expected: []string{`"code":"too_many_words"`}},
		{name: "wordcloud word too long", typ: "wordcloud", config: cloudConfig, actor: actorParticipant,
			body: `{"activity":"ACT","participant":"ME","value":{"words":["abcdefghijk"]}}`, status: 400,
			expected: []string{`"code":"word_length"`}},
	}
	for _, s := range scenarios {
		t.Run(s.name, func(t *testing.T) {
			w := newWorld(t, config.Default())
			act := createActivity(t, w.app, w.s1, s.typ, s.config)
			if !s.inactive {
				activate(t, w.app, act)
			}
			if s.prepare != nil {
				s.prepare(t, w, act)
			}
			me := map[string]*core.Record{actorParticipant: w.ada, actorOutsider: w.cy}[s.actor]
			meID := ""
			if me != nil {
				meID = me.Id
			}
			body := strings.NewReplacer("ACT", act.Id, "ME", meID, "BOB", w.bob.Id, "ADA", w.ada.Id).Replace(s.body)
			(&tests.ApiScenario{
				Method:             http.MethodPost,
				URL:                "/api/collections/responses/records",
				Body:               strings.NewReader(body),
				Headers:            w.headers(t, s.actor),
				ExpectedStatus:     s.status,
				ExpectedContent:    s.expected,
				NotExpectedContent: s.notExpected,
				TestAppFactory:     w.factory,
				AfterTestFunc: func(t testing.TB, app *tests.TestApp, _ *http.Response) {
					n, err := app.CountRecords(c.Responses)
					if err != nil {
						t.Fatal(err)
					}
					want := int64(0)
					if s.status == 200 || s.prepare != nil && (strings.Contains(s.name, "second") || strings.Contains(s.name, "taken")) {
						want = 1
					}
					if n != want {
						t.Fatalf("responses stored = %d, want %d", n, want)
					}
					if s.score != nil {
						r, err := app.FindFirstRecordByData(c.Responses, c.ResponseParticipant, w.ada.Id)
						if err != nil {
							t.Fatal(err)
						}
						if score := r.GetInt(c.ResponseScore); score < s.score[0] || score > s.score[1] {
							t.Fatalf("stored score = %d, want %d..%d", score, s.score[0], s.score[1])
						}
					}
				},
			}).Test(t)
		})
	}
}

func TestResponseUpdate(t *testing.T) {
	scenarios := []struct {
		name     string
		typ, cfg string
		first    string
		actor    string
		body     string
		status   int
		expected []string
	}{
		{"poll answer may change", "poll", pollConfig, `{"choices":[0]}`, actorParticipant, `{"value":{"choices":[1]}}`, 200, []string{`"choices":[1]`}},
		{"poll change validated", "poll", pollConfig, `{"choices":[0]}`, actorParticipant, `{"value":{"choices":[7]}}`, 400, []string{`"code":"invalid_value"`}},
		{"quiz answers are final", "quiz", quizConfig, `{"choice":1}`, actorParticipant, `{"value":{"choice":2}}`, 409, []string{`"code":"answer_final"`}},
		{"someone else's answer", "poll", pollConfig, `{"choices":[0]}`, actorParticipant2, `{"value":{"choices":[1]}}`, 404, []string{`"data":{}`}},
		{"host cannot edit answers", "poll", pollConfig, `{"choices":[0]}`, actorOwner, `{"value":{"choices":[1]}}`, 404, []string{`"data":{}`}},
	}
	for _, s := range scenarios {
		t.Run(s.name, func(t *testing.T) {
			w := newWorld(t, config.Default())
			act := createActivity(t, w.app, w.s1, s.typ, s.cfg)
			activate(t, w.app, act)
			r := saveResponse(t, w.app, act, w.ada, s.first)
			(&tests.ApiScenario{
				Method:          http.MethodPatch,
				URL:             "/api/collections/responses/records/" + r.Id,
				Body:            strings.NewReader(s.body),
				Headers:         w.headers(t, s.actor),
				ExpectedStatus:  s.status,
				ExpectedContent: s.expected,
				TestAppFactory:  w.factory,
			}).Test(t)
		})
	}
}

func TestResponseRead(t *testing.T) {
	scenarios := []struct {
		actor    string
		total    int
		expected []string
	}{
		{actorAnonymous, 0, nil},
		{actorParticipant, 1, []string{`"choices":[0]`}},
		{actorParticipant2, 1, []string{`"choices":[1]`}},
		{actorOutsider, 0, nil},
		{actorOwner, 2, nil},
		{actorOtherHost, 0, nil},
		{actorSuperuser, 2, nil},
	}
	for _, s := range scenarios {
		t.Run(s.actor, func(t *testing.T) {
			w := newWorld(t, config.Default())
			act := createActivity(t, w.app, w.s1, "poll", pollConfig)
			activate(t, w.app, act)
			saveResponse(t, w.app, act, w.ada, `{"choices":[0]}`)
			saveResponse(t, w.app, act, w.bob, `{"choices":[1]}`)
			(&tests.ApiScenario{
				Method:          http.MethodGet,
				URL:             "/api/collections/responses/records",
				Headers:         w.headers(t, s.actor),
				ExpectedStatus:  200,
				ExpectedContent: append([]string{fmt.Sprintf(`"totalItems":%d`, s.total)}, s.expected...),
				TestAppFactory:  w.factory,
			}).Test(t)
		})
	}
}

func TestResponsesOfCompletedSessionAreReadOnly(t *testing.T) {
	w := newWorld(t, config.Default())
	defer w.app.Cleanup()
	act := createActivity(t, w.app, w.s1, "poll", pollConfig)
	activate(t, w.app, act)
	r := saveResponse(t, w.app, act, w.ada, `{"choices":[0]}`)
	w.s1.Set(c.SessionStatus, string(c.SessionCompleted))
	if err := w.app.Save(w.s1); err != nil {
		t.Fatal(err)
	}

	col, _ := w.app.FindCollectionByNameOrId(c.Responses)
	late := core.NewRecord(col)
	late.Set(c.ResponseActivity, act.Id)
	late.Set(c.ResponseParticipant, w.bob.Id)
	late.Set(c.ResponseValue, `{"choices":[1]}`)
	if err := w.app.Save(late); err == nil || !strings.Contains(err.Error(), "session_completed") && !strings.Contains(err.Error(), "completed") {
		t.Fatalf("create in a completed session: err = %v, want session_completed", err)
	}
	r.Set(c.ResponseValue, `{"choices":[2]}`)
	if err := w.app.Save(r); err == nil {
		t.Fatal("update in a completed session succeeded")
	}
	// Kicking a participant still deletes their answers.
	if err := w.app.Delete(w.ada); err != nil {
		t.Fatalf("delete participant of a completed session: %v", err)
	}
	if n, _ := w.app.CountRecords(c.Responses); n != 0 {
		t.Fatalf("responses after kick = %d, want 0", n)
	}
	// And deleting the whole completed session takes everything with it.
	if _, err := w.app.DB().Insert(c.Responses, dbx.Params{
		"id": "bobanswer000001", c.ResponseActivity: act.Id, c.ResponseParticipant: w.bob.Id, c.ResponseValue: `{"choices":[1]}`,
	}).Execute(); err != nil {
		t.Fatal(err)
	}
	if err := w.app.Delete(refetch(t, w.app, w.s1)); err != nil {
		t.Fatalf("delete a completed session with answers: %v", err)
	}
	for _, col := range []string{c.Activities, c.Participants, c.Responses} {
		n, _ := w.app.CountRecords(col, dbx.HashExp{})
		if col == c.Participants {
			n, _ = w.app.CountRecords(col, dbx.HashExp{c.ParticipantSession: w.s1.Id})
		}
		if col == c.Activities {
			n, _ = w.app.CountRecords(col, dbx.HashExp{c.ActivitySession: w.s1.Id})
		}
		if n != 0 {
			t.Fatalf("%s left after deleting the session: %d", col, n)
		}
	}
}

func TestPokerReset(t *testing.T) {
	scenarios := []struct {
		actor  string
		typ    string
		status int
		left   int64
	}{
		{actorOwner, "poker", 200, 0},
		{actorSuperuser, "poker", 200, 0},
		{actorOtherHost, "poker", 404, 2},
		{actorParticipant, "poker", 403, 2},
		{actorAnonymous, "poker", 401, 2},
		{actorOwner, "poll", 400, 2},
	}
	for _, s := range scenarios {
		t.Run(s.actor+" "+s.typ, func(t *testing.T) {
			w := newWorld(t, config.Default())
			cfg := pokerConfig
			value := `{"card":"5"}`
			if s.typ == "poll" {
				cfg, value = pollConfig, `{"choices":[0]}`
			}
			act := createActivity(t, w.app, w.s1, s.typ, cfg)
			activate(t, w.app, act)
			saveResponse(t, w.app, act, w.ada, value)
			saveResponse(t, w.app, act, w.bob, value)
			act.Set(c.ActivityRevealed, true)
			if err := w.app.Save(act); err != nil {
				t.Fatal(err)
			}
			expected := []string{`"data":{}`}
			if s.status == 200 {
				expected = []string{`"revealed":false`}
			} else if s.status == 400 {
				expected = []string{`"code":"reset_unsupported"`}
			}
			(&tests.ApiScenario{
				Method:          http.MethodPost,
				URL:             "/api/activities/" + act.Id + "/reset",
				Headers:         w.headers(t, s.actor),
				ExpectedStatus:  s.status,
				ExpectedContent: expected,
				TestAppFactory:  w.factory,
				AfterTestFunc: func(t testing.TB, app *tests.TestApp, _ *http.Response) {
					if n, _ := app.CountRecords(c.Responses); n != s.left {
						t.Fatalf("responses left = %d, want %d", n, s.left)
					}
				},
			}).Test(t)
		})
	}
}

// A participant's own quiz answer must not tell them, through its score,
// whether they were right before the quiz is revealed.
func TestQuizScoreHiddenFromParticipantUntilReveal(t *testing.T) {
	scenarios := []struct {
		name     string
		actor    string
		revealed bool
		visible  bool
	}{
		{"participant before reveal", actorParticipant, false, false},
		{"participant after reveal", actorParticipant, true, true},
		{"owner before reveal", actorOwner, false, true},
	}
	for _, s := range scenarios {
		t.Run(s.name, func(t *testing.T) {
			w := newWorld(t, config.Default())
			act := createActivity(t, w.app, w.s1, "quiz", quizConfig)
			activate(t, w.app, act)
			r := saveResponse(t, w.app, act, w.ada, `{"choice":2}`)
			if s.revealed {
				act = refetch(t, w.app, act)
				act.Set(c.ActivityRevealed, true)
				if err := w.app.Save(act); err != nil {
					t.Fatal(err)
				}
			}
			scenario := &tests.ApiScenario{
				Method:         http.MethodGet,
				URL:            "/api/collections/responses/records/" + r.Id,
				Headers:        w.headers(t, s.actor),
				ExpectedStatus: 200,
				TestAppFactory: w.factory,
			}
			if s.visible {
				scenario.ExpectedContent = []string{`"score":`}
			} else {
				scenario.ExpectedContent = []string{`"choice":2`}
				scenario.NotExpectedContent = []string{`"score"`}
			}
			scenario.Test(t)
		})
	}
}

// A reveal closes the question for every type: after it a latecomer cannot
// answer (and score) a quiz, nor change a poker card or a poll choice. A
// poker reset reopens the round.
func TestRevealClosesAnswers(t *testing.T) {
	scenarios := []struct {
		typ, cfg, first, late, change string
	}{
		{"quiz", quizConfig, `{"choice":1}`, `{"choice":2}`, ""},
		{"poker", pokerConfig, `{"card":"3"}`, `{"card":"5"}`, `{"card":"8"}`},
		{"poll", pollConfig, `{"choices":[0]}`, `{"choices":[1]}`, `{"choices":[2]}`},
		{"wordcloud", cloudConfig, `{"words":["go"]}`, `{"words":["rust"]}`, `{"words":["zig"]}`},
	}
	for _, s := range scenarios {
		t.Run(s.typ, func(t *testing.T) {
			w := newWorld(t, config.Default())
			defer w.app.Cleanup()
			act := createActivity(t, w.app, w.s1, s.typ, s.cfg)
			activate(t, w.app, act)
			mine := saveResponse(t, w.app, act, w.ada, s.first)
			reveal(t, w.app, act, true)
			srv := startServer(t, w.app)
			records := srv.URL + "/api/collections/responses/records"
			closed := errCode("activity", "revealed")

			late := fmt.Sprintf(`{"activity":%q,"participant":%q,"value":%s}`, act.Id, w.bob.Id, s.late)
			res := postJSON(t, records, late, w.headers(t, actorParticipant2)["Authorization"])
			if res.status != 409 || !strings.Contains(string(res.body), closed) {
				t.Fatalf("late answer: %d %s, want 409 activity revealed", res.status, res.body)
			}
			if s.change != "" {
				res = doJSON(t, "PATCH", records+"/"+mine.Id, `{"value":`+s.change+`}`, w.headers(t, actorParticipant)["Authorization"])
				if res.status != 409 || !strings.Contains(string(res.body), closed) {
					t.Fatalf("changed answer: %d %s, want 409 activity revealed", res.status, res.body)
				}
			}
			if n, _ := w.app.CountRecords(c.Responses); n != 1 {
				t.Fatalf("%d responses stored, want 1", n)
			}
			if got := refetch(t, w.app, mine).GetString(c.ResponseValue); got != s.first {
				t.Fatalf("stored answer = %s, want %s", got, s.first)
			}
			if s.typ != "poker" {
				return
			}
			res = postJSON(t, srv.URL+"/api/activities/"+act.Id+"/reset", "", w.headers(t, actorOwner)["Authorization"])
			if res.status != 200 {
				t.Fatalf("reset: %d %s", res.status, res.body)
			}
			if res = postJSON(t, records, late, w.headers(t, actorParticipant2)["Authorization"]); res.status != 200 {
				t.Fatalf("answer after a reset: %d %s, want 200", res.status, res.body)
			}
		})
	}
}

// mustCollection finds a collection by name or fails the test.
func mustCollection(t testing.TB, app *tests.TestApp, name string) *core.Collection {
	t.Helper()
	col, err := app.FindCollectionByNameOrId(name)
	if err != nil {
		t.Fatal(err)
	}
	return col
}

// An answer's INSERT is a prepared statement (hooks/answer_insert.go)
// kept for one set of columns: a field added to responses afterwards is
// written by the next answer, not dropped by yesterday's statement.
func TestAnswerInsertFollowsAddedFields(t *testing.T) {
	w := newWorld(t, config.Default())
	act := createActivity(t, w.app, w.s1, "poll", pollConfig)
	activate(t, w.app, act)
	srv := startServer(t, w.app)
	url := srv.URL + "/api/collections/responses/records"
	if r := postJSON(t, url, answerBody(act, w.ada, 0), token(t, w.ada)); r.status != http.StatusOK {
		t.Fatalf("first answer: %d %s", r.status, r.body)
	}

	col, err := w.app.FindCollectionByNameOrId(c.Responses)
	if err != nil {
		t.Fatal(err)
	}
	col.Fields.Add(&core.TextField{Name: "note", Max: 50})
	if err := w.app.Save(col); err != nil {
		t.Fatal(err)
	}
	body := fmt.Sprintf(`{"activity":%q,"participant":%q,"value":{"choices":[1]},"note":"from the back row"}`, act.Id, w.bob.Id)
	r := postJSON(t, url, body, token(t, w.bob))
	var created struct{ ID string }
	if r.status != http.StatusOK || json.Unmarshal(r.body, &created) != nil {
		t.Fatalf("answer with the new field: %d %s", r.status, r.body)
	}
	stored, err := w.app.FindRecordById(c.Responses, created.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got := stored.GetString("note"); got != "from the back row" {
		t.Fatalf("stored note = %q, want the one sent", got)
	}
	if stored.GetDateTime(c.FieldCreated).IsZero() || stored.GetDateTime(c.FieldUpdated).IsZero() {
		t.Fatalf("stored answer without its dates: %v", stored.FieldsData())
	}
}
