package apitest_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
	"github.com/pocketbase/pocketbase/tools/types"

	c "conflicto/collections"
	"conflicto/config"
	"conflicto/presence"
)

func TestParticipantsCollectionAccess(t *testing.T) {
	type cell struct {
		status      int
		expected    []string
		notExpected []string
	}
	records := "/api/collections/participants/records"
	scenarios := []struct {
		op     string
		method string
		url    func(w *world) string
		body   string
		want   map[string]cell
	}{
		{
			op: "list", method: http.MethodGet, url: func(*world) string { return records },
			want: map[string]cell{
				actorAnonymous:   {200, []string{`"totalItems":0`}, nil},
				actorParticipant: {200, []string{`"totalItems":0`}, nil},
				actorOutsider:    {200, []string{`"totalItems":0`}, nil},
				actorOwner:       {200, []string{`"totalItems":2`, `"nickname":"Ada"`, `"nickname":"Bob"`, `"presence":"online"`}, []string{`"Cy"`, "nickname_key"}},
				actorOtherHost:   {200, []string{`"totalItems":1`, `"nickname":"Cy"`}, []string{`"Ada"`}},
				actorSuperuser:   {200, []string{`"totalItems":3`}, nil},
			},
		},
		{
			op: "view Ada", method: http.MethodGet, url: func(w *world) string { return records + "/" + w.ada.Id },
			want: map[string]cell{
				actorAnonymous:   {404, []string{`"data":{}`}, nil},
				actorParticipant: {200, []string{`"nickname":"Ada"`}, []string{"nickname_key"}},
				actorOutsider:    {404, []string{`"data":{}`}, nil},
				actorOwner:       {200, []string{`"nickname":"Ada"`, `"presence":"online"`}, []string{"nickname_key"}},
				actorOtherHost:   {404, []string{`"data":{}`}, nil},
				actorSuperuser:   {200, []string{`"nickname":"Ada"`}, nil},
			},
		},
		{
			op: "view Bob", method: http.MethodGet, url: func(w *world) string { return records + "/" + w.bob.Id },
			want: map[string]cell{
				actorParticipant: {404, []string{`"data":{}`}, nil}, // a participant sees only themselves
			},
		},
		{
			op: "create", method: http.MethodPost, url: func(*world) string { return records },
			body: `{"session":"SESSION","nickname":"Eve","password":"1234567890","passwordConfirm":"1234567890"}`,
			want: map[string]cell{
				actorAnonymous:   {403, []string{`"data":{}`}, nil},
				actorParticipant: {403, []string{`"data":{}`}, nil},
				actorOutsider:    {403, []string{`"data":{}`}, nil},
				actorOwner:       {403, []string{`"data":{}`}, nil},
				actorOtherHost:   {403, []string{`"data":{}`}, nil},
			},
		},
		{
			op: "update", method: http.MethodPatch, url: func(w *world) string { return records + "/" + w.ada.Id },
			body: `{"nickname":"Queen"}`,
			want: map[string]cell{
				actorAnonymous:   {403, []string{`"data":{}`}, nil},
				actorParticipant: {403, []string{`"data":{}`}, nil},
				actorOutsider:    {403, []string{`"data":{}`}, nil},
				actorOwner:       {403, []string{`"data":{}`}, nil},
				actorOtherHost:   {403, []string{`"data":{}`}, nil},
			},
		},
		{
			op: "delete (kick) Ada", method: http.MethodDelete, url: func(w *world) string { return records + "/" + w.ada.Id },
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
		for _, actor := range append(allActors, actorParticipant2) {
			want, ok := s.want[actor]
			if !ok {
				continue
			}
			t.Run(s.op+" as "+actor, func(t *testing.T) {
				w := newWorld(t, config.Default())
				(&tests.ApiScenario{
					Method:             s.method,
					URL:                s.url(w),
					Body:               strings.NewReader(strings.ReplaceAll(s.body, "SESSION", w.s1.Id)),
					Headers:            w.headers(t, actor),
					ExpectedStatus:     want.status,
					ExpectedContent:    want.expected,
					NotExpectedContent: want.notExpected,
					TestAppFactory:     w.factory,
				}).Test(t)
			})
		}
	}
}

func TestParticipantPasswordLoginIsDisabled(t *testing.T) {
	w := newWorld(t, config.Default())
	(&tests.ApiScenario{
		Method:          http.MethodPost,
		URL:             "/api/collections/participants/auth-with-password",
		Body:            strings.NewReader(`{"identity":"` + w.ada.Id + `","password":"whatever123"}`),
		ExpectedStatus:  403,
		ExpectedContent: []string{`"data":{}`},
		TestAppFactory:  w.factory,
	}).Test(t)
}

func TestKickRevokesAccess(t *testing.T) {
	w := newWorld(t, config.Default())
	defer w.app.Cleanup()
	srv := startServer(t, w.app)
	adaToken := token(t, w.ada)
	if r := postJSON(t, srv.URL+"/api/participants/heartbeat", "", adaToken); r.status != 204 {
		t.Fatalf("heartbeat before the kick: %d %s", r.status, r.body)
	}
	if err := w.app.Delete(w.ada); err != nil {
		t.Fatal(err)
	}
	for _, url := range []string{"/api/participants/heartbeat", "/api/collections/participants/auth-refresh"} {
		if r := postJSON(t, srv.URL+url, "", adaToken); r.status != 401 {
			t.Fatalf("%s after the kick: %d %s, want 401", url, r.status, r.body)
		}
	}
}

func TestNicknameNormalisedOnEverySave(t *testing.T) {
	w := newWorld(t, config.Default())
	defer w.app.Cleanup()
	p := createParticipant(t, w.app, w.s2, "  Grace \u200b  Hopper ")
	if got := p.GetString(c.ParticipantNickname); got != "Grace Hopper" {
		t.Fatalf("nickname stored as %q, want %q", got, "Grace Hopper")
	}
	if p.GetString(c.ParticipantNicknameKey) == "" {
		t.Fatal("nickname_key not set")
	}

	col, _ := w.app.FindCollectionByNameOrId(c.Participants)
	dup := core.NewRecord(col)
	dup.Set(c.ParticipantSession, w.s1.Id)
	dup.Set(c.ParticipantNickname, "АDA") // Cyrillic А, upper case
	dup.SetRandomPassword()
	err := w.app.Save(dup)
	if err == nil || !strings.Contains(strings.ToLower(err.Error()), "unique") {
		t.Fatalf("saving a colliding nickname in Go code: err = %v, want a unique violation", err)
	}

	bad := core.NewRecord(col)
	bad.Set(c.ParticipantSession, w.s1.Id)
	bad.Set(c.ParticipantNickname, "tab\there")
	bad.SetRandomPassword()
	if err := w.app.Save(bad); err == nil || !strings.Contains(err.Error(), "nickname") {
		t.Fatalf("saving a nickname with a control character: err = %v, want a nickname error", err)
	}
}

func TestHeartbeat(t *testing.T) {
	scenarios := []struct {
		name     string
		actor    string
		lastSeen time.Duration // age of last_seen before the call
		status   int
		written  bool
	}{
		{"anonymous", actorAnonymous, time.Hour, 401, false},
		{"host", actorOwner, time.Hour, 403, false},
		{"superuser", actorSuperuser, time.Hour, 403, false},
		{"participant, stale", actorParticipant, 15 * time.Second, 204, true},
		{"participant, fresh: no write within 10 s", actorParticipant, 5 * time.Second, 204, false},
	}
	for _, s := range scenarios {
		t.Run(s.name, func(t *testing.T) {
			w := newWorld(t, config.Default())
			before, _ := types.ParseDateTime(time.Now().Add(-s.lastSeen))
			w.ada.Set(c.ParticipantLastSeen, before)
			if err := w.app.Save(w.ada); err != nil {
				t.Fatal(err)
			}
			(&tests.ApiScenario{
				Method:         http.MethodPost,
				URL:            "/api/participants/heartbeat",
				Headers:        w.headers(t, s.actor),
				ExpectedStatus: s.status,
				ExpectedContent: func() []string {
					if s.status == 204 {
						return nil
					}
					return []string{`"data":{}`}
				}(),
				TestAppFactory: w.factory,
				AfterTestFunc: func(t testing.TB, app *tests.TestApp, _ *http.Response) {
					// Signs of life are written in batches: write this one now.
					if err := presence.Of(app).Flush(); err != nil {
						t.Fatal(err)
					}
					got, err := app.FindRecordById(c.Participants, w.ada.Id)
					if err != nil {
						t.Fatal(err)
					}
					changed := got.GetDateTime(c.ParticipantLastSeen).String() != before.String()
					if changed != s.written {
						t.Fatalf("last_seen written = %v, want %v", changed, s.written)
					}
				},
			}).Test(t)
		})
	}
}

func TestPresenceOnHostRead(t *testing.T) {
	scenarios := []struct {
		age  time.Duration
		want string
	}{
		{5 * time.Second, "online"},
		{time.Minute, "idle"},
		{10 * time.Minute, "offline"},
	}
	for _, s := range scenarios {
		t.Run(s.want, func(t *testing.T) {
			w := newWorld(t, config.Default())
			seen, _ := types.ParseDateTime(time.Now().Add(-s.age))
			w.ada.Set(c.ParticipantLastSeen, seen)
			if err := w.app.Save(w.ada); err != nil {
				t.Fatal(err)
			}
			(&tests.ApiScenario{
				Method:          http.MethodGet,
				URL:             "/api/collections/participants/records/" + w.ada.Id,
				Headers:         w.headers(t, actorOwner),
				ExpectedStatus:  200,
				ExpectedContent: []string{`"presence":"` + s.want + `"`},
				TestAppFactory:  w.factory,
			}).Test(t)
		})
	}
}
