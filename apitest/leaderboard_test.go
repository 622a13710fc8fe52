package apitest_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
	"github.com/pocketbase/pocketbase/tools/types"

	c "conflicto/collections"
	"conflicto/config"
)

// setScore pins a response's score and answer time (after the activity's
// start), so rankings do not depend on how fast the test runs.
func setScore(t testing.TB, app *tests.TestApp, act, response *core.Record, score int, after time.Duration) {
	t.Helper()
	started := refetch(t, app, act).GetDateTime(c.ActivityStartedAt).Time()
	created, err := types.ParseDateTime(started.Add(after))
	if err != nil {
		t.Fatal(err)
	}
	_, err = app.DB().Update(c.Responses, dbx.Params{c.ResponseScore: score, c.FieldCreated: created.String()},
		dbx.HashExp{"id": response.Id}).Execute()
	if err != nil {
		t.Fatalf("set score: %v", err)
	}
}

// quizWorld is S1 with two quizzes: Bob and Ada tie on score (800), Bob
// answered faster in total; Cat scored nothing; Dan scored 900 on the
// second quiz, which is not revealed.
func quizWorld(t testing.TB) (*world, [2]*core.Record) {
	w := newWorld(t, config.Default())
	cat := createParticipant(t, w.app, w.s1, "Cat")
	dan := createParticipant(t, w.app, w.s1, "Dan")
	q1 := createActivity(t, w.app, w.s1, "quiz", quizConfig)
	q2 := createActivity(t, w.app, w.s1, "quiz", quizConfig)
	activate(t, w.app, q1)
	setScore(t, w.app, q1, saveResponse(t, w.app, q1, w.ada, `{"choice":2}`), 800, 8*time.Second)
	setScore(t, w.app, q1, saveResponse(t, w.app, q1, w.bob, `{"choice":2}`), 500, 2*time.Second)
	setScore(t, w.app, q1, saveResponse(t, w.app, q1, cat, `{"choice":0}`), 0, 1*time.Second)
	reveal(t, w.app, q1, true)
	activate(t, w.app, q2)
	setScore(t, w.app, q2, saveResponse(t, w.app, q2, w.bob, `{"choice":2}`), 300, 3*time.Second)
	setScore(t, w.app, q2, saveResponse(t, w.app, q2, w.ada, `{"choice":1}`), 0, 1*time.Second)
	setScore(t, w.app, q2, saveResponse(t, w.app, q2, dan, `{"choice":2}`), 900, 1*time.Second)
	return w, [2]*core.Record{q1, q2}
}

func TestLeaderboardOrderAndTieBreak(t *testing.T) {
	w, _ := quizWorld(t)
	(&tests.ApiScenario{
		Method:          http.MethodGet,
		URL:             "/api/sessions/" + w.s1.Id + "/leaderboard",
		Headers:         w.headers(t, actorOwner),
		ExpectedStatus:  200,
		ExpectedContent: []string{`"items":[`},
		TestAppFactory:  w.factory,
		AfterTestFunc: func(t testing.TB, _ *tests.TestApp, res *http.Response) {
			var body struct {
				Items []struct {
					Participant, Nickname string
					Score, Correct        int
				}
			}
			if err := json.NewDecoder(res.Body).Decode(&body); err != nil {
				t.Fatal(err)
			}
			want := []struct {
				nick           string
				score, correct int
			}{{"Dan", 900, 1}, {"Bob", 800, 2}, {"Ada", 800, 1}, {"Cat", 0, 0}}
			if len(body.Items) != len(want) {
				t.Fatalf("items = %+v, want %d", body.Items, len(want))
			}
			for i, wnt := range want {
				got := body.Items[i]
				if got.Nickname != wnt.nick || got.Score != wnt.score || got.Correct != wnt.correct || got.Participant == "" {
					t.Fatalf("item %d = %+v, want %+v", i, got, wnt)
				}
			}
		},
	}).Test(t)
}

func TestLeaderboardAccess(t *testing.T) {
	for _, actor := range allActors {
		t.Run(actor, func(t *testing.T) {
			w := newWorld(t, config.Default())
			status := ownerGuardStatus(actor)
			expected := []string{fmt.Sprintf(`"status":%d`, status)}
			if actor == actorOwner || actor == actorSuperuser {
				status, expected = 200, []string{`"items":[`, `"nickname":"Ada"`, `"score":0`, `"correct":0`}
			}
			(&tests.ApiScenario{
				Method:             http.MethodGet,
				URL:                "/api/sessions/" + w.s1.Id + "/leaderboard",
				Headers:            w.headers(t, actor),
				ExpectedStatus:     status,
				ExpectedContent:    expected,
				NotExpectedContent: []string{`"email"`, "nickname_key"},
				TestAppFactory:     w.factory,
			}).Test(t)
		})
	}
	t.Run("unknown session", func(t *testing.T) {
		w := newWorld(t, config.Default())
		(&tests.ApiScenario{
			Method:          http.MethodGet,
			URL:             "/api/sessions/nosuchsession12/leaderboard",
			Headers:         w.headers(t, actorSuperuser),
			ExpectedStatus:  404,
			ExpectedContent: []string{`"status":404`},
			TestAppFactory:  w.factory,
		}).Test(t)
	})
}
