package apitest_test

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
	"github.com/pocketbase/pocketbase/tools/router"
	"github.com/pocketbase/pocketbase/tools/types"

	c "conflicto/collections"
	"conflicto/config"
	"conflicto/internal/testkit"
	_ "conflicto/migrations"
	"conflicto/wire"
)

// newTestApp returns a real PocketBase test app on an empty data dir with
// Conflicto's migrations applied and its hooks registered with cfg.
func newTestApp(t testing.TB, cfg config.Config) *tests.TestApp {
	t.Helper()
	return newTestAppWithLogger(t, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
}

// migratedDir is a data dir with every migration applied, made once per
// test binary: each test app clones it instead of migrating from scratch.
var migratedDir = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "conflicto-migrated-")
	if err != nil {
		return "", err
	}
	app := core.NewBaseApp(core.BaseAppConfig{DataDir: dir})
	if err := app.Bootstrap(); err != nil {
		return "", err
	}
	defer app.ClearBootstrap()
	if err := app.RunAllMigrations(); err != nil {
		return "", err
	}
	// Hosts' and superusers' passwords at the minimum bcrypt cost: tests
	// create many of them and the cost is not what they test.
	for _, name := range []string{c.Users, core.CollectionNameSuperusers} {
		col, err := app.FindCollectionByNameOrId(name)
		if err != nil {
			return "", err
		}
		col.Fields.GetByName(core.FieldNamePassword).(*core.PasswordField).Cost = 4
		if err := app.Save(col); err != nil {
			return "", err
		}
	}
	return dir, nil
})

func TestMain(m *testing.M) {
	code := m.Run()
	if dir, err := migratedDir(); err == nil {
		os.RemoveAll(dir)
	}
	os.Exit(code)
}

func newTestAppWithLogger(t testing.TB, cfg config.Config, logger *slog.Logger) *tests.TestApp {
	t.Helper()
	dir, err := migratedDir()
	if err != nil {
		t.Fatalf("migrated data dir: %v", err)
	}
	app, err := tests.NewTestApp(dir)
	if err != nil {
		t.Fatalf("new test app: %v", err)
	}
	wire.App(app, cfg, logger, nil)
	return app
}

// buildMux is app's router as apis.Serve builds it, served in process so a
// request body can be watched as it is read.
func buildMux(t testing.TB, app *tests.TestApp) http.Handler {
	t.Helper()
	mux, err := testkit.Mux(app)
	if err != nil {
		t.Fatal(err)
	}
	return mux
}

// startServer serves app's real router (OnServe hooks included) on a
// loopback httptest server, for tests that need concurrent requests.
func startServer(t testing.TB, app *tests.TestApp) *httptest.Server {
	t.Helper()
	return startServerOn(t, app, nil)
}

// startServerOn is startServer with its listener wrapped by wrap (nil for
// none), for tests that watch the server's side of connections.
func startServerOn(t testing.TB, app *tests.TestApp, wrap func(net.Listener) net.Listener) *httptest.Server {
	t.Helper()
	mux := buildMux(t, app)
	srv := httptest.NewUnstartedServer(mux)
	if wrap != nil {
		srv.Listener = wrap(srv.Listener)
	}
	srv.Start()
	t.Cleanup(srv.Close)
	return srv
}

// httpResult is a response read whole, for the tests that talk to a
// started server (startServer) rather than through ApiScenario.
type httpResult struct {
	status int
	body   []byte
}

func postJSON(t testing.TB, url, body, auth string) httpResult {
	return doJSON(t, http.MethodPost, url, body, auth)
}

func getJSON(t testing.TB, url, auth string) httpResult {
	return doJSON(t, http.MethodGet, url, "", auth)
}

func doJSON(t testing.TB, method, url, body, auth string) httpResult {
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Error(err)
		return httpResult{}
	}
	req.Header.Set("Content-Type", "application/json")
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Error(err)
		return httpResult{}
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return httpResult{res.StatusCode, b}
}

// The world: actors and a small populated app.

// Actors every access table covers.
const (
	actorAnonymous    = "anonymous"
	actorParticipant  = "participant of S1"
	actorOutsider     = "participant of S2"
	actorOwner        = "host A (owner of S1)"
	actorOtherHost    = "host B"
	actorSuperuser    = "superuser"
	actorParticipant2 = "other participant of S1"
)

var allActors = []string{actorAnonymous, actorParticipant, actorOutsider, actorOwner, actorOtherHost, actorSuperuser}

// world is a small populated app: host A owns the active session S1 with
// participants Ada and Bob; host B owns the active session S2 with Cy.
type world struct {
	app                *tests.TestApp
	hostA, hostB, root *core.Record
	s1, s2             *core.Record
	ada, bob, cy       *core.Record
}

func newWorld(t testing.TB, cfg config.Config) *world {
	t.Helper()
	return newWorldOn(t, newTestApp(t, cfg))
}

// newWorldOn populates app, a fresh test app, with the world.
func newWorldOn(t testing.TB, app *tests.TestApp) *world {
	t.Helper()
	w := &world{app: app}
	w.hostA = createHost(t, w.app, "a@example.com")
	w.hostB = createHost(t, w.app, "b@example.com")
	w.root = createSuperuser(t, w.app)
	w.s1 = createSession(t, w.app, w.hostA, c.SessionActive)
	w.s2 = createSession(t, w.app, w.hostB, c.SessionActive)
	w.ada = createParticipant(t, w.app, w.s1, "Ada")
	w.bob = createParticipant(t, w.app, w.s1, "Bob")
	w.cy = createParticipant(t, w.app, w.s2, "Cy")
	return w
}

// headers returns the Authorization header of actor.
func (w *world) headers(t testing.TB, actor string) map[string]string {
	t.Helper()
	var r *core.Record
	switch actor {
	case actorAnonymous:
		return nil
	case actorParticipant:
		r = w.ada
	case actorParticipant2:
		r = w.bob
	case actorOutsider:
		r = w.cy
	case actorOwner:
		r = w.hostA
	case actorOtherHost:
		r = w.hostB
	case actorSuperuser:
		r = w.root
	default:
		t.Fatalf("unknown actor %q", actor)
	}
	return map[string]string{"Authorization": token(t, r)}
}

// factory hands the world's app to an ApiScenario (which cleans it up).
func (w *world) factory(testing.TB) *tests.TestApp { return w.app }

// ownerGuardStatus is what every owner-only custom route answers actor
// (one guard, PocketBase's policy): 200 for the owner and superusers, 401
// without a token, 403 for whoever may see the session but not run it (a
// participant of it), 404 for everyone else.
func ownerGuardStatus(actor string) int {
	switch actor {
	case actorOwner, actorSuperuser:
		return 200
	case actorAnonymous:
		return 401
	case actorParticipant:
		return 403
	}
	return 404
}

// Fixtures: records made through Go saves.

// Test fixtures: real records saved through app.Save, so every hook runs.

func createHost(t testing.TB, app *tests.TestApp, email string) *core.Record {
	t.Helper()
	users, err := app.FindCollectionByNameOrId(c.Users)
	if err != nil {
		t.Fatal(err)
	}
	r := core.NewRecord(users)
	r.SetEmail(email)
	r.SetPassword("1234567890")
	if err := app.Save(r); err != nil {
		t.Fatalf("create host %s: %v", email, err)
	}
	return r
}

func createSuperuser(t testing.TB, app *tests.TestApp) *core.Record {
	t.Helper()
	su, err := app.FindCollectionByNameOrId(core.CollectionNameSuperusers)
	if err != nil {
		t.Fatal(err)
	}
	r := core.NewRecord(su)
	r.SetEmail("root@example.com")
	r.SetPassword("1234567890")
	if err := app.Save(r); err != nil {
		t.Fatalf("create superuser: %v", err)
	}
	return r
}

// token returns a valid auth token for an auth record.
func token(t testing.TB, r *core.Record) string {
	t.Helper()
	tok, err := r.NewAuthToken()
	if err != nil {
		t.Fatalf("token for %s: %v", r.Id, err)
	}
	return tok
}

// createSession creates a draft session of owner and walks it to status.
func createSession(t testing.TB, app *tests.TestApp, owner *core.Record, status c.SessionState) *core.Record {
	t.Helper()
	col, err := app.FindCollectionByNameOrId(c.Sessions)
	if err != nil {
		t.Fatal(err)
	}
	s := core.NewRecord(col)
	s.Set(c.SessionTitle, "Keynote")
	s.Set(c.SessionOwner, owner.Id)
	if err := app.Save(s); err != nil {
		t.Fatalf("create session: %v", err)
	}
	for _, next := range []c.SessionState{c.SessionActive, c.SessionCompleted} {
		if s.GetString(c.SessionStatus) == string(status) {
			break
		}
		s.Set(c.SessionStatus, string(next))
		if err := app.Save(s); err != nil {
			t.Fatalf("session to %s: %v", next, err)
		}
	}
	return s
}

// createActivity appends a draft activity to session.
func createActivity(t testing.TB, app *tests.TestApp, session *core.Record, typ, config string) *core.Record {
	t.Helper()
	col, err := app.FindCollectionByNameOrId(c.Activities)
	if err != nil {
		t.Fatal(err)
	}
	a := core.NewRecord(col)
	a.Set(c.ActivitySession, session.Id)
	a.Set(c.ActivityType, typ)
	a.Set(c.ActivityTitle, "Question "+typ)
	a.Set(c.ActivityConfig, config)
	if err := app.Save(a); err != nil {
		t.Fatalf("create activity: %v", err)
	}
	return a
}

// createParticipant adds a participant to session directly (hooks run),
// bypassing the join route.
func createParticipant(t testing.TB, app *tests.TestApp, session *core.Record, nickname string) *core.Record {
	t.Helper()
	col, err := app.FindCollectionByNameOrId(c.Participants)
	if err != nil {
		t.Fatal(err)
	}
	p := core.NewRecord(col)
	p.Set(c.ParticipantSession, session.Id)
	p.Set(c.ParticipantNickname, nickname)
	p.Set(c.ParticipantLastSeen, types.NowDateTime())
	p.SetRandomPassword()
	if err := app.Save(p); err != nil {
		t.Fatalf("create participant %q: %v", nickname, err)
	}
	return p
}

// Shared checks and shortcuts.

// errCode is how a field error with code appears in a response body.
func errCode(field, code string) string {
	return fmt.Sprintf(`"%s":{"code":%q`, field, code)
}

// errFieldCode returns the code of the error on field from a Go save: a
// validation error or an ApiError carrying field errors ("" when none).
func errFieldCode(err error, field string) string {
	var errs validation.Errors
	if errors.As(err, &errs) {
		if fe, ok := errs[field].(validation.Error); ok {
			return fe.Code()
		}
	}
	var apiErr *router.ApiError
	if errors.As(err, &apiErr) {
		if fe, ok := apiErr.RawData().(map[string]error)[field].(interface{ Code() string }); ok {
			return fe.Code()
		}
	}
	return ""
}

// fill replaces the world's placeholders in s: S1, S2 (sessions), S1CODE
// (its join code), HOSTA, HOSTB, and A1, A2, ... for acts (B1 for an
// activity of S2).
func fill(w *world, s string, acts ...*core.Record) string {
	pairs := []string{"HOSTA", w.hostA.Id, "HOSTB", w.hostB.Id, "S1CODE", w.s1.GetString(c.SessionCode), "S1", w.s1.Id, "S2", w.s2.Id}
	for i, a := range acts {
		name := fmt.Sprintf("A%d", i+1)
		if a.GetString(c.ActivitySession) == w.s2.Id {
			name = "B1"
		}
		pairs = append(pairs, name, a.Id)
	}
	return strings.NewReplacer(pairs...).Replace(s)
}

func fillAll(w *world, list []string, acts ...*core.Record) []string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = fill(w, s, acts...)
	}
	return out
}

// refetch loads r again from the database.
func refetch(t testing.TB, app core.App, r *core.Record) *core.Record {
	t.Helper()
	fresh, err := app.FindRecordById(r.Collection(), r.Id)
	if err != nil {
		t.Fatalf("refetch %s: %v", r.Id, err)
	}
	return fresh
}

// setSessionStatus walks session to status through app.Save.
func setSessionStatus(t testing.TB, app core.App, session *core.Record, status c.SessionState) {
	t.Helper()
	session = refetch(t, app, session)
	session.Set(c.SessionStatus, string(status))
	if err := app.Save(session); err != nil {
		t.Fatalf("session %s to %s: %v", session.Id, status, err)
	}
}

// setActivityStatus moves act to status through app.Save.
func setActivityStatus(t testing.TB, app core.App, act *core.Record, status c.ActivityState) {
	t.Helper()
	act = refetch(t, app, act)
	act.Set(c.ActivityStatus, string(status))
	if err := app.Save(act); err != nil {
		t.Fatalf("activity %s to %s: %v", act.Id, status, err)
	}
}
