package apitest_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	c "conflicto/collections"
	"conflicto/config"
)

// duplicateWorld is S1 (active) with three activities that ran or run, a
// speaker note, answers and the world's participants: everything a copy
// must leave behind but the deck.
func duplicateWorld(t testing.TB) (*world, []*core.Record) {
	w := newWorld(t, config.Default())
	poll := createActivity(t, w.app, w.s1, "poll", pollConfig)
	quiz := createActivity(t, w.app, w.s1, "quiz", quizConfig)
	poker := createActivity(t, w.app, w.s1, "poker", `{"deck":["1","2","3"]}`)
	quiz.Set(c.ActivityNotes, "Say the answer slowly.")
	if err := w.app.Save(quiz); err != nil {
		t.Fatal(err)
	}
	activate(t, w.app, poll)
	saveResponse(t, w.app, poll, w.ada, `{"choices":[0]}`)
	activate(t, w.app, quiz)
	saveResponse(t, w.app, quiz, w.bob, `{"choice":2}`)
	reveal(t, w.app, quiz, true)
	return w, []*core.Record{poll, quiz, poker}
}

func TestDuplicateAccess(t *testing.T) {
	t.Parallel()
	for _, actor := range allActors {
		t.Run(actor, func(t *testing.T) {
			w, _ := duplicateWorld(t)
			want, sessions, content := ownerGuardStatus(actor), int64(2), fmt.Sprintf(`"status":%d`, ownerGuardStatus(actor))
			if want == 200 { // a new session: 3 in the world
				want, sessions, content = 201, 3, `"status":"draft"`
			}
			(&tests.ApiScenario{
				Method:          http.MethodPost,
				URL:             "/api/sessions/" + w.s1.Id + "/duplicate",
				Headers:         w.headers(t, actor),
				ExpectedStatus:  want,
				ExpectedContent: []string{content},
				TestAppFactory:  w.factory,
				AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
					n, err := app.CountRecords(c.Sessions)
					if err != nil {
						t.Fatal(err)
					}
					if n != sessions {
						t.Fatalf("%d sessions after the call, want %d", n, sessions)
					}
				},
			}).Test(t)
		})
	}
}

func TestDuplicateUnknownSession(t *testing.T) {
	t.Parallel()
	w := newWorld(t, config.Default())
	(&tests.ApiScenario{
		Method:          http.MethodPost,
		URL:             "/api/sessions/nosuchsession12/duplicate",
		Headers:         w.headers(t, actorOwner),
		ExpectedStatus:  404,
		ExpectedContent: []string{`"status":404`},
		TestAppFactory:  w.factory,
	}).Test(t)
}

func TestDuplicateTakesNoBody(t *testing.T) {
	t.Parallel()
	w := newWorld(t, config.Default())
	srv := startServer(t, w.app)
	res := postJSON(t, srv.URL+"/api/sessions/"+w.s1.Id+"/duplicate", `{"title":"x"}`, token(t, w.hostA))
	if res.status != 400 || !strings.Contains(string(res.body), errCode("body", "body_not_allowed")) {
		t.Fatalf("duplicate with a body: %d %s", res.status, res.body)
	}
}

// The copy is a new draft with a new code and the deck: the activities as
// drafts in the same order with their title, config and notes, nothing of
// the run (no participants, answers, reveals or times).
func TestDuplicateCopiesTheDeckOnly(t *testing.T) {
	t.Parallel()
	w, acts := duplicateWorld(t)
	w.s1.Set(c.SessionDescription, "Q3 all hands")
	w.s1.Set(c.SessionMaxParticipants, 50)
	w.s1.Set(c.SessionBlockedWords, []string{"kotlin"})
	if err := w.app.Save(w.s1); err != nil {
		t.Fatal(err)
	}
	// A reorder first: the copy follows the positions, not the creation order.
	srv := startServer(t, w.app)
	tok := token(t, w.hostA)
	order := fmt.Sprintf(`{"activities":[%q,%q,%q]}`, acts[2].Id, acts[0].Id, acts[1].Id)
	if res := postJSON(t, srv.URL+"/api/sessions/"+w.s1.Id+"/reorder", order, tok); res.status != 200 {
		t.Fatalf("reorder: %d %s", res.status, res.body)
	}
	acts = []*core.Record{acts[2], acts[0], acts[1]}

	res := postJSON(t, srv.URL+"/api/sessions/"+w.s1.Id+"/duplicate", "", tok)
	if res.status != 201 {
		t.Fatalf("duplicate: %d %s", res.status, res.body)
	}
	var got struct {
		ID, Title, Description, Status, Code, Owner string
		MaxParticipants                             int      `json:"max_participants"`
		BlockedWords                                []string `json:"blocked_words"`
		StartedAt                                   string   `json:"started_at"`
		CollectionName                              string   `json:"collectionName"`
	}
	if err := json.Unmarshal(res.body, &got); err != nil {
		t.Fatal(err)
	}
	if got.CollectionName != c.Sessions || got.ID == w.s1.Id || got.Title != w.s1.GetString(c.SessionTitle) ||
		got.Description != "Q3 all hands" || got.MaxParticipants != 50 || got.Owner != w.hostA.Id ||
		len(got.BlockedWords) != 1 || got.BlockedWords[0] != "kotlin" ||
		got.Status != string(c.SessionDraft) || got.StartedAt != "" {
		t.Fatalf("copy = %+v", got)
	}
	if !c.ValidCode(got.Code) || got.Code == codeOf(w.s1) {
		t.Fatalf("copy's code %q (the original's %q)", got.Code, codeOf(w.s1))
	}

	copies, err := w.app.FindRecordsByFilter(c.Activities, "session = {:s}", c.ActivityPosition, 0, 0, dbx.Params{"s": got.ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(copies) != len(acts) {
		t.Fatalf("%d activities copied, want %d", len(copies), len(acts))
	}
	for i, cp := range copies {
		orig := refetch(t, w.app, acts[i])
		if cp.GetInt(c.ActivityPosition) != i+1 || cp.GetString(c.ActivityType) != orig.GetString(c.ActivityType) ||
			cp.GetString(c.ActivityTitle) != orig.GetString(c.ActivityTitle) ||
			cp.GetString(c.ActivityConfig) != orig.GetString(c.ActivityConfig) ||
			cp.GetString(c.ActivityNotes) != orig.GetString(c.ActivityNotes) {
			t.Fatalf("copy %d = %v, original %v", i, cp.PublicExport(), orig.PublicExport())
		}
		if cp.GetString(c.ActivityStatus) != string(c.ActivityDraft) || cp.GetBool(c.ActivityRevealed) ||
			!cp.GetDateTime(c.ActivityStartedAt).IsZero() || !cp.GetDateTime(c.ActivityEndedAt).IsZero() {
			t.Fatalf("copy %d carries the run: %v", i, cp.PublicExport())
		}
	}
	if copies[2].GetString(c.ActivityNotes) != "Say the answer slowly." {
		t.Fatalf("notes not copied: %q", copies[2].GetString(c.ActivityNotes))
	}
	participants, err := w.app.CountRecords(c.Participants, dbx.HashExp{c.ParticipantSession: got.ID})
	if err != nil {
		t.Fatal(err)
	}
	var responses int
	err = w.app.DB().NewQuery("SELECT COUNT(*) FROM responses r JOIN activities a ON a.id = r.activity WHERE a.session = {:s}").
		Bind(dbx.Params{"s": got.ID}).Row(&responses)
	if err != nil {
		t.Fatal(err)
	}
	if participants != 0 || responses != 0 {
		t.Fatalf("copied %d participants and %d responses", participants, responses)
	}
	// The original is untouched.
	if n := len(positions(t, w.app, w.s1)); n != 3 {
		t.Fatalf("the original has %d activities", n)
	}
}
