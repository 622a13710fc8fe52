package apitest_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/tests"

	c "conflicto/collections"
	"conflicto/config"
)

func TestJoin(t *testing.T) {
	scenarios := []struct {
		name        string
		cfg         func(*config.Config)
		prepare     func(t testing.TB, w *world)
		body        string // CODE is replaced by S1's code, DRAFT/DONE by other sessions' codes
		status      int
		expected    []string
		notExpected []string
	}{
		{name: "success", body: `{"code":"CODE","nickname":"  Grace   Hopper "}`, status: 200,
			expected:    []string{`"token":"`, `"record":{`, `"nickname":"Grace Hopper"`, `"session":{`, `"status":"active"`, `"title":"Keynote"`},
			notExpected: []string{"nickname_key", `"password"`}},
		{name: "code is case-insensitive", body: `{"code":"lower(CODE)","nickname":"Grace"}`, status: 200, expected: []string{`"token":"`}},
		{name: "unknown code", body: `{"code":"ZZZZZZ","nickname":"Grace"}`, status: 404, expected: []string{`"data":{}`}},
		{name: "malformed code", body: `{"code":"AB1","nickname":"Grace"}`, status: 400, expected: []string{`"code":"code_invalid"`}},
		{name: "missing code", body: `{"nickname":"Grace"}`, status: 400, expected: []string{`"code":"code_required"`}},
		{name: "code of wrong type", body: `{"code":123456,"nickname":"Grace"}`, status: 400, expected: []string{`"code":"invalid_type"`}},
		{name: "malformed json", body: `{"code":`, status: 400, expected: []string{errCode("body", "invalid_json")}},
		{name: "draft session", body: `{"code":"DRAFT","nickname":"Grace"}`, status: 409, expected: []string{`"code":"session_not_started"`}},
		{name: "completed session", body: `{"code":"DONE","nickname":"Grace"}`, status: 409, expected: []string{`"code":"session_ended"`}},
		{name: "nickname taken", body: `{"code":"CODE","nickname":"ada"}`, status: 409,
			expected: []string{`"nickname":{`, `"code":"nickname_taken"`, `"suggestion":"ada 2"`}},
		{name: "nickname taken by a look-alike", body: `{"code":"CODE","nickname":"\u0410DA\u200b"}`, status: 409,
			expected: []string{`"code":"nickname_taken"`}},
		{name: "nickname taken in another session is free", body: `{"code":"CODE","nickname":"Cy"}`, status: 200, expected: []string{`"nickname":"Cy"`}},
		{name: "nickname with control character", body: `{"code":"CODE","nickname":"Gr\u0007ace"}`, status: 400, expected: []string{`"code":"nickname_invalid"`}},
		{name: "nickname too long", body: `{"code":"CODE","nickname":"` + strings.Repeat("x", 25) + `"}`, status: 400, expected: []string{`"code":"nickname_length"`}},
		{name: "nickname 24 characters", body: `{"code":"CODE","nickname":"` + strings.Repeat("x", 24) + `"}`, status: 200, expected: []string{`"token":"`}},
		{name: "nickname empty after normalisation", body: `{"code":"CODE","nickname":" \u200b "}`, status: 400, expected: []string{`"code":"nickname_length"`}},
		{name: "nickname of braille blanks", body: `{"code":"CODE","nickname":"\u2800\u2800"}`, status: 400,
			expected: []string{`"code":"nickname_invalid"`, `"message":"Nickname must have at least one visible character."`}},
		{name: "nickname of a lone combining mark", body: `{"code":"CODE","nickname":"\u0301"}`, status: 400, expected: []string{`"code":"nickname_invalid"`}},
		{name: "emoji family stays one", body: `{"code":"CODE","nickname":"\ud83d\udc68\u200d\ud83d\udc69\u200d\ud83d\udc67"}`, status: 200,
			expected: []string{"\"nickname\":\"\U0001F468\u200d\U0001F469\u200d\U0001F467\""}},
		{name: "session max_participants reached", status: 409, body: `{"code":"CODE","nickname":"Grace"}`,
			prepare: func(t testing.TB, w *world) {
				w.s1.Set(c.SessionMaxParticipants, 2)
				if err := w.app.Save(w.s1); err != nil {
					t.Fatal(err)
				}
			},
			expected: []string{`"code":"session_full"`}},
		{name: "server cap reached", status: 409, body: `{"code":"CODE","nickname":"Grace"}`,
			cfg:      func(cfg *config.Config) { cfg.MaxParticipants = 2 },
			expected: []string{`"code":"session_full"`}},
		{name: "session max above server cap: cap wins", status: 409, body: `{"code":"CODE","nickname":"Grace"}`,
			cfg: func(cfg *config.Config) { cfg.MaxParticipants = 2 },
			prepare: func(t testing.TB, w *world) {
				w.s1.Set(c.SessionMaxParticipants, 100)
				if err := w.app.Save(w.s1); err != nil {
					t.Fatal(err)
				}
			},
			expected: []string{`"code":"session_full"`}},
	}
	for _, s := range scenarios {
		t.Run(s.name, func(t *testing.T) {
			cfg := config.Default()
			if s.cfg != nil {
				s.cfg(&cfg)
			}
			w := newWorld(t, cfg)
			draft := createSession(t, w.app, w.hostA, c.SessionDraft)
			done := createSession(t, w.app, w.hostA, c.SessionCompleted)
			if s.prepare != nil {
				s.prepare(t, w)
			}
			code := w.s1.GetString(c.SessionCode)
			body := strings.NewReplacer(
				"lower(CODE)", strings.ToLower(code),
				"CODE", code,
				"DRAFT", draft.GetString(c.SessionCode),
				"DONE", done.GetString(c.SessionCode),
			).Replace(s.body)
			(&tests.ApiScenario{
				Method:             http.MethodPost,
				URL:                "/api/join",
				Body:               strings.NewReader(body),
				ExpectedStatus:     s.status,
				ExpectedContent:    s.expected,
				NotExpectedContent: s.notExpected,
				TestAppFactory:     w.factory,
			}).Test(t)
		})
	}
}

// The token from /api/join works with the unchanged SDK flow: the record
// is readable with it and auth-refresh extends it.
func TestJoinTokenWorks(t *testing.T) {
	w := newWorld(t, config.Default())
	srv := startServer(t, w.app)
	defer w.app.Cleanup()

	res := postJSON(t, srv.URL+"/api/join", `{"code":"`+w.s1.GetString(c.SessionCode)+`","nickname":"Grace"}`, "")
	var joined struct {
		Token  string `json:"token"`
		Record struct {
			ID string `json:"id"`
		} `json:"record"`
	}
	if res.status != 200 || json.Unmarshal(res.body, &joined) != nil || joined.Token == "" {
		t.Fatalf("join: %d %s", res.status, res.body)
	}
	if r := getJSON(t, srv.URL+"/api/collections/participants/records/"+joined.Record.ID, joined.Token); r.status != 200 {
		t.Fatalf("view self with join token: %d %s", r.status, r.body)
	}
	if r := postJSON(t, srv.URL+"/api/collections/participants/auth-refresh", "", joined.Token); r.status != 200 || !strings.Contains(string(r.body), `"token":"`) {
		t.Fatalf("auth-refresh with join token: %d %s", r.status, r.body)
	}
	if r := getJSON(t, srv.URL+"/api/collections/sessions/records/"+w.s1.Id, joined.Token); r.status != 200 {
		t.Fatalf("participant views own session: %d %s", r.status, r.body)
	}
}

func TestJoinCheck(t *testing.T) {
	scenarios := []struct {
		name     string
		query    string
		status   int
		expected []string
	}{
		{"free", "nickname=Grace", 200, []string{`"available":true`, `"nickname":"Grace"`, `"suggestion":null`}},
		{"normalised", "nickname=%20Grace%20%20H%20", 200, []string{`"available":true`, `"nickname":"Grace H"`}},
		{"taken", "nickname=ADA", 200, []string{`"available":false`, `"nickname":"ADA"`, `"suggestion":"ADA 2"`}},
		{"invalid nickname", "nickname=%07", 400, []string{`"code":"nickname_invalid"`}},
		{"unknown code", "nickname=Grace&code=ZZZZZZ", 404, []string{`"data":{}`}},
	}
	for _, s := range scenarios {
		t.Run(s.name, func(t *testing.T) {
			w := newWorld(t, config.Default())
			query := s.query
			if !strings.Contains(query, "code=") {
				query += "&code=" + strings.ToLower(w.s1.GetString(c.SessionCode))
			}
			(&tests.ApiScenario{
				Method:          http.MethodGet,
				URL:             "/api/join/check?" + query,
				ExpectedStatus:  s.status,
				ExpectedContent: s.expected,
				TestAppFactory:  w.factory,
			}).Test(t)
		})
	}
}

// Fifty phones join at once with case variants of one nickname: exactly
// one wins, the others get nickname_taken, and one record exists.
func TestConcurrentJoinsOneNickname(t *testing.T) {
	w := newWorld(t, config.Default())
	defer w.app.Cleanup()
	srv := startServer(t, w.app)
	code := w.s1.GetString(c.SessionCode)

	const n = 50
	statuses := make([]int, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			nick := "grace"
			switch i % 4 {
			case 1:
				nick = "GRACE"
			case 2:
				nick = " Grace\u200b"
			case 3:
				nick = "grаce" // Cyrillic а
			}
			<-start
			statuses[i] = postJSON(t, srv.URL+"/api/join", fmt.Sprintf(`{"code":%q,"nickname":%q}`, code, nick), "").status
		}()
	}
	close(start)
	wg.Wait()

	count := map[int]int{}
	for _, s := range statuses {
		count[s]++
	}
	if count[200] != 1 || count[409] != n-1 {
		t.Fatalf("statuses = %v, want one 200 and %d × 409", count, n-1)
	}
	total, err := w.app.CountRecords(c.Participants)
	if err != nil {
		t.Fatal(err)
	}
	if total != 4 { // Ada, Bob, Cy and the winner
		t.Fatalf("participants = %d, want 4", total)
	}
}

// A join is announced like any saved record: the host's dashboard,
// subscribed to participants, hears of it; nobody else does.
func TestJoinIsAnnouncedToTheHost(t *testing.T) {
	w := newWorld(t, config.Default())
	defer w.app.Cleanup()
	srv := startServer(t, w.app)
	host := openSSE(t, srv.URL)
	host.subscribe(t, srv.URL, w.headers(t, actorOwner)["Authorization"], "participants/*")
	outsider := openSSE(t, srv.URL)
	outsider.subscribe(t, srv.URL, w.headers(t, actorOtherHost)["Authorization"], "participants/*")

	res := postJSON(t, srv.URL+"/api/join", `{"code":"`+w.s1.GetString(c.SessionCode)+`","nickname":"Grace"}`, "")
	if res.status != http.StatusOK {
		t.Fatalf("join: %d %s", res.status, res.body)
	}
	ev := host.next(t, 5*time.Second)
	if ev.name != "participants/*" || !strings.Contains(ev.data, `"action":"create"`) || !strings.Contains(ev.data, `"nickname":"Grace"`) {
		t.Fatalf("host got %s %s, want the create of Grace", ev.name, ev.data)
	}
	if strings.Contains(ev.data, "nickname_key") || strings.Contains(ev.data, "tokenKey") {
		t.Fatalf("the realtime record leaks hidden fields: %s", ev.data)
	}
	if events := outsider.drain(300 * time.Millisecond); len(events) != 0 {
		t.Fatalf("another host heard of the join: %v", events)
	}
}

// A join inserts its participant directly, without Save: it must fire
// exactly what the host's dashboard and the live state listen to (the
// after-create events, once) and no create hook (pinned, so a new rule in
// participants' OnRecordCreate is noticed), and it must stamp created and
// updated, which Save would have filled in.
func TestJoinFiresExactlyTheAfterCreateEvents(t *testing.T) {
	w := newWorld(t, config.Default())
	before := time.Now().UTC().Add(-time.Second)
	(&tests.ApiScenario{
		Method:          http.MethodPost,
		URL:             "/api/join",
		Body:            strings.NewReader(`{"code":"` + w.s1.GetString(c.SessionCode) + `","nickname":"Grace"}`),
		ExpectedStatus:  200,
		ExpectedContent: []string{`"token":"`},
		ExpectedEvents: map[string]int{
			"*":                          0,
			"OnModelAfterCreateSuccess":  1,
			"OnRecordAfterCreateSuccess": 1,
			"OnRecordEnrich":             1,
		},
		TestAppFactory: w.factory,
		AfterTestFunc: func(t testing.TB, app *tests.TestApp, _ *http.Response) {
			p, err := app.FindFirstRecordByData(c.Participants, c.ParticipantNickname, "Grace")
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range []string{c.FieldCreated, c.FieldUpdated} {
				if at := p.GetDateTime(f).Time(); at.Before(before) || at.After(time.Now().Add(time.Second)) {
					t.Errorf("%s = %q, want the join time", f, p.GetString(f))
				}
			}
		},
	}).Test(t)
}

// A body naming a member twice is refused before anything is written (it
// used to be inserted, then answered 500 when PocketBase re-read the body).
func TestJoinRefusesADuplicateMember(t *testing.T) {
	w := newWorld(t, config.Default())
	(&tests.ApiScenario{
		Method:          http.MethodPost,
		URL:             "/api/join",
		Body:            strings.NewReader(`{"code":"` + w.s1.GetString(c.SessionCode) + `","nickname":"A","nickname":"B"}`),
		ExpectedStatus:  400,
		ExpectedContent: []string{`"nickname":{"code":"duplicate_field"`},
		ExpectedEvents:  map[string]int{"*": 0},
		TestAppFactory:  w.factory,
		AfterTestFunc: func(t testing.TB, app *tests.TestApp, _ *http.Response) {
			if n, _ := app.CountRecords(c.Participants, dbx.HashExp{c.ParticipantSession: w.s1.Id}); n != 2 {
				t.Fatalf("%d participants in S1, want the 2 of the world", n)
			}
		},
	}).Test(t)
}
