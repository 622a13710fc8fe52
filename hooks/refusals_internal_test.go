package hooks

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	c "conflicto/collections"
	_ "conflicto/migrations"
)

func TestRecordRoute(t *testing.T) {
	scenarios := []struct {
		method, path   string
		name           string
		isCreate, isOK bool
	}{
		{"POST", "/api/collections/responses/records", "responses", true, true},
		{"GET", "/api/collections/responses/records", "responses", false, true},
		{"PATCH", "/api/collections/sessions/records/abc", "sessions", false, true},
		{"POST", "/api/collections/sessions/records/abc", "sessions", false, true},
		{"POST", "/api/collections/users/auth-with-password", "", false, false},
		{"POST", "/api/collections/sessions", "", false, false},
		{"POST", "/api/join", "", false, false},
		{"GET", "/api/collections/a/records/b/c", "", false, false},
	}
	for _, s := range scenarios {
		name, isCreate, ok := recordRoute(httptest.NewRequest(s.method, s.path, nil))
		if name != s.name || isCreate != s.isCreate || ok != s.isOK {
			t.Fatalf("%s %s: %q %v %v, want %q %v %v", s.method, s.path, name, isCreate, ok, s.name, s.isCreate, s.isOK)
		}
	}
}

func TestIsCreateRuleRefusal(t *testing.T) {
	scenarios := []struct {
		err  error
		want bool
	}{
		{apis.NewBadRequestError("Failed to create record", errors.New("create rule failure: sql: no rows in result set")), true},
		{apis.NewBadRequestError("Failed to create record", errors.New("something else")), false},
		{apis.NewBadRequestError("Failed to create record", nil), false},
		{apis.NewForbiddenError("", errors.New("create rule failure")), false},
		{errors.New("create rule failure"), false},
		{nil, false},
	}
	for _, s := range scenarios {
		if got := isCreateRuleRefusal(s.err); got != s.want {
			t.Fatalf("isCreateRuleRefusal(%v) = %v, want %v", s.err, got, s.want)
		}
	}
}

// A request the rule would have let through has nothing to explain: the
// explainers answer nil and the refusal stays PocketBase's (a future rule
// condition they do not know keeps its bare answer rather than a wrong one).
func TestExplainersLeaveWhatTheyCannotExplain(t *testing.T) {
	app, err := tests.NewTestApp(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer app.Cleanup()
	save := func(collection string, fields map[string]any) *core.Record {
		col, err := app.FindCollectionByNameOrId(collection)
		if err != nil {
			t.Fatal(err)
		}
		r := core.NewRecord(col)
		for k, v := range fields {
			r.Set(k, v)
		}
		if col.IsAuth() {
			r.SetRandomPassword()
		}
		if err := app.Save(r); err != nil {
			t.Fatalf("save %s: %v", collection, err)
		}
		return r
	}
	host := save(c.Users, map[string]any{"email": "host@example.com"})
	session := save(c.Sessions, map[string]any{c.SessionTitle: "S", c.SessionOwner: host.Id, c.SessionStatus: "active"})
	act := save(c.Activities, map[string]any{c.ActivitySession: session.Id, c.ActivityType: "poker", c.ActivityTitle: "Q", c.ActivityStatus: "draft"})
	ada := save(c.Participants, map[string]any{c.ParticipantSession: session.Id, c.ParticipantNickname: "Ada", c.ParticipantNicknameKey: "ada"})

	event := func(auth *core.Record) *core.RequestEvent {
		e := &core.RequestEvent{App: app}
		e.Request = httptest.NewRequest(http.MethodPost, "/", nil)
		e.Auth = auth
		return e
	}
	if err := explainSessionCreate(event(host), map[string]any{c.SessionOwner: host.Id}); err != nil {
		t.Fatalf("session: %v", err)
	}
	if err := explainActivityCreate(event(host), map[string]any{c.ActivitySession: session.Id}); err != nil {
		t.Fatalf("activity: %v", err)
	}
	if err := explainQuestionCreate(event(ada), map[string]any{c.QuestionActivity: act.Id}); err != nil {
		t.Fatalf("question: %v", err)
	}
}
