package apitest_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
	"github.com/pocketbase/pocketbase/tools/types"

	c "conflicto/collections"
	"conflicto/config"
)

func TestSessionRoutesAccess(t *testing.T) {
	t.Parallel()
	type cell struct {
		status   int
		expected []string
	}
	scenarios := []struct {
		route string
		body  string
		want  map[string]cell
	}{
		{
			route: "advance",
			want: map[string]cell{
				actorAnonymous:   {401, []string{`"data":{}`}},
				actorParticipant: {403, []string{`"data":{}`}},
				actorOutsider:    {404, []string{`"data":{}`}},
				actorOwner:       {200, []string{`"activity":{`, `"id":"A1"`, `"status":"active"`}},
				actorOtherHost:   {404, []string{`"data":{}`}},
				actorSuperuser:   {200, []string{`"id":"A1"`, `"status":"active"`}},
			},
		},
		{
			route: "reorder", body: `{"activities":["A3","A2","A1"]}`,
			want: map[string]cell{
				actorAnonymous:   {401, []string{`"data":{}`}},
				actorParticipant: {403, []string{`"data":{}`}},
				actorOutsider:    {404, []string{`"data":{}`}},
				actorOwner:       {200, []string{`"activities":[{`, `"id":"A3"`}},
				actorOtherHost:   {404, []string{`"data":{}`}},
				actorSuperuser:   {200, []string{`"activities":[{`}},
			},
		},
	}
	for _, s := range scenarios {
		for _, actor := range allActors {
			want := s.want[actor]
			t.Run(s.route+" as "+actor, func(t *testing.T) {
				w := newWorld(t, config.Default())
				acts := seedActivities(t, w)
				(&tests.ApiScenario{
					Method:          http.MethodPost,
					URL:             "/api/sessions/" + w.s1.Id + "/" + s.route,
					Body:            strings.NewReader(fill(w, s.body, acts...)),
					Headers:         w.headers(t, actor),
					ExpectedStatus:  want.status,
					ExpectedContent: fillAll(w, want.expected, acts...),
					TestAppFactory:  w.factory,
					AfterTestFunc: func(t testing.TB, _ *tests.TestApp, res *http.Response) {
						if res.StatusCode == 200 {
							return
						}
						// A refused call changes nothing.
						if n := activeCount(t, w.app, w.s1); n != 0 {
							t.Fatalf("%d active activities after a refused %s", n, s.route)
						}
						if got := positions(t, w.app, w.s1); fmt.Sprint(got) != fmt.Sprint(idsOf(acts[:3]...)) {
							t.Fatalf("order changed by a refused %s: %v", s.route, got)
						}
					},
				}).Test(t)
			})
		}
	}
}

// wantResponseIDs checks the ids of the reorder response, in order.
func wantResponseIDs(order ...int) func(testing.TB, *http.Response, []*core.Record) {
	return func(t testing.TB, res *http.Response, acts []*core.Record) {
		var body struct {
			Activities []struct {
				ID       string `json:"id"`
				Position int    `json:"position"`
			} `json:"activities"`
		}
		raw, _ := io.ReadAll(res.Body)
		if err := json.Unmarshal(raw, &body); err != nil {
			t.Fatalf("decode %s: %v", raw, err)
		}
		if len(body.Activities) != len(order) {
			t.Fatalf("got %d activities, want %d: %s", len(body.Activities), len(order), raw)
		}
		for i, k := range order {
			if got := body.Activities[i]; got.ID != acts[k].Id || got.Position != i+1 {
				t.Fatalf("item %d = %s at %d, want A%d at %d", i, got.ID, got.Position, k+1, i+1)
			}
		}
	}
}

func TestReorder(t *testing.T) {
	t.Parallel()
	url := "/api/sessions/S1/reorder"
	post := http.MethodPost
	scenarios := []activityScenario{
		{name: "reverse", method: post, url: url, body: `{"activities":["A3","A2","A1"]}`, status: 200,
			expected: []string{`"activities":[`}, check: wantOrder(2, 1, 0)},
		{name: "rotate", method: post, url: url, body: `{"activities":["A2","A3","A1"]}`, status: 200,
			expected: []string{`"activities":[`}, check: wantOrder(1, 2, 0)},
		{name: "same order", method: post, url: url, body: `{"activities":["A1","A2","A3"]}`, status: 200,
			expected: []string{`"activities":[`}, check: wantOrder(0, 1, 2)},
		{name: "with an active activity", prepare: activateAt(0), method: post, url: url, body: `{"activities":["A3","A1","A2"]}`, status: 200,
			expected: []string{`"status":"active"`}, check: func(t testing.TB, w *world, acts []*core.Record) {
				wantOrder(2, 0, 1)(t, w, acts)
				wantStatus(0, c.ActivityActive)(t, w, acts)
			}},
		{name: "a draft session", method: post, url: url,
			prepare: func(t testing.TB, w *world, acts []*core.Record) {
				draftS1(t, w)
				acts[0] = createActivity(t, w.app, w.s1, "poker", "")
				acts[1] = createActivity(t, w.app, w.s1, "poker", "")
			},
			body: `{"activities":["A2","A1"]}`, status: 200, check: wantOrder(1, 0), expected: []string{`"activities":[`}},
		{name: "a session without activities", actor: actorOtherHost, method: post, url: "/api/sessions/S2/reorder",
			prepare: func(t testing.TB, w *world, _ []*core.Record) {
				w.s2 = createSession(t, w.app, w.hostB, c.SessionActive)
			},
			body: `{"activities":[]}`, status: 200, expected: []string{`"activities":[]`}},

		{name: "one missing", method: post, url: url, body: `{"activities":["A3","A2"]}`, status: 400,
			expected: []string{errCode("activities", "invalid_permutation")}, check: wantOrder(0, 1, 2)},
		{name: "a duplicate", method: post, url: url, body: `{"activities":["A1","A1","A2"]}`, status: 400,
			expected: []string{errCode("activities", "invalid_permutation")}, check: wantOrder(0, 1, 2)},
		{name: "an activity of another session", method: post, url: url, body: `{"activities":["A1","A2","B1"]}`, status: 400,
			expected: []string{errCode("activities", "invalid_permutation")}, check: wantOrder(0, 1, 2)},
		{name: "one too many", method: post, url: url, body: `{"activities":["A1","A2","A3","B1"]}`, status: 400,
			expected: []string{errCode("activities", "invalid_permutation")}},
		{name: "an unknown id", method: post, url: url, body: `{"activities":["A1","A2","nope"]}`, status: 400,
			expected: []string{errCode("activities", "invalid_permutation")}},
		{name: "not a list", method: post, url: url, body: `{"activities":"A1"}`, status: 400,
			expected: []string{errCode("activities", "invalid_permutation")}},
		{name: "no list", method: post, url: url, body: `{}`, status: 400,
			expected: []string{errCode("activities", "invalid_permutation")}},
		{name: "not JSON", method: post, url: url, body: `{"activities":[`, status: 400,
			expected: []string{`"message":"The request body is not one valid JSON value."`}},
		{name: "a completed session", prepare: completeWorld, method: post, url: url, body: `{"activities":["A3","A2","A1"]}`, status: 400,
			expected: []string{errCode("status", "session_completed")}, check: wantOrder(0, 1, 2)},
		{name: "an unknown session", method: post, url: "/api/sessions/nope/reorder", body: `{"activities":[]}`, status: 404,
			expected: []string{`"data":{}`}},
		{name: "another host's session as superuser", actor: actorSuperuser, method: post, url: "/api/sessions/S2/reorder",
			body: `{"activities":["B1"]}`, status: 200, expected: []string{`"id":"B1"`}},
	}
	for _, s := range scenarios {
		s.run(t)
	}

	t.Run("response order", func(t *testing.T) {
		w := newWorld(t, config.Default())
		acts := seedActivities(t, w)
		(&tests.ApiScenario{
			Method:          http.MethodPost,
			URL:             "/api/sessions/" + w.s1.Id + "/reorder",
			Body:            strings.NewReader(fill(w, `{"activities":["A2","A3","A1"]}`, acts...)),
			Headers:         w.headers(t, actorOwner),
			ExpectedStatus:  200,
			ExpectedContent: []string{`"activities":[`},
			TestAppFactory:  w.factory,
			AfterTestFunc: func(t testing.TB, _ *tests.TestApp, res *http.Response) {
				wantResponseIDs(1, 2, 0)(t, res, acts)
			},
		}).Test(t)
	})
}

func TestAdvanceRules(t *testing.T) {
	t.Parallel()
	url := "/api/sessions/S1/advance"
	post := http.MethodPost
	scenarios := []activityScenario{
		{name: "first advance", method: post, url: url, status: 200, expected: []string{`"id":"A1"`, `"status":"active"`},
			check: wantStatus(0, c.ActivityActive)},
		{name: "a draft session", method: post, url: url, prepare: func(t testing.TB, w *world, _ []*core.Record) {
			draftS1(t, w)
			createActivity(t, w.app, w.s1, "poker", "")
		}, status: 400, expected: []string{errCode("status", "session_not_active")}},
		{name: "a completed session", method: post, url: url, prepare: completeWorld, status: 400,
			expected: []string{errCode("status", "session_not_active")}},
		{name: "a completed session as superuser", actor: actorSuperuser, method: post, url: url, prepare: completeWorld, status: 400,
			expected: []string{errCode("status", "session_not_active")}},
		{name: "an unknown session", method: post, url: "/api/sessions/nope/advance", status: 404, expected: []string{`"data":{}`}},
		{name: "from the last activity", method: post, url: url, prepare: activateAt(2), status: 200,
			expected: []string{`{"activity":null}`}, check: func(t testing.TB, w *world, acts []*core.Record) {
				wantStatus(2, c.ActivityExpired)(t, w, acts)
				wantStatus(0, c.ActivityDraft)(t, w, acts)
				if got := refetch(t, w.app, w.s1).GetString(c.SessionStatus); got != string(c.SessionActive) {
					t.Fatalf("session status = %s, want active", got)
				}
			}},
		{name: "a session without activities", actor: actorOtherHost, method: post, url: "/api/sessions/S2/advance",
			prepare: func(t testing.TB, w *world, _ []*core.Record) {
				w.s2 = createSession(t, w.app, w.hostB, c.SessionActive)
			},
			status: 200, expected: []string{`{"activity":null}`}},
	}
	for _, s := range scenarios {
		s.run(t)
	}
}

// advanceTo posts an advance as the owner and checks which activity it
// started (nil: none).
func advanceTo(t *testing.T, srv string, w *world, want *core.Record) {
	t.Helper()
	res := doJSON(t, http.MethodPost, srv+"/api/sessions/"+w.s1.Id+"/advance", "", w.headers(t, actorOwner)["Authorization"])
	status, body := res.status, string(res.body)
	if status != 200 {
		t.Fatalf("advance: %d %s", status, body)
	}
	var got struct {
		Activity *struct {
			ID     string `json:"id"`
			Status string `json:"status"`
		} `json:"activity"`
	}
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatalf("decode %s: %v", body, err)
	}
	switch {
	case want == nil && got.Activity != nil:
		t.Fatalf("advance started %s, want null", got.Activity.ID)
	case want != nil && (got.Activity == nil || got.Activity.ID != want.Id || got.Activity.Status != "active"):
		t.Fatalf("advance answered %s, want %s active", body, want.Id)
	}
	n := activeCount(t, w.app, w.s1)
	if (want == nil && n != 0) || (want != nil && n != 1) {
		t.Fatalf("%d active activities after advance", n)
	}
	if want != nil {
		if got := refetch(t, w.app, want).GetString(c.ActivityStatus); got != string(c.ActivityActive) {
			t.Fatalf("stored status of %s = %s, want active", want.Id, got)
		}
	}
}

// ranClock hands out strictly increasing run times for ranAt.
var ranClock atomic.Int64

// ranAt runs act (activate, then expire), then stamps its run a
// millisecond after the previous ranAt's, so that runs are ordered by
// started_at without waiting for the clock.
func ranAt(t testing.TB, app core.App, act *core.Record) {
	t.Helper()
	setActivityStatus(t, app, act, c.ActivityActive)
	setActivityStatus(t, app, act, c.ActivityExpired)
	at, err := types.ParseDateTime(time.Now().Add(time.Duration(ranClock.Add(1)) * time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	_, err = app.DB().Update(c.Activities,
		dbx.Params{c.ActivityStartedAt: at.String(), c.ActivityEndedAt: at.String()},
		dbx.HashExp{"id": act.Id}).Execute()
	if err != nil {
		t.Fatal(err)
	}
}

func TestAdvanceWalksTheDraftsByPosition(t *testing.T) {
	w := newWorld(t, config.Default())
	t.Cleanup(w.app.Cleanup)
	acts := seedActivities(t, w)
	srv := startServer(t, w.app).URL
	order := fill(w, `{"activities":["A3","A1","A2"]}`, acts...)
	if res := doJSON(t, http.MethodPost, srv+"/api/sessions/"+w.s1.Id+"/reorder", order, w.headers(t, actorOwner)["Authorization"]); res.status != 200 {
		t.Fatalf("reorder: %d %s", res.status, res.body)
	}
	advanceTo(t, srv, w, acts[2])
	advanceTo(t, srv, w, acts[0])
	advanceTo(t, srv, w, acts[1])
	advanceTo(t, srv, w, nil) // past the end: the last one expires
	advanceTo(t, srv, w, nil)
	for i, a := range acts[:3] {
		if got := refetch(t, w.app, a).GetString(c.ActivityStatus); got != string(c.ActivityExpired) {
			t.Fatalf("A%d status = %s at the end, want expired", i+1, got)
		}
	}
	if got := refetch(t, w.app, acts[3]).GetString(c.ActivityStatus); got != string(c.ActivityDraft) {
		t.Fatalf("B1 of another session status = %s, want draft", got)
	}
}

func TestAdvanceAfterExpiredActivities(t *testing.T) {
	t.Parallel()
	scenarios := []struct {
		name    string
		prepare func(testing.TB, *world, []*core.Record)
		want    int // index of the activity started; -1 for none
	}{
		{"nothing ran yet", nil, 0},
		{"the second ran", func(t testing.TB, w *world, a []*core.Record) { ranAt(t, w.app, a[1]) }, 2},
		{"the last ran", func(t testing.TB, w *world, a []*core.Record) { ranAt(t, w.app, a[2]) }, -1},
		{"the third, then the first ran", func(t testing.TB, w *world, a []*core.Record) {
			ranAt(t, w.app, a[2])
			ranAt(t, w.app, a[0])
		}, 1},
		{"the first, then the third ran", func(t testing.TB, w *world, a []*core.Record) {
			ranAt(t, w.app, a[0])
			ranAt(t, w.app, a[2])
		}, -1},
		{"the second runs, the third ran before", func(t testing.TB, w *world, a []*core.Record) {
			ranAt(t, w.app, a[2])
			setActivityStatus(t, w.app, a[1], c.ActivityActive)
		}, -1},
		{"the first runs, the second ran before", func(t testing.TB, w *world, a []*core.Record) {
			ranAt(t, w.app, a[1])
			setActivityStatus(t, w.app, a[0], c.ActivityActive)
		}, 2},
	}
	for _, s := range scenarios {
		t.Run(s.name, func(t *testing.T) {
			w := newWorld(t, config.Default())
			t.Cleanup(w.app.Cleanup)
			acts := seedActivities(t, w)
			if s.prepare != nil {
				s.prepare(t, w, acts)
			}
			var want *core.Record
			if s.want >= 0 {
				want = acts[s.want]
			}
			advanceTo(t, startServer(t, w.app).URL, w, want)
		})
	}
}

func TestConcurrentAdvances(t *testing.T) {
	w := newWorld(t, config.Default())
	t.Cleanup(w.app.Cleanup)
	acts := seedActivities(t, w)
	srv := startServer(t, w.app).URL
	auth := w.headers(t, actorOwner)["Authorization"]
	var wg sync.WaitGroup
	start := make(chan struct{})
	statuses := make([]int, 3)
	for i := range statuses {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			statuses[i] = doJSON(t, http.MethodPost, srv+"/api/sessions/"+w.s1.Id+"/advance", "", auth).status
		}()
	}
	close(start)
	wg.Wait()
	for i, status := range statuses {
		if status != 200 {
			t.Fatalf("advance %d: status %d", i, status)
		}
	}
	// Three advances one after the other: A1, A2, A3 ran in turn.
	if n := activeCount(t, w.app, w.s1); n != 1 {
		t.Fatalf("%d active activities, want exactly 1", n)
	}
	for i, want := range []c.ActivityState{c.ActivityExpired, c.ActivityExpired, c.ActivityActive} {
		if got := refetch(t, w.app, acts[i]).GetString(c.ActivityStatus); got != string(want) {
			t.Fatalf("A%d status = %s, want %s", i+1, got, want)
		}
	}
}
