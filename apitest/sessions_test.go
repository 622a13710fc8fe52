package apitest_test

import (
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/tests"

	c "conflicto/collections"
	"conflicto/config"
)

const sessionRecords = "/api/collections/sessions/records"

func TestSessionsCollectionAccess(t *testing.T) {
	t.Parallel()
	type cell struct {
		status      int
		expected    []string
		notExpected []string
	}
	scenarios := []struct {
		op     string
		method string
		url    func(testing.TB, *world) string
		body   string
		want   map[string]cell
	}{
		{
			op: "list", method: http.MethodGet, url: func(testing.TB, *world) string { return sessionRecords },
			want: map[string]cell{
				actorAnonymous:   {200, []string{`"totalItems":0`}, nil},
				actorParticipant: {200, []string{`"totalItems":0`}, nil},
				actorOutsider:    {200, []string{`"totalItems":0`}, nil},
				actorOwner:       {200, []string{`"totalItems":1`, `"id":"S1"`}, []string{`"id":"S2"`}},
				actorOtherHost:   {200, []string{`"totalItems":1`, `"id":"S2"`}, []string{`"id":"S1"`}},
				actorSuperuser:   {200, []string{`"totalItems":2`, `"id":"S1"`, `"id":"S2"`}, nil},
			},
		},
		{
			op: "view", method: http.MethodGet, url: func(_ testing.TB, w *world) string { return sessionRecords + "/" + w.s1.Id },
			want: map[string]cell{
				actorAnonymous:   {404, []string{`"data":{}`}, nil},
				actorParticipant: {200, []string{`"id":"S1"`, `"status":"active"`}, nil},
				actorOutsider:    {404, []string{`"data":{}`}, nil},
				actorOwner:       {200, []string{`"id":"S1"`}, nil},
				actorOtherHost:   {404, []string{`"data":{}`}, nil},
				actorSuperuser:   {200, []string{`"id":"S1"`}, nil},
			},
		},
		{
			op: "create", method: http.MethodPost, url: func(testing.TB, *world) string { return sessionRecords },
			body: `{"title":"  Retro  "}`,
			want: map[string]cell{
				actorAnonymous:   {401, []string{`"status":401`}, nil},
				actorParticipant: {403, []string{`"status":403`}, nil},
				actorOutsider:    {403, []string{`"status":403`}, nil},
				actorOwner:       {200, []string{`"title":"Retro"`, `"status":"draft"`, `"owner":"HOSTA"`, `"started_at":""`}, nil},
				actorOtherHost:   {200, []string{`"title":"Retro"`, `"owner":"HOSTB"`}, nil},
				actorSuperuser:   {400, []string{errCode("owner", "validation_required")}, nil},
			},
		},
		{
			op: "create for host A", method: http.MethodPost, url: func(testing.TB, *world) string { return sessionRecords },
			body: `{"title":"Retro","owner":"HOSTA"}`,
			want: map[string]cell{
				actorParticipant: {403, []string{`"status":403`}, nil},
				actorOwner:       {200, []string{`"owner":"HOSTA"`}, nil},
				actorOtherHost:   {400, []string{errCode("owner", "forbidden_owner")}, nil}, // a foreign owner
				actorSuperuser:   {200, []string{`"owner":"HOSTA"`, `"status":"draft"`}, nil},
			},
		},
		{
			op: "update", method: http.MethodPatch, url: func(_ testing.TB, w *world) string { return sessionRecords + "/" + w.s1.Id },
			body: `{"title":" Renamed "}`,
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
			op: "give away", method: http.MethodPatch, url: func(_ testing.TB, w *world) string { return sessionRecords + "/" + w.s1.Id },
			body: `{"owner":"HOSTB"}`,
			want: map[string]cell{
				actorOwner:     {404, []string{`"data":{}`}, nil},
				actorOtherHost: {404, []string{`"data":{}`}, nil},
				actorSuperuser: {200, []string{`"owner":"HOSTB"`}, nil},
			},
		},
		{
			op: "delete active", method: http.MethodDelete, url: func(_ testing.TB, w *world) string { return sessionRecords + "/" + w.s1.Id },
			want: map[string]cell{
				actorAnonymous:   {404, []string{`"data":{}`}, nil},
				actorParticipant: {404, []string{`"data":{}`}, nil},
				actorOutsider:    {404, []string{`"data":{}`}, nil},
				actorOwner:       {404, []string{`"data":{}`}, nil},
				actorOtherHost:   {404, []string{`"data":{}`}, nil},
				actorSuperuser:   {400, []string{errCode("status", "session_active")}, nil},
			},
		},
		{
			op: "delete draft", method: http.MethodDelete,
			url: func(t testing.TB, w *world) string {
				return sessionRecords + "/" + createSession(t, w.app, w.hostA, c.SessionDraft).Id
			},
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
				(&tests.ApiScenario{
					Method:             s.method,
					URL:                s.url(t, w),
					Body:               strings.NewReader(fill(w, s.body)),
					Headers:            w.headers(t, actor),
					ExpectedStatus:     want.status,
					ExpectedContent:    fillAll(w, want.expected),
					NotExpectedContent: fillAll(w, want.notExpected),
					TestAppFactory:     w.factory,
				}).Test(t)
			})
		}
	}
}

// sessionScenario is one request of a host or superuser on a prepared world.
type sessionScenario struct {
	name        string
	actor       string                          // actorOwner when empty
	prepare     func(testing.TB, *world)        // before the request
	method      string                          // PATCH when empty
	url         func(testing.TB, *world) string // S1's record when nil
	body        string                          // placeholders as in fill
	status      int
	expected    []string
	notExpected []string
	check       func(testing.TB, *world) // after the request
}

func (s sessionScenario) run(t *testing.T) {
	t.Run(s.name, func(t *testing.T) {
		w := newWorld(t, config.Default())
		if s.prepare != nil {
			s.prepare(t, w)
		}
		actor, method, url := s.actor, s.method, sessionRecords+"/"+w.s1.Id
		if actor == "" {
			actor = actorOwner
		}
		if method == "" {
			method = http.MethodPatch
		}
		if s.url != nil {
			url = s.url(t, w)
		}
		(&tests.ApiScenario{
			Method:             method,
			URL:                url,
			Body:               strings.NewReader(fill(w, s.body)),
			Headers:            w.headers(t, actor),
			ExpectedStatus:     s.status,
			ExpectedContent:    fillAll(w, s.expected),
			NotExpectedContent: fillAll(w, s.notExpected),
			TestAppFactory:     w.factory,
			AfterTestFunc: func(t testing.TB, _ *tests.TestApp, _ *http.Response) {
				if s.check != nil {
					s.check(t, w)
				}
			},
		}).Test(t)
	})
}

func createURL(testing.TB, *world) string { return sessionRecords }

// draftS1 replaces the world's S1 by a draft session of host A.
func draftS1(t testing.TB, w *world) { w.s1 = createSession(t, w.app, w.hostA, c.SessionDraft) }

func completeS1(t testing.TB, w *world) { setSessionStatus(t, w.app, w.s1, c.SessionCompleted) }

func TestSessionRulesOverREST(t *testing.T) {
	t.Parallel()
	codePattern := regexp.MustCompile(`"code":"[` + c.CodeAlphabet + `]{6}"`)
	scenarios := []sessionScenario{
		// create: what the server sets, what a client may not
		{name: "create generates a code", method: http.MethodPost, url: createURL, body: `{"title":"Retro"}`, status: 200,
			expected: []string{`"code":"`},
			check: func(t testing.TB, w *world) {
				s, err := w.app.FindFirstRecordByData(c.Sessions, c.SessionTitle, "Retro")
				if err != nil {
					t.Fatal(err)
				}
				if got := fmt.Sprintf(`"code":%q`, s.GetString(c.SessionCode)); !codePattern.MatchString(got) {
					t.Fatalf("code = %s, want 6 letters of %s", got, c.CodeAlphabet)
				}
			}},
		{name: "create with a code", method: http.MethodPost, url: createURL, body: `{"title":"Retro","code":"ABCDEF"}`, status: 400,
			expected: []string{errCode("code", "read_only")}},
		{name: "create with a code as superuser", actor: actorSuperuser, method: http.MethodPost, url: createURL,
			body: `{"title":"Retro","owner":"HOSTA","code":"ABCDEF"}`, status: 400, expected: []string{errCode("code", "read_only")}},
		{name: "create with a blank code (dashboard)", method: http.MethodPost, url: createURL, body: `{"title":"Retro","code":""}`, status: 200,
			expected: []string{`"title":"Retro"`}, notExpected: []string{`"code":""`}},
		{name: "create with started_at", method: http.MethodPost, url: createURL, body: `{"title":"Retro","started_at":"2026-01-01 10:00:00.000Z"}`, status: 400,
			expected: []string{errCode("started_at", "read_only")}},
		{name: "create with ended_at", method: http.MethodPost, url: createURL, body: `{"title":"Retro","ended_at":"2026-01-01 10:00:00.000Z"}`, status: 400,
			expected: []string{errCode("ended_at", "read_only")}},
		{name: "create active", method: http.MethodPost, url: createURL, body: `{"title":"Retro","status":"active"}`, status: 400,
			expected: []string{errCode("status", "invalid_transition")}},
		{name: "create completed as superuser", actor: actorSuperuser, method: http.MethodPost, url: createURL,
			body: `{"title":"Retro","owner":"HOSTA","status":"completed"}`, status: 400, expected: []string{errCode("status", "invalid_transition")}},
		{name: "create draft explicitly", method: http.MethodPost, url: createURL, body: `{"title":"Retro","status":"draft"}`, status: 200,
			expected: []string{`"status":"draft"`}},
		{name: "create with a blank title", method: http.MethodPost, url: createURL, body: `{"title":"   "}`, status: 400,
			expected: []string{errCode("title", "validation_required")}},
		{name: "create with 200 characters and spaces", method: http.MethodPost, url: createURL,
			body: `{"title":"  ` + strings.Repeat("é", 200) + `  "}`, status: 200, expected: []string{`"title":"` + strings.Repeat("é", 200) + `"`}},
		{name: "create with 201 characters", method: http.MethodPost, url: createURL, body: `{"title":"` + strings.Repeat("a", 201) + `"}`, status: 400,
			expected: []string{errCode("title", "validation_max_text_constraint")}},
		{name: "create with a long description", method: http.MethodPost, url: createURL,
			body: `{"title":"Retro","description":"` + strings.Repeat("a", 2001) + `"}`, status: 400,
			expected: []string{errCode("description", "validation_max_text_constraint")}},
		{name: "create with negative max_participants", method: http.MethodPost, url: createURL, body: `{"title":"Retro","max_participants":-1}`, status: 400,
			expected: []string{errCode("max_participants", "validation_min_number_constraint")}},
		{name: "create with fractional max_participants", method: http.MethodPost, url: createURL, body: `{"title":"Retro","max_participants":2.5}`, status: 400,
			expected: []string{errCode("max_participants", "invalid_type")}},
		{name: "create with max_participants", method: http.MethodPost, url: createURL, body: `{"title":"Retro","max_participants":40}`, status: 200,
			expected: []string{`"max_participants":40`}},

		// update of an active session
		{name: "complete", body: `{"status":"completed"}`, status: 200, expected: []string{`"status":"completed"`},
			check: func(t testing.TB, w *world) {
				if s := refetch(t, w.app, w.s1); s.GetDateTime(c.SessionEndedAt).IsZero() {
					t.Fatal("ended_at not set")
				}
			}},
		{name: "back to draft", body: `{"status":"draft"}`, status: 400, expected: []string{errCode("status", "invalid_transition")}},
		{name: "unknown status", body: `{"status":"paused"}`, status: 400, expected: []string{errCode("status", "invalid_transition")}},
		{name: "back to draft as superuser", actor: actorSuperuser, body: `{"status":"draft"}`, status: 400,
			expected: []string{errCode("status", "invalid_transition")}},
		{name: "change the code", body: `{"code":"ABCDEF"}`, status: 400, expected: []string{errCode("code", "read_only")}},
		{name: "change the code as superuser", actor: actorSuperuser, body: `{"code":"ABCDEF"}`, status: 400, expected: []string{errCode("code", "read_only")}},
		{name: "send the code unchanged", body: `{"code":"S1CODE","title":"Again"}`, status: 200, expected: []string{`"title":"Again"`}},
		{name: "change started_at", body: `{"started_at":"2020-01-01 10:00:00.000Z"}`, status: 400, expected: []string{errCode("started_at", "read_only")}},
		{name: "set ended_at", body: `{"ended_at":"2020-01-01 10:00:00.000Z"}`, status: 400, expected: []string{errCode("ended_at", "read_only")}},
		{name: "blank title", body: `{"title":"  "}`, status: 400, expected: []string{errCode("title", "validation_required")}},

		// a draft session
		{name: "open a draft", prepare: draftS1, body: `{"status":"active"}`, status: 200, expected: []string{`"status":"active"`},
			notExpected: []string{`"started_at":""`}},
		{name: "complete a draft", prepare: draftS1, body: `{"status":"completed"}`, status: 400, expected: []string{errCode("status", "invalid_transition")}},

		// a completed session is read-only, but may be deleted
		{name: "rename a completed session", prepare: completeS1, body: `{"title":"Again"}`, status: 400,
			expected: []string{errCode("status", "session_completed")}},
		{name: "rename a completed session as superuser", actor: actorSuperuser, prepare: completeS1, body: `{"title":"Again"}`, status: 400,
			expected: []string{errCode("status", "session_completed")}},
		{name: "reopen a completed session", prepare: completeS1, body: `{"status":"active"}`, status: 400,
			expected: []string{errCode("status", "session_completed")}},
		{name: "delete a completed session with its activities", method: http.MethodDelete, status: 204,
			prepare: func(t testing.TB, w *world) {
				createActivity(t, w.app, w.s1, "poker", "")
				createActivity(t, w.app, w.s1, "poll", `{"options":["a","b"]}`)
				completeS1(t, w)
			},
			check: func(t testing.TB, w *world) {
				if n, _ := w.app.CountRecords(c.Activities); n != 0 {
					t.Fatalf("activities left: %d", n)
				}
				if n, _ := w.app.CountRecords(c.Participants); n != 1 { // Cy of S2
					t.Fatalf("participants left: %d, want 1", n)
				}
			}},
	}
	for _, s := range scenarios {
		s.run(t)
	}
}

// TestSessionBatchPath shows the rules hold for the batch API too: it goes
// through the same model hooks.
func TestSessionBatchPath(t *testing.T) {
	w := newWorld(t, config.Default())
	settings := w.app.Settings()
	settings.Batch.Enabled = true
	settings.Batch.MaxRequests = 10
	if err := w.app.Save(settings); err != nil {
		t.Fatal(err)
	}
	(&tests.ApiScenario{
		Method:  http.MethodPost,
		URL:     "/api/batch",
		Headers: w.headers(t, actorOwner),
		Body: strings.NewReader(fmt.Sprintf(`{"requests":[{"method":"PATCH","url":"%s/%s","body":{"status":"draft"}}]}`,
			sessionRecords, w.s1.Id)),
		ExpectedStatus:  400,
		ExpectedContent: []string{`invalid_transition`},
		TestAppFactory:  w.factory,
	}).Test(t)
}

func TestSessionTransitionsInGo(t *testing.T) {
	t.Parallel()
	allowed := map[[2]c.SessionState]bool{
		{c.SessionDraft, c.SessionDraft}:      true,
		{c.SessionDraft, c.SessionActive}:     true,
		{c.SessionActive, c.SessionActive}:    true,
		{c.SessionActive, c.SessionCompleted}: true,
	}
	app := newTestApp(t, config.Default())
	host := createHost(t, app, "a@example.com")
	for _, from := range []c.SessionState{c.SessionDraft, c.SessionActive, c.SessionCompleted} {
		for _, to := range []c.SessionState{c.SessionDraft, c.SessionActive, c.SessionCompleted, "bogus"} {
			for _, noValidate := range []bool{false, true} {
				t.Run(fmt.Sprintf("%s->%s novalidate=%v", from, to, noValidate), func(t *testing.T) {
					s := createSession(t, app, host, from)
					s = refetch(t, app, s)
					s.Set(c.SessionStatus, string(to))
					save := app.Save
					if noValidate {
						save = app.SaveNoValidate
					}
					err := save(s)
					want := "invalid_transition"
					if from == c.SessionCompleted {
						want = "session_completed"
					}
					switch {
					case allowed[[2]c.SessionState{from, to}] && err != nil:
						t.Fatalf("save: %v", err)
					case !allowed[[2]c.SessionState{from, to}] && errFieldCode(err, c.SessionStatus) != want:
						t.Fatalf("save: err = %v, want status %s", err, want)
					}
					if got := refetch(t, app, s).GetString(c.SessionStatus); err != nil && got != string(from) {
						t.Fatalf("stored status = %s after a refused save", got)
					}
				})
			}
		}
	}
}

func TestSessionTimestamps(t *testing.T) {
	app := newTestApp(t, config.Default())
	host := createHost(t, app, "a@example.com")
	s := createSession(t, app, host, c.SessionDraft)
	if s.GetString(c.SessionStatus) != string(c.SessionDraft) {
		t.Fatalf("new session status = %q, want draft", s.GetString(c.SessionStatus))
	}
	if !s.GetDateTime(c.SessionStartedAt).IsZero() || !s.GetDateTime(c.SessionEndedAt).IsZero() {
		t.Fatal("a draft has timestamps")
	}
	setSessionStatus(t, app, s, c.SessionActive)
	s = refetch(t, app, s)
	started := s.GetDateTime(c.SessionStartedAt)
	if started.IsZero() || !s.GetDateTime(c.SessionEndedAt).IsZero() {
		t.Fatalf("active: started_at %v, ended_at %v", started, s.GetDateTime(c.SessionEndedAt))
	}
	s.Set(c.SessionTitle, "Renamed") // active → active keeps started_at
	if err := app.Save(s); err != nil {
		t.Fatal(err)
	}
	setSessionStatus(t, app, s, c.SessionCompleted)
	s = refetch(t, app, s)
	if !s.GetDateTime(c.SessionStartedAt).Equal(started) || s.GetDateTime(c.SessionEndedAt).IsZero() {
		t.Fatalf("completed: started_at %v (was %v), ended_at %v", s.GetDateTime(c.SessionStartedAt), started, s.GetDateTime(c.SessionEndedAt))
	}
}

func TestSessionCompletionExpiresActiveActivity(t *testing.T) {
	w := newWorld(t, config.Default())
	done := createActivity(t, w.app, w.s1, "poker", "")
	running := createActivity(t, w.app, w.s1, "poker", "")
	waiting := createActivity(t, w.app, w.s1, "poker", "")
	setActivityStatus(t, w.app, done, c.ActivityActive)
	setActivityStatus(t, w.app, running, c.ActivityActive)

	t.Run("refused completion keeps the activity running", func(t *testing.T) {
		s := refetch(t, w.app, w.s1)
		s.Set(c.SessionStatus, string(c.SessionCompleted))
		s.Set(c.SessionTitle, strings.Repeat("a", 201))
		if err := w.app.Save(s); errFieldCode(err, c.SessionTitle) == "" {
			t.Fatalf("save: %v, want a title error", err)
		}
		if got := refetch(t, w.app, running).GetString(c.ActivityStatus); got != string(c.ActivityActive) {
			t.Fatalf("activity status = %s, want active (rolled back)", got)
		}
	})

	setSessionStatus(t, w.app, w.s1, c.SessionCompleted)
	r := refetch(t, w.app, running)
	if r.GetString(c.ActivityStatus) != string(c.ActivityExpired) || r.GetDateTime(c.ActivityEndedAt).IsZero() {
		t.Fatalf("running activity: status %s, ended_at %v; want expired with ended_at", r.GetString(c.ActivityStatus), r.GetDateTime(c.ActivityEndedAt))
	}
	if got := refetch(t, w.app, waiting).GetString(c.ActivityStatus); got != string(c.ActivityDraft) {
		t.Fatalf("waiting activity status = %s, want draft", got)
	}
	if got := refetch(t, w.app, done).GetString(c.ActivityStatus); got != string(c.ActivityExpired) {
		t.Fatalf("done activity status = %s, want expired", got)
	}
}

func TestSessionDeleteInGo(t *testing.T) {
	w := newWorld(t, config.Default())
	createActivity(t, w.app, w.s1, "poker", "")
	if err := w.app.Delete(refetch(t, w.app, w.s1)); errFieldCode(err, c.SessionStatus) != "session_active" {
		t.Fatalf("delete active session: err = %v, want session_active", err)
	}
	// A stale copy that still says draft must not get an active session deleted.
	stale := createSession(t, w.app, w.hostA, c.SessionDraft)
	setSessionStatus(t, w.app, stale, c.SessionActive)
	if err := w.app.Delete(stale); errFieldCode(err, c.SessionStatus) != "session_active" {
		t.Fatalf("delete active session through a stale copy: err = %v, want session_active", err)
	}

	completeS1(t, w)
	if err := w.app.Delete(refetch(t, w.app, w.s1)); err != nil {
		t.Fatalf("delete completed session: %v", err)
	}
	if n, _ := w.app.CountRecords(c.Activities); n != 0 {
		t.Fatalf("activities left after the cascade: %d", n)
	}
}

func TestSessionCodes(t *testing.T) {
	app := newTestApp(t, config.Default())
	host := createHost(t, app, "a@example.com")
	valid := regexp.MustCompile(`^[` + c.CodeAlphabet + `]{6}$`)
	seen := map[string]bool{}
	for range 50 {
		s := createSession(t, app, host, c.SessionDraft)
		code := s.GetString(c.SessionCode)
		if !valid.MatchString(code) {
			t.Fatalf("code %q is not 6 letters of %s", code, c.CodeAlphabet)
		}
		if seen[code] {
			t.Fatalf("code %q given twice", code)
		}
		seen[code] = true
	}

	s := createSession(t, app, host, c.SessionDraft)
	code := s.GetString(c.SessionCode)
	for _, input := range []string{code, strings.ToLower(code), " " + strings.ToLower(code[:3]) + code[3:] + " "} {
		found, err := c.FindSessionByCode(app, input)
		if err != nil || found.Id != s.Id {
			t.Fatalf("FindSessionByCode(%q) = %v, %v; want %s", input, found, err, s.Id)
		}
	}
	for _, input := range []string{"", "ZZZZZZZ", "%"} {
		if _, err := c.FindSessionByCode(app, input); !errors.Is(err, sql.ErrNoRows) {
			t.Fatalf("FindSessionByCode(%q): err = %v, want sql.ErrNoRows", input, err)
		}
	}

	// Go code may not change a code either.
	s.Set(c.SessionCode, "ABCDEF")
	if err := app.Save(s); errFieldCode(err, c.SessionCode) != "read_only" {
		t.Fatalf("change code in Go: err = %v, want read_only", err)
	}
}
