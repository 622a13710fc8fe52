package apitest_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	c "conflicto/collections"
	"conflicto/config"
	"conflicto/server"
)

// TestDatabaseFaultsAreServerFaults: when the database fails under a
// request (a table that has gone, a stored config that no longer parses),
// the answer is a 500 (the server's fault, logged), never a 4xx that blames
// the client, never a panic. The fault is made after the world is built,
// so each request meets it at its first query of that table.
// Stand-ins for a table name: the fault is a stored config that no longer
// parses (A1's poll, P1's poker round).
const (
	corruptConfig      = "corrupt config"
	corruptPokerConfig = "corrupt poker config"
)

func TestDatabaseFaultsAreServerFaults(t *testing.T) {
	t.Parallel()
	const (
		post  = http.MethodPost
		get   = http.MethodGet
		patch = http.MethodPatch
		del   = http.MethodDelete
	)
	scenarios := []struct {
		name, gone         string // the table that fails (or corruptConfig)
		actor, method, url string
		body               string
	}{
		// a stored config that no longer parses (A1's)
		{name: "results of a corrupt config", gone: corruptConfig, actor: actorOwner, method: get, url: "/api/activities/A1/results"},
		{name: "export csv of a corrupt config", gone: corruptConfig, actor: actorOwner, method: get, url: "/api/sessions/S1/export?format=csv"},
		{name: "export json of a corrupt config", gone: corruptConfig, actor: actorOwner, method: get, url: "/api/sessions/S1/export"},
		{name: "an answer to a corrupt config", gone: corruptConfig, actor: actorParticipant, method: post, url: "/api/collections/responses/records",
			body: `{"activity":"A1","participant":"ADA","value":{"choices":[0]}}`},
		{name: "duplicate of a corrupt config", gone: corruptConfig, actor: actorOwner, method: post, url: "/api/sessions/S1/duplicate"},
		{name: "reset of a corrupt config", gone: corruptPokerConfig, actor: actorOwner, method: post, url: "/api/activities/P1/reset"},
		// routes
		{name: "export json", gone: c.Responses, actor: actorOwner, method: get, url: "/api/sessions/S1/export"},
		{name: "export csv", gone: c.Responses, actor: actorOwner, method: get, url: "/api/sessions/S1/export?format=csv"},
		{name: "export's participants", gone: c.Participants, actor: actorOwner, method: get, url: "/api/sessions/S1/export"},
		{name: "export's activities", gone: c.Activities, actor: actorOwner, method: get, url: "/api/sessions/S1/export"},
		{name: "export csv's activities", gone: c.Activities, actor: actorOwner, method: get, url: "/api/sessions/S1/export?format=csv"},
		{name: "leaderboard", gone: c.Responses, actor: actorOwner, method: get, url: "/api/sessions/S1/leaderboard"},
		{name: "results", gone: c.Responses, actor: actorOwner, method: get, url: "/api/activities/A1/results"},
		{name: "results' session (not public: the owner is looked up)", gone: c.Sessions, actor: actorOwner, method: get, url: "/api/activities/P1/results"},
		{name: "reset", gone: c.Responses, actor: actorOwner, method: post, url: "/api/activities/P1/reset"},
		{name: "reset's guard", gone: c.Sessions, actor: actorOwner, method: post, url: "/api/activities/P1/reset"},
		{name: "advance", gone: c.Activities, actor: actorOwner, method: post, url: "/api/sessions/S1/advance"},
		{name: "advance's guard", gone: c.Sessions, actor: actorOwner, method: post, url: "/api/sessions/S1/advance"},
		{name: "duplicate", gone: c.Activities, actor: actorOwner, method: post, url: "/api/sessions/S1/duplicate"},
		{name: "duplicate's guard", gone: c.Sessions, actor: actorOwner, method: post, url: "/api/sessions/S1/duplicate"},
		{name: "reorder", gone: c.Activities, actor: actorOwner, method: post, url: "/api/sessions/S1/reorder", body: `{"activities":["A1","P1"]}`},
		{name: "join", gone: c.Participants, actor: actorAnonymous, method: post, url: "/api/join", body: `{"code":"S1CODE","nickname":"Eve"}`},
		{name: "join's session", gone: c.Sessions, actor: actorAnonymous, method: post, url: "/api/join", body: `{"code":"S1CODE","nickname":"Eve"}`},
		{name: "join check", gone: c.Participants, actor: actorAnonymous, method: get, url: "/api/join/check?code=S1CODE&nickname=Eve"},
		{name: "ban", gone: c.Participants, actor: actorOwner, method: post, url: "/api/participants/BOB/ban"},
		{name: "ban's guard", gone: c.Sessions, actor: actorOwner, method: post, url: "/api/participants/BOB/ban"},
		{name: "a participant create, its session's blocked words", gone: c.Sessions, actor: actorSuperuser, method: post,
			url: "/api/collections/participants/records", body: `{"session":"S1","nickname":"Eve","password":"a-password","passwordConfirm":"a-password"}`},
		{name: "live", gone: c.Sessions, actor: actorAnonymous, method: get, url: "/api/live/S1CODE"},
		{name: "live, the document", gone: c.Activities, actor: actorAnonymous, method: get, url: "/api/live/S1CODE"},
		// record rules
		{name: "an answer", gone: c.Activities, actor: actorParticipant, method: post, url: "/api/collections/responses/records",
			body: `{"activity":"A1","participant":"ADA","value":{"choices":[0]}}`},
		{name: "a session update", gone: c.Activities, actor: actorOwner, method: patch, url: "/api/collections/sessions/records/S1",
			body: `{"status":"completed"}`},
		{name: "an activity update", gone: c.Sessions, actor: actorSuperuser, method: patch, url: "/api/collections/activities/records/A1",
			body: `{"title":"Renamed"}`},
		{name: "an activity delete", gone: c.Sessions, actor: actorSuperuser, method: del, url: "/api/collections/activities/records/P1"},
		{name: "a session delete", gone: c.Activities, actor: actorSuperuser, method: del, url: "/api/collections/sessions/records/SD"},
		{name: "an activity create", gone: c.Sessions, actor: actorSuperuser, method: post, url: "/api/collections/activities/records",
			body: `{"session":"S1","type":"poker","title":"Q"}`},
		{name: "an activity create, its position", gone: c.Activities, actor: actorSuperuser, method: post, url: "/api/collections/activities/records",
			body: `{"session":"S1","type":"poker","title":"Q"}`},
		{name: "a session create, its code", gone: c.Sessions, actor: actorSuperuser, method: post, url: "/api/collections/sessions/records",
			body: `{"title":"Q","owner":"HOSTA"}`},
		{name: "an activity create refused by the rule, explained", gone: c.Sessions, actor: actorOtherHost, method: post,
			url: "/api/collections/activities/records", body: `{"session":"S1","type":"poker","title":"Q"}`},
	}
	for _, s := range scenarios {
		t.Run(s.name, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t, config.Default())
			a1 := createActivity(t, w.app, w.s1, "poll", pollConfig)
			p1 := createActivity(t, w.app, w.s1, "poker", pokerConfig)
			activate(t, w.app, a1)
			saveResponse(t, w.app, a1, w.ada, `{"choices":[0]}`)
			draft := createSession(t, w.app, w.hostA, c.SessionDraft)
			createActivity(t, w.app, draft, "poker", pokerConfig) // the delete cascades to it
			fill := func(v string) string {
				return strings.NewReplacer("S1CODE", w.s1.GetString(c.SessionCode), "S1", w.s1.Id, "SD", draft.Id,
					"A1", a1.Id, "P1", p1.Id, "ADA", w.ada.Id, "BOB", w.bob.Id, "HOSTA", w.hostA.Id).Replace(v)
			}
			(&tests.ApiScenario{
				Method:  s.method,
				URL:     fill(s.url),
				Body:    strings.NewReader(fill(s.body)),
				Headers: w.headers(t, s.actor),
				BeforeTestFunc: func(t testing.TB, app *tests.TestApp, _ *core.ServeEvent) {
					q := "ALTER TABLE {{" + s.gone + "}} RENAME TO {{" + s.gone + "_gone}}"
					switch s.gone {
					case corruptConfig:
						q = fill(`UPDATE {{activities}} SET [[config]] = '{"cards":1}' WHERE [[id]] = 'A1'`)
					case corruptPokerConfig:
						q = fill(`UPDATE {{activities}} SET [[config]] = '{"cards":1}' WHERE [[id]] = 'P1'`)
					}
					if _, err := app.DB().NewQuery(q).Execute(); err != nil {
						t.Fatal(err)
					}
				},
				ExpectedStatus:  500,
				ExpectedContent: []string{`"status":500`},
				TestAppFactory:  w.factory,
			}).Test(t)
		})
	}
}

// The start-up syncs fail loudly on a broken database (serve then refuses
// to start) instead of carrying on half done.
func TestStartupSyncFaults(t *testing.T) {
	t.Parallel()
	scenarios := []struct {
		name, gone string
		sync       func(app core.App) error
	}{
		{"superuser", core.CollectionNameSuperusers, func(app core.App) error {
			_, err := server.EnsureSuperuser(app, "ops@example.com", "a-long-password", false)
			return err
		}},
		{"settings", "_params", func(app core.App) error {
			_, err := server.BrandSettings(app, "https://live.example.com")
			return err
		}},
	}
	for _, s := range scenarios {
		t.Run(s.name, func(t *testing.T) {
			t.Parallel()
			app := newTestApp(t, config.Default())
			defer app.Cleanup()
			if _, err := app.DB().NewQuery("ALTER TABLE {{" + s.gone + "}} RENAME TO {{" + s.gone + "_gone}}").Execute(); err != nil {
				t.Fatal(err)
			}
			if err := s.sync(app); err == nil {
				t.Fatalf("%s: no error on a broken database", s.name)
			}
		})
	}
}

// A record deleted underneath a writer (another request, another task)
// is not saved again: every update hook reads the stored row first and
// fails when it is gone, whatever the collection.
func TestUpdateOfARecordDeletedUnderneath(t *testing.T) {
	t.Parallel()
	w := newWorld(t, config.Default())
	defer w.app.Cleanup()
	a1 := createActivity(t, w.app, w.s1, "poll", pollConfig)
	activate(t, w.app, a1)
	r1 := saveResponse(t, w.app, a1, w.ada, `{"choices":[0]}`)

	b1 := createActivity(t, w.app, w.s2, "poll", pollConfig)
	gone := createActivity(t, w.app, w.s1, "poker", pokerConfig)

	for _, r := range []*core.Record{refetch(t, w.app, r1), refetch(t, w.app, w.bob), refetch(t, w.app, a1), refetch(t, w.app, w.s2)} {
		name := r.Collection().Name
		if _, err := w.app.DB().NewQuery("DELETE FROM {{" + name + "}} WHERE [[id]] = {:id}").Bind(map[string]any{"id": r.Id}).Execute(); err != nil {
			t.Fatal(err)
		}
		switch name {
		case c.Responses:
			r.Set(c.ResponseValue, `{"choices":[1]}`)
		case c.Participants:
			r.Set(c.ParticipantNickname, "Robert")
		default:
			r.Set("title", "Renamed")
		}
		if err := w.app.Save(r); err == nil {
			t.Fatalf("%s: an update of a deleted record succeeded", name)
		}
		if _, err := w.app.FindRecordById(name, r.Id); err == nil {
			t.Fatalf("%s: the deleted record is back", name)
		}
	}
	// An activity whose session went (S2 above) cannot be saved: its
	// session relation names nothing.
	b1.Set(c.ActivityTitle, "Renamed")
	if err := w.app.Save(b1); err == nil {
		t.Fatal("an activity of a deleted session was saved")
	}
	// Deleting what is already gone is not an error of ours.
	if _, err := w.app.DB().NewQuery("DELETE FROM {{activities}} WHERE [[id]] = {:id}").Bind(map[string]any{"id": gone.Id}).Execute(); err != nil {
		t.Fatal(err)
	}
	_ = w.app.Delete(gone)
	if _, err := w.app.FindRecordById(c.Activities, gone.Id); err == nil {
		t.Fatal("the deleted activity is back")
	}
}

// Go code may create a session with a code of its own (a migration, an
// import); REST may not (read_only). The unique index still applies.
func TestGoCodeMaySetASessionCode(t *testing.T) {
	t.Parallel()
	w := newWorld(t, config.Default())
	defer w.app.Cleanup()
	col, err := w.app.FindCollectionByNameOrId(c.Sessions)
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []bool{true, false} { // the second takes a taken code
		s := core.NewRecord(col)
		s.Set(c.SessionTitle, fmt.Sprint("Imported ", i))
		s.Set(c.SessionOwner, w.hostA.Id)
		s.Set(c.SessionCode, "HJKLM2")
		if err := w.app.Save(s); (err == nil) != want {
			t.Fatalf("save %d: err = %v, want success %v", i, err, want)
		}
		if want && s.GetString(c.SessionCode) != "HJKLM2" {
			t.Fatalf("code = %q, want the one given", s.GetString(c.SessionCode))
		}
	}
}
