package apitest_test

import (
	"net/http"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"conflicto/config"
)

func TestResultsAccess(t *testing.T) {
	const hiddenPoll = `{"options":["Yes","No"],"live_results":false}`
	everyone := map[string]int{}
	// Results that are not public are not found: a stranger cannot tell
	// an existing activity from an unknown id (TestResultsUnknownActivity).
	ownerOnly := map[string]int{actorAnonymous: 404, actorParticipant: 404, actorOutsider: 404, actorOtherHost: 404}
	scenarios := []struct {
		name   string
		typ    string
		config string
		// setup walks the activity to the state under test.
		setup  func(t testing.TB, w *world, act *core.Record)
		denied map[string]int // status per actor other than 200
		// expected in the 200 bodies (owner's included)
		expected, notExpected []string
	}{
		{name: "poll with live results while active", typ: "poll", config: pollConfig, denied: everyone,
			setup:    func(t testing.TB, w *world, act *core.Record) { activate(t, w.app, act) },
			expected: []string{`"counts":[0,0,0]`, `"voters":0`, `"type":"poll"`, `"status":"active"`, `"revealed":false`, `"responses":0`}},
		{name: "draft poll is the host's business", typ: "poll", config: pollConfig, denied: ownerOnly,
			setup: func(testing.TB, *world, *core.Record) {}, expected: []string{`"status":"draft"`}},
		{name: "poll without live results before reveal", typ: "poll", config: hiddenPoll, denied: ownerOnly,
			setup:    func(t testing.TB, w *world, act *core.Record) { activate(t, w.app, act) },
			expected: []string{`"counts":[0,0]`}},
		{name: "poll without live results after reveal", typ: "poll", config: hiddenPoll, denied: everyone,
			setup: func(t testing.TB, w *world, act *core.Record) {
				activate(t, w.app, act)
				reveal(t, w.app, act, true)
			},
			expected: []string{`"counts":[0,0]`, `"revealed":true`}},
		{name: "poker before reveal", typ: "poker", config: pokerConfig, denied: ownerOnly,
			setup: func(t testing.TB, w *world, act *core.Record) {
				activate(t, w.app, act)
				saveResponse(t, w.app, act, w.ada, `{"card":"5"}`)
			},
			expected: []string{`"voters":1`, `"responses":1`}, notExpected: []string{`"votes"`, `"5"`, `Ada`}},
		{name: "poker after reveal", typ: "poker", config: pokerConfig, denied: everyone,
			setup: func(t testing.TB, w *world, act *core.Record) {
				activate(t, w.app, act)
				saveResponse(t, w.app, act, w.ada, `{"card":"5"}`)
				reveal(t, w.app, act, true)
			},
			expected: []string{`"votes":[{"nickname":"Ada","card":"5"}]`, `"average":5`, `"consensus":true`}},
		{name: "quiz before reveal", typ: "quiz", config: quizConfig, denied: ownerOnly,
			setup: func(t testing.TB, w *world, act *core.Record) {
				activate(t, w.app, act)
				saveResponse(t, w.app, act, w.ada, `{"choice":2}`)
			},
			expected: []string{`"counts":[0,0,1]`, `"answered":1`, `"correct_count":1`}, notExpected: []string{`"correct":`}},
		{name: "quiz expired but not revealed", typ: "quiz", config: quizConfig, denied: ownerOnly,
			setup: func(t testing.TB, w *world, act *core.Record) {
				activate(t, w.app, act)
				expire(t, w.app, act)
			},
			expected: []string{`"status":"expired"`}, notExpected: []string{`"correct":`}},
		{name: "quiz after reveal", typ: "quiz", config: quizConfig, denied: everyone,
			setup: func(t testing.TB, w *world, act *core.Record) {
				activate(t, w.app, act)
				saveResponse(t, w.app, act, w.ada, `{"choice":0}`)
				reveal(t, w.app, act, true)
			},
			expected: []string{`"correct":[2]`, `"counts":[1,0,0]`, `"correct_count":0`}},
		{name: "word cloud", typ: "wordcloud", config: cloudConfig, denied: everyone,
			setup: func(t testing.TB, w *world, act *core.Record) {
				activate(t, w.app, act)
				saveResponse(t, w.app, act, w.ada, `{"words":["Go","Rust"]}`)
				saveResponse(t, w.app, act, w.bob, `{"words":["go"]}`)
			},
			expected: []string{`"words":[{"text":"go","count":2},{"text":"rust","count":1}]`, `"responses":2`}},
	}
	for _, s := range scenarios {
		for _, actor := range allActors {
			t.Run(s.name+"/"+actor, func(t *testing.T) {
				t.Parallel()
				w := newWorld(t, config.Default())
				act := createActivity(t, w.app, w.s1, s.typ, s.config)
				s.setup(t, w, act)
				status, ok := s.denied[actor]
				if !ok {
					status = http.StatusOK
				}
				sc := tests.ApiScenario{
					Method:         http.MethodGet,
					URL:            "/api/activities/" + act.Id + "/results",
					Headers:        w.headers(t, actor),
					ExpectedStatus: status,
					TestAppFactory: w.factory,
				}
				if status == http.StatusOK {
					sc.ExpectedContent = append([]string{`"activity":"` + act.Id + `"`}, s.expected...)
					sc.NotExpectedContent = s.notExpected
				} else {
					sc.ExpectedContent = []string{`"status":404`, `"message":"No activity has this id."`}
					sc.NotExpectedContent = []string{`"counts"`, `"voters"`, `"correct"`}
				}
				sc.Test(t)
			})
		}
	}
}

func TestResultsUnknownActivity(t *testing.T) {
	for _, actor := range allActors {
		t.Run(actor, func(t *testing.T) {
			w := newWorld(t, config.Default())
			(&tests.ApiScenario{
				Method:          http.MethodGet,
				URL:             "/api/activities/nosuchactivity1/results",
				Headers:         w.headers(t, actor),
				ExpectedStatus:  404,
				ExpectedContent: []string{`"status":404`},
				TestAppFactory:  w.factory,
			}).Test(t)
		})
	}
}

func TestResultsPollCountsMultipleChoice(t *testing.T) {
	w := newWorld(t, config.Default())
	act := createActivity(t, w.app, w.s1, "poll", pollConfig)
	activate(t, w.app, act)
	saveResponse(t, w.app, act, w.ada, `{"choices":[1,0]}`)
	saveResponse(t, w.app, act, w.bob, `{"choices":[1]}`)
	(&tests.ApiScenario{
		Method:          http.MethodGet,
		URL:             "/api/activities/" + act.Id + "/results",
		Headers:         w.headers(t, actorParticipant),
		ExpectedStatus:  200,
		ExpectedContent: []string{`"counts":[1,2,0]`, `"voters":2`, `"responses":2`},
		TestAppFactory:  w.factory,
	}).Test(t)
}
