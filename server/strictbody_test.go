package server_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
	"github.com/pocketbase/pocketbase/tools/types"

	c "conflicto/collections"
	"conflicto/config"
	"conflicto/internal/testkit"
	_ "conflicto/migrations"
	"conflicto/server"
)

// A field added to a collection at runtime is accepted by record writes,
// with the JSON type its field type takes, without a change to the code;
// so are the fields of a collection added at runtime. Anything else is
// still refused by name.
func TestStrictBodyFollowsTheSchema(t *testing.T) {
	app, err := tests.NewTestApp(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer app.Cleanup()
	server.Register(app, config.Config{}, slog.New(slog.NewTextHandler(io.Discard, nil)), nil)
	mux := buildMux(t, app)

	users, err := app.FindCollectionByNameOrId(c.Users)
	if err != nil {
		t.Fatal(err)
	}
	host := core.NewRecord(users)
	host.SetEmail("host@example.com")
	host.SetPassword("a-long-password")
	if err := app.Save(host); err != nil {
		t.Fatal(err)
	}
	token, err := host.NewAuthToken()
	if err != nil {
		t.Fatal(err)
	}
	createSession := func(room string) (int, string) {
		return do(t, mux, http.MethodPost, "/api/collections/"+c.Sessions+"/records", token,
			`{"title":"Retro","status":"draft","owner":"`+host.Id+`",`+room+`}`)
	}

	if status, body := createSession(`"room":"B12"`); status != 400 || !strings.Contains(body, `"room":{"code":"unknown_field"`) {
		t.Fatalf("before the field exists: %d %s, want 400 room unknown_field", status, body)
	}

	sessions, err := app.FindCollectionByNameOrId(c.Sessions)
	if err != nil {
		t.Fatal(err)
	}
	sessions.Fields.Add(&core.TextField{Name: "room", Max: 20})
	if err := app.Save(sessions); err != nil {
		t.Fatal(err)
	}

	status, body := createSession(`"room":"B12"`)
	if status != 200 || !strings.Contains(body, `"room":"B12"`) {
		t.Fatalf("with the field added: %d %s, want 200 with the room", status, body)
	}
	for _, tc := range []struct{ member, code string }{
		{`"room":12`, `"room":{"code":"invalid_type"`},
		{`"room":"B\n12"`, `"room":{"code":"invalid_type"`}, // a short text is one line
		{`"rooom":"B12"`, `"rooom":{"code":"unknown_field"`},
	} {
		if status, body := createSession(tc.member); status != 400 || !strings.Contains(body, tc.code) {
			t.Errorf("%s: %d %s, want 400 with %s", tc.member, status, body, tc.code)
		}
	}

	notes := core.NewBaseCollection("notes")
	notes.CreateRule = types.Pointer("")
	notes.Fields.Add(&core.TextField{Name: "text"}, &core.NumberField{Name: "weight"})
	if err := app.Save(notes); err != nil {
		t.Fatal(err)
	}
	url := "/api/collections/notes/records"
	if status, body := do(t, mux, http.MethodPost, url, "", `{"text":"one\ntwo","weight":1.5}`); status != 200 {
		t.Fatalf("note: %d %s, want 200", status, body)
	}
	for _, tc := range []struct{ body, code string }{
		{`{"text":"x","mood":"calm"}`, `"mood":{"code":"unknown_field"`},
		{`{"weight":"1.5"}`, `"weight":{"code":"invalid_type"`},
	} {
		if status, body := do(t, mux, http.MethodPost, url, "", tc.body); status != 400 || !strings.Contains(body, tc.code) {
			t.Errorf("note %s: %d %s, want 400 with %s", tc.body, status, body, tc.code)
		}
	}
}

// buildMux builds app's router with its OnServe hooks, as apis.Serve does.
func buildMux(t *testing.T, app core.App) http.Handler {
	t.Helper()
	mux, err := testkit.Mux(app)
	if err != nil {
		t.Fatal(err)
	}
	return mux
}

func do(t *testing.T, mux http.Handler, method, url, token, body string) (int, string) {
	t.Helper()
	req := httptest.NewRequest(method, url, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", token)
	}
	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, req)
	return rec.Code, rec.Body.String()
}
