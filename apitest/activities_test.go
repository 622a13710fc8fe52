package apitest_test

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	c "conflicto/collections"
	"conflicto/config"
)

const activityRecords = "/api/collections/activities/records"

// seedActivities gives S1 three draft activities (A1 poll, A2 poker, A3
// wordcloud, at positions 1..3) and S2 one (B1). It returns them in that
// order, ready for fill.
func seedActivities(t testing.TB, w *world) []*core.Record {
	t.Helper()
	return []*core.Record{
		createActivity(t, w.app, w.s1, "poll", `{"options":["Yes","No"]}`),
		createActivity(t, w.app, w.s1, "poker", ""),
		createActivity(t, w.app, w.s1, "wordcloud", `{}`),
		createActivity(t, w.app, w.s2, "poker", ""),
	}
}

// positions returns the ids of the session's activities by position and
// fails unless the positions are exactly 1..n.
func positions(t testing.TB, app core.App, session *core.Record) []string {
	t.Helper()
	list, err := app.FindRecordsByFilter(c.Activities, "session = {:s}", "position", 0, 0, dbx.Params{"s": session.Id})
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]string, len(list))
	for i, a := range list {
		if got := a.GetInt(c.ActivityPosition); got != i+1 {
			t.Fatalf("activity %d of %d has position %d; positions must be 1..n", i+1, len(list), got)
		}
		ids[i] = a.Id
	}
	return ids
}

func idsOf(list ...*core.Record) []string {
	ids := make([]string, len(list))
	for i, r := range list {
		ids[i] = r.Id
	}
	return ids
}

// activeCount is how many activities of the session are active.
func activeCount(t testing.TB, app core.App, session *core.Record) int64 {
	t.Helper()
	n, err := app.CountRecords(c.Activities, dbx.HashExp{c.ActivitySession: session.Id, c.ActivityStatus: string(c.ActivityActive)})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestActivitiesCollectionAccess(t *testing.T) {
	t.Parallel()
	type cell struct {
		status      int
		expected    []string
		notExpected []string
	}
	scenarios := []struct {
		op     string
		method string
		url    func(acts []*core.Record) string
		body   string
		want   map[string]cell
	}{
		{
			op: "list", method: http.MethodGet, url: func([]*core.Record) string { return activityRecords },
			want: map[string]cell{
				actorAnonymous:   {200, []string{`"totalItems":0`}, nil},
				actorParticipant: {200, []string{`"totalItems":0`}, nil},
				actorOutsider:    {200, []string{`"totalItems":0`}, nil},
				actorOwner:       {200, []string{`"totalItems":3`, `"id":"A1"`, `"id":"A2"`, `"id":"A3"`}, []string{`"id":"B1"`}},
				actorOtherHost:   {200, []string{`"totalItems":1`, `"id":"B1"`}, []string{`"id":"A1"`}},
				actorSuperuser:   {200, []string{`"totalItems":4`}, nil},
			},
		},
		{
			op: "view", method: http.MethodGet, url: func(acts []*core.Record) string { return activityRecords + "/" + acts[0].Id },
			want: map[string]cell{
				actorAnonymous:   {404, []string{`"data":{}`}, nil},
				actorParticipant: {404, []string{`"data":{}`}, nil},
				actorOutsider:    {404, []string{`"data":{}`}, nil},
				actorOwner:       {200, []string{`"id":"A1"`, `"options":["Yes","No"]`, `"live_results":true`}, nil},
				actorOtherHost:   {404, []string{`"data":{}`}, nil},
				actorSuperuser:   {200, []string{`"id":"A1"`}, nil},
			},
		},
		{
			op: "create", method: http.MethodPost, url: func([]*core.Record) string { return activityRecords },
			body: `{"session":"S1","type":"poker","title":"  Estimate  "}`,
			want: map[string]cell{
				actorAnonymous:   {401, []string{`"status":401`}, nil},
				actorParticipant: {403, []string{`"status":403`}, nil},
				actorOutsider:    {403, []string{`"status":403`}, nil},
				actorOwner:       {200, []string{`"title":"Estimate"`, `"position":4`, `"status":"draft"`, `"deck":["0","1","2","3","5","8","13","21","?","☕"]`}, nil},
				actorOtherHost:   {400, []string{errCode("session", "validation_missing_rel_records")}, nil},
				actorSuperuser:   {200, []string{`"position":4`}, nil},
			},
		},
		{
			op: "update", method: http.MethodPatch, url: func(acts []*core.Record) string { return activityRecords + "/" + acts[0].Id },
			body: `{"title":"Renamed"}`,
			want: map[string]cell{
				actorAnonymous:   {404, []string{`"data":{}`}, nil},
				actorParticipant: {404, []string{`"data":{}`}, nil},
				actorOutsider:    {404, []string{`"data":{}`}, nil},
				actorOwner:       {200, []string{`"title":"Renamed"`}, nil},
				actorOtherHost:   {404, []string{`"data":{}`}, nil},
				actorSuperuser:   {200, []string{`"title":"Renamed"`}, nil},
			},
		},
		{
			op: "delete", method: http.MethodDelete, url: func(acts []*core.Record) string { return activityRecords + "/" + acts[1].Id },
			want: map[string]cell{
				actorAnonymous:   {404, []string{`"data":{}`}, nil},
				actorParticipant: {404, []string{`"data":{}`}, nil},
				actorOutsider:    {404, []string{`"data":{}`}, nil},
				actorOwner:       {204, nil, nil},
				actorOtherHost:   {404, []string{`"data":{}`}, nil},
				actorSuperuser:   {204, nil, nil},
			},
		},
	}
	for _, s := range scenarios {
		for _, actor := range allActors {
			want, ok := s.want[actor]
			if !ok {
				continue
			}
			t.Run(s.op+" as "+actor, func(t *testing.T) {
				w := newWorld(t, config.Default())
				acts := seedActivities(t, w)
				(&tests.ApiScenario{
					Method:             s.method,
					URL:                s.url(acts),
					Body:               strings.NewReader(fill(w, s.body, acts...)),
					Headers:            w.headers(t, actor),
					ExpectedStatus:     want.status,
					ExpectedContent:    fillAll(w, want.expected, acts...),
					NotExpectedContent: fillAll(w, want.notExpected, acts...),
					TestAppFactory:     w.factory,
				}).Test(t)
			})
		}
	}
}

// activityScenario is one request of a host or superuser on a world with
// seeded activities (A1..A3 in S1, B1 in S2).
type activityScenario struct {
	name        string
	actor       string                                   // actorOwner when empty
	prepare     func(testing.TB, *world, []*core.Record) // before the request
	method      string                                   // PATCH when empty
	url         string                                   // placeholders as in fill; A1's record when empty
	body        string
	status      int
	expected    []string
	notExpected []string
	check       func(testing.TB, *world, []*core.Record) // after the request
}

func (s activityScenario) run(t *testing.T) {
	t.Run(s.name, func(t *testing.T) {
		w := newWorld(t, config.Default())
		acts := seedActivities(t, w)
		if s.prepare != nil {
			s.prepare(t, w, acts)
		}
		actor, method, url := s.actor, s.method, s.url
		if actor == "" {
			actor = actorOwner
		}
		if method == "" {
			method = http.MethodPatch
		}
		if url == "" {
			url = activityRecords + "/A1"
		}
		(&tests.ApiScenario{
			Method:             method,
			URL:                fill(w, url, acts...),
			Body:               strings.NewReader(fill(w, s.body, acts...)),
			Headers:            w.headers(t, actor),
			ExpectedStatus:     s.status,
			ExpectedContent:    fillAll(w, s.expected, acts...),
			NotExpectedContent: fillAll(w, s.notExpected, acts...),
			TestAppFactory:     w.factory,
			AfterTestFunc: func(t testing.TB, _ *tests.TestApp, _ *http.Response) {
				if s.check != nil {
					s.check(t, w, acts)
				}
			},
		}).Test(t)
	})
}

func activateAt(i int) func(testing.TB, *world, []*core.Record) {
	return func(t testing.TB, w *world, acts []*core.Record) {
		setActivityStatus(t, w.app, acts[i], c.ActivityActive)
	}
}

func expireAt(i int) func(testing.TB, *world, []*core.Record) {
	return func(t testing.TB, w *world, acts []*core.Record) {
		setActivityStatus(t, w.app, acts[i], c.ActivityActive)
		setActivityStatus(t, w.app, acts[i], c.ActivityExpired)
	}
}

func completeWorld(t testing.TB, w *world, _ []*core.Record) { completeS1(t, w) }

func wantStatus(i int, status c.ActivityState) func(testing.TB, *world, []*core.Record) {
	return func(t testing.TB, w *world, acts []*core.Record) {
		if got := refetch(t, w.app, acts[i]).GetString(c.ActivityStatus); got != string(status) {
			t.Fatalf("A%d status = %s, want %s", i+1, got, status)
		}
	}
}

func wantOrder(order ...int) func(testing.TB, *world, []*core.Record) {
	return func(t testing.TB, w *world, acts []*core.Record) {
		want := make([]string, len(order))
		for i, k := range order {
			want[i] = acts[k].Id
		}
		if got := positions(t, w.app, w.s1); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("order = %v, want %v", got, want)
		}
	}
}

func TestActivityRulesOverREST(t *testing.T) {
	t.Parallel()
	post := http.MethodPost
	scenarios := []activityScenario{
		// create: placement
		{name: "append", method: post, url: activityRecords, body: `{"session":"S1","type":"poker","title":"Q"}`, status: 200,
			expected: []string{`"position":4`}},
		{name: "append with position 0", method: post, url: activityRecords, body: `{"session":"S1","type":"poker","title":"Q","position":0}`, status: 200,
			expected: []string{`"position":4`}},
		{name: "create at n+1", method: post, url: activityRecords, body: `{"session":"S1","type":"poker","title":"Q","position":4}`, status: 200,
			expected: []string{`"position":4`}},
		{name: "create at a taken position", method: post, url: activityRecords, body: `{"session":"S1","type":"poker","title":"Q","position":2}`, status: 400,
			expected: []string{errCode("position", "position_taken")}, check: wantOrder(0, 1, 2)},
		{name: "create past n+1", method: post, url: activityRecords, body: `{"session":"S1","type":"poker","title":"Q","position":6}`, status: 400,
			expected: []string{errCode("position", "position_out_of_range")}},
		{name: "create with a negative position", method: post, url: activityRecords, body: `{"session":"S1","type":"poker","title":"Q","position":-1}`, status: 400,
			expected: []string{errCode("position", "validation_min_number_constraint")}},
		{name: "first activity of a session", method: post, url: activityRecords, body: `{"session":"S2","type":"poker","title":"Q"}`, actor: actorOtherHost, status: 200,
			expected: []string{`"position":2`}},

		// create: fields
		{name: "create active", method: post, url: activityRecords, body: `{"session":"S1","type":"poker","title":"Q","status":"active"}`, status: 400,
			expected: []string{errCode("status", "invalid_transition")}},
		{name: "create expired as superuser", actor: actorSuperuser, method: post, url: activityRecords,
			body: `{"session":"S1","type":"poker","title":"Q","status":"expired"}`, status: 400, expected: []string{errCode("status", "invalid_transition")}},
		{name: "create with started_at", method: post, url: activityRecords,
			body: `{"session":"S1","type":"poker","title":"Q","started_at":"2026-01-01 10:00:00.000Z"}`, status: 400, expected: []string{errCode("started_at", "read_only")}},
		{name: "create with a blank title", method: post, url: activityRecords, body: `{"session":"S1","type":"poker","title":"  "}`, status: 400,
			expected: []string{errCode("title", "validation_required")}},
		{name: "create with 301 characters", method: post, url: activityRecords, body: `{"session":"S1","type":"poker","title":"` + strings.Repeat("a", 301) + `"}`, status: 400,
			expected: []string{errCode("title", "validation_max_text_constraint")}},
		{name: "create with an unknown type", method: post, url: activityRecords, body: `{"session":"S1","type":"bingo","title":"Q"}`, status: 400,
			expected: []string{errCode("type", "validation_invalid_value")}},
		{name: "create a poll with one option", method: post, url: activityRecords, body: `{"session":"S1","type":"poll","title":"Q","config":{"options":["a"]}}`, status: 400,
			expected: []string{errCode("config", "invalid_config")}},
		{name: "create a poll without options", method: post, url: activityRecords, body: `{"session":"S1","type":"poll","title":"Q"}`, status: 400,
			expected: []string{errCode("config", "invalid_config")}},
		{name: "create with an unknown config field", method: post, url: activityRecords, body: `{"session":"S1","type":"poker","title":"Q","config":{"cards":[]}}`, status: 400,
			expected: []string{errCode("config", "unknown_field")}},
		{name: "create with a config that is not an object", method: post, url: activityRecords, body: `{"session":"S1","type":"poker","title":"Q","config":[1]}`, status: 400,
			expected: []string{errCode("config", "invalid_config")}},
		{name: "create poker with a null config", method: post, url: activityRecords, body: `{"session":"S1","type":"poker","title":"Q","config":null}`, status: 200,
			expected: []string{`"deck":["0"`}},
		{name: "create a quiz stores the canonical config", method: post, url: activityRecords,
			body: `{"session":"S1","type":"quiz","title":"Q","config":{"options":[" a ","b"],"correct":1}}`, status: 200,
			expected: []string{`"options":["a","b"]`, `"correct":[1]`, `"time_limit_s":30`, `"points":1000`}},
		{name: "create in a foreign session", method: post, url: activityRecords, body: `{"session":"S2","type":"poker","title":"Q"}`, status: 400,
			expected: []string{errCode("session", "validation_missing_rel_records")}},
		{name: "create in a completed session", prepare: completeWorld, method: post, url: activityRecords,
			body: `{"session":"S1","type":"poker","title":"Q"}`, status: 400, expected: []string{errCode("session", "session_completed")}},
		{name: "create in a completed session as superuser", actor: actorSuperuser, prepare: completeWorld, method: post, url: activityRecords,
			body: `{"session":"S1","type":"poker","title":"Q"}`, status: 400, expected: []string{errCode("session", "session_completed")}},

		// update: status machine
		{name: "activate", body: `{"status":"active"}`, status: 200, expected: []string{`"status":"active"`}, notExpected: []string{`"started_at":""`}},
		{name: "activate expires the active one", prepare: activateAt(1), body: `{"status":"active"}`, status: 200,
			expected: []string{`"status":"active"`}, check: wantStatus(1, c.ActivityExpired)},
		{name: "expire", prepare: activateAt(0), body: `{"status":"expired"}`, status: 200,
			expected: []string{`"status":"expired"`}, notExpected: []string{`"ended_at":""`}},
		{name: "expire a draft", body: `{"status":"expired"}`, status: 400, expected: []string{errCode("status", "invalid_transition")}},
		{name: "back to draft", prepare: activateAt(0), body: `{"status":"draft"}`, status: 400, expected: []string{errCode("status", "invalid_transition")}},
		{name: "reactivate", prepare: expireAt(0), body: `{"status":"active"}`, status: 400, expected: []string{errCode("status", "invalid_transition")}},
		{name: "unknown status", body: `{"status":"paused"}`, status: 400, expected: []string{errCode("status", "invalid_transition")}},
		{name: "activate in a draft session",
			prepare: func(t testing.TB, w *world, acts []*core.Record) {
				draftS1(t, w)
				acts[0] = createActivity(t, w.app, w.s1, "poker", "")
			},
			body: `{"status":"active"}`, status: 400, expected: []string{errCode("status", "session_not_active")}},
		{name: "activate in a completed session", prepare: completeWorld, body: `{"status":"active"}`, status: 400,
			expected: []string{errCode("session", "session_completed")}},

		// update: fields
		{name: "change the type", body: `{"type":"poker"}`, status: 400, expected: []string{errCode("type", "immutable")}},
		{name: "move to another session", actor: actorSuperuser, body: `{"session":"S2"}`, status: 400, expected: []string{errCode("session", "immutable")}},
		{name: "move to another session of the owner",
			prepare: func(t testing.TB, w *world, _ []*core.Record) {
				w.s2 = createSession(t, w.app, w.hostA, c.SessionDraft)
			},
			body: `{"session":"S2"}`, status: 400, expected: []string{errCode("session", "immutable")}},
		{name: "change the position", body: `{"position":2}`, status: 400, expected: []string{errCode("position", "use_reorder")}},
		{name: "send the position unchanged", body: `{"position":1,"title":"Again"}`, status: 200, expected: []string{`"title":"Again"`}},
		{name: "set started_at", body: `{"started_at":"2026-01-01 10:00:00.000Z"}`, status: 400, expected: []string{errCode("started_at", "read_only")}},
		{name: "set ended_at", prepare: activateAt(0), body: `{"ended_at":"2026-01-01 10:00:00.000Z"}`, status: 400,
			expected: []string{errCode("ended_at", "read_only")}},
		{name: "blank title", body: `{"title":"  "}`, status: 400, expected: []string{errCode("title", "validation_required")}},

		// update: config
		{name: "edit a draft's config", body: `{"config":{"options":["Red","Green"],"multiple":true}}`, status: 200,
			expected: []string{`"options":["Red","Green"]`, `"max_choices":2`}},
		{name: "invalid config on a draft", body: `{"config":{"options":["Red","Red"]}}`, status: 400, expected: []string{errCode("config", "invalid_config")}},
		{name: "edit an active config", prepare: activateAt(0), body: `{"config":{"options":["Red","Green"]}}`, status: 400,
			expected: []string{errCode("config", "config_frozen")}},
		{name: "edit an expired config", prepare: expireAt(0), body: `{"config":{"options":["Yes","No","Maybe"]}}`, status: 400,
			expected: []string{errCode("config", "config_frozen")}},
		{name: "send an active config back unchanged", prepare: activateAt(0),
			body: `{"title":"Again","config":{"live_results":true,"options":["Yes","No"]}}`, status: 200, expected: []string{`"title":"Again"`}},

		// update: reveal
		{name: "reveal an active activity", prepare: activateAt(0), body: `{"revealed":true}`, status: 200, expected: []string{`"revealed":true`}},
		{name: "reveal an expired activity", prepare: expireAt(0), body: `{"revealed":true}`, status: 200, expected: []string{`"revealed":true`}},
		{name: "hide again", prepare: expireAt(0), body: `{"revealed":false}`, status: 200, expected: []string{`"revealed":false`}},

		// a completed session's activities are read-only
		{name: "rename in a completed session", prepare: completeWorld, body: `{"title":"Again"}`, status: 400,
			expected: []string{errCode("session", "session_completed")}},
		{name: "reveal in a completed session as superuser", actor: actorSuperuser, prepare: completeWorld, body: `{"revealed":true}`, status: 400,
			expected: []string{errCode("session", "session_completed")}},

		// delete
		{name: "delete compacts the positions", method: http.MethodDelete, status: 204, check: wantOrder(1, 2)},
		{name: "delete the last one", method: http.MethodDelete, url: activityRecords + "/A3", status: 204, check: wantOrder(0, 1)},
		{name: "delete an expired one", prepare: expireAt(1), method: http.MethodDelete, url: activityRecords + "/A2", status: 204, check: wantOrder(0, 2)},
		{name: "delete the active one", prepare: activateAt(1), method: http.MethodDelete, url: activityRecords + "/A2", status: 400,
			expected: []string{errCode("status", "activity_active")}, check: wantOrder(0, 1, 2)},
		{name: "delete the active one as superuser", actor: actorSuperuser, prepare: activateAt(1), method: http.MethodDelete, url: activityRecords + "/A2",
			status: 400, expected: []string{errCode("status", "activity_active")}},
		{name: "delete in a completed session", prepare: completeWorld, method: http.MethodDelete, status: 400,
			expected: []string{errCode("session", "session_completed")}, check: wantOrder(0, 1, 2)},
		{name: "delete in a completed session as superuser", actor: actorSuperuser, prepare: completeWorld, method: http.MethodDelete, status: 400,
			expected: []string{errCode("session", "session_completed")}},
	}
	for _, s := range scenarios {
		s.run(t)
	}
}

func TestActivityTransitionsInGo(t *testing.T) {
	allowed := map[[2]c.ActivityState]bool{
		{c.ActivityDraft, c.ActivityDraft}:     true,
		{c.ActivityDraft, c.ActivityActive}:    true,
		{c.ActivityActive, c.ActivityActive}:   true,
		{c.ActivityActive, c.ActivityExpired}:  true,
		{c.ActivityExpired, c.ActivityExpired}: true,
	}
	w := newWorld(t, config.Default())
	for _, from := range []c.ActivityState{c.ActivityDraft, c.ActivityActive, c.ActivityExpired} {
		for _, to := range []c.ActivityState{c.ActivityDraft, c.ActivityActive, c.ActivityExpired, "bogus"} {
			t.Run(fmt.Sprintf("%s->%s", from, to), func(t *testing.T) {
				a := createActivity(t, w.app, w.s1, "poker", "")
				if from != c.ActivityDraft {
					setActivityStatus(t, w.app, a, c.ActivityActive)
				}
				if from == c.ActivityExpired {
					setActivityStatus(t, w.app, a, c.ActivityExpired)
				}
				a = refetch(t, w.app, a)
				a.Set(c.ActivityStatus, string(to))
				err := w.app.SaveNoValidate(a) // the rules hold without validation too
				ok := allowed[[2]c.ActivityState{from, to}]
				if ok && err != nil {
					t.Fatalf("save: %v", err)
				}
				if !ok && errFieldCode(err, c.ActivityStatus) != "invalid_transition" {
					t.Fatalf("save: err = %v, want invalid_transition", err)
				}
			})
		}
	}
}

func TestActivityTimestampsAndSingleActive(t *testing.T) {
	w := newWorld(t, config.Default())
	acts := seedActivities(t, w)
	setActivityStatus(t, w.app, acts[0], c.ActivityActive)
	first := refetch(t, w.app, acts[0])
	if first.GetDateTime(c.ActivityStartedAt).IsZero() || !first.GetDateTime(c.ActivityEndedAt).IsZero() {
		t.Fatalf("active: started_at %v, ended_at %v", first.GetDateTime(c.ActivityStartedAt), first.GetDateTime(c.ActivityEndedAt))
	}

	// Activating through a stale copy (it still says draft everywhere).
	stale := acts[1]
	stale.Set(c.ActivityStatus, string(c.ActivityActive))
	if err := w.app.Save(stale); err != nil {
		t.Fatalf("activate A2: %v", err)
	}
	first = refetch(t, w.app, acts[0])
	if first.GetString(c.ActivityStatus) != string(c.ActivityExpired) || first.GetDateTime(c.ActivityEndedAt).IsZero() {
		t.Fatalf("A1 after A2 started: status %s, ended_at %v; want expired with ended_at", first.GetString(c.ActivityStatus), first.GetDateTime(c.ActivityEndedAt))
	}
	if n := activeCount(t, w.app, w.s1); n != 1 {
		t.Fatalf("active activities = %d, want 1", n)
	}
	// B1 in S2 is another session: activating it leaves A2 alone.
	setActivityStatus(t, w.app, acts[3], c.ActivityActive)
	if got := refetch(t, w.app, acts[1]).GetString(c.ActivityStatus); got != string(c.ActivityActive) {
		t.Fatalf("A2 status = %s after B1 of another session started, want active", got)
	}
}

func TestConcurrentActivations(t *testing.T) {
	w := newWorld(t, config.Default())
	for round := range 5 {
		a := createActivity(t, w.app, w.s1, "poker", "")
		b := createActivity(t, w.app, w.s1, "poker", "")
		var wg sync.WaitGroup
		errs := make([]error, 2)
		start := make(chan struct{})
		for i, act := range []*core.Record{a, b} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				act.Set(c.ActivityStatus, string(c.ActivityActive))
				errs[i] = w.app.Save(act)
			}()
		}
		close(start)
		wg.Wait()
		for _, err := range errs {
			// The loser either waited and expired the winner, or met the
			// index: never a bare 400.
			if err != nil && errFieldCode(err, c.ActivityStatus) != "activity_conflict" {
				t.Fatalf("round %d: activation failed: %v", round, err)
			}
		}
		if n := activeCount(t, w.app, w.s1); n != 1 {
			t.Fatalf("round %d: %d active activities, want exactly 1", round, n)
		}
	}
}

func TestActivityPositionsInGo(t *testing.T) {
	w := newWorld(t, config.Default())
	acts := seedActivities(t, w)
	if got, want := positions(t, w.app, w.s1), idsOf(acts[:3]...); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("appended order = %v, want %v", got, want)
	}

	// A Go-code save of a taken position meets the index: position_taken.
	extra := createActivity(t, w.app, w.s1, "poker", "")
	extra.Set(c.ActivityPosition, 1)
	if err := w.app.Save(extra); errFieldCode(err, c.ActivityPosition) != "position_taken" {
		t.Fatalf("save a taken position: err = %v, want position_taken", err)
	}

	if err := w.app.Delete(refetch(t, w.app, acts[0])); err != nil {
		t.Fatal(err)
	}
	if got, want := positions(t, w.app, w.s1), idsOf(acts[1], acts[2], extra); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("order after deleting the first = %v, want %v", got, want)
	}
	next := createActivity(t, w.app, w.s1, "poker", "")
	if got := next.GetInt(c.ActivityPosition); got != 4 {
		t.Fatalf("appended after a delete at position %d, want 4", got)
	}
}

func TestDeletingASessionDeletesItsActivities(t *testing.T) {
	for _, status := range []c.SessionState{c.SessionDraft, c.SessionCompleted} {
		t.Run(string(status), func(t *testing.T) {
			w := newWorld(t, config.Default())
			s := createSession(t, w.app, w.hostA, c.SessionDraft)
			for range 3 {
				createActivity(t, w.app, s, "poker", "")
			}
			if status == c.SessionCompleted {
				setSessionStatus(t, w.app, s, c.SessionActive)
				a := createActivity(t, w.app, s, "poker", "")
				setActivityStatus(t, w.app, a, c.ActivityActive)
				setSessionStatus(t, w.app, s, c.SessionCompleted)
			}
			if err := w.app.Delete(refetch(t, w.app, s)); err != nil {
				t.Fatalf("delete session: %v", err)
			}
			n, err := w.app.CountRecords(c.Activities, dbx.HashExp{c.ActivitySession: s.Id})
			if err != nil || n != 0 {
				t.Fatalf("activities left = %d, %v", n, err)
			}
		})
	}
}
