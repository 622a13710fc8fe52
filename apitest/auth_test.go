package apitest_test

import (
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
	"github.com/pocketbase/pocketbase/tools/hook"

	c "conflicto/collections"
	"conflicto/config"
	"conflicto/logging"
	"conflicto/server"
	"conflicto/wire"
)

const (
	opsEmail    = "ops@example.com"
	oldPassword = "first-password-123"
	newPassword = "second-password-456"
)

func TestEnsureSuperuser(t *testing.T) {
	t.Parallel()

	app := newTestApp(t, config.Default())
	defer app.Cleanup()

	steps := []struct {
		name     string
		password string
		reset    bool
		action   server.SuperuserAction
		works    string // the password that logs in afterwards
	}{
		{"first start creates it", oldPassword, false, server.SuperuserCreated, oldPassword},
		{"same password: kept", oldPassword, false, server.SuperuserKept, oldPassword},
		// A password rotated in the dashboard survives a restart.
		{"another password without a reset: kept", newPassword, false, server.SuperuserKept, oldPassword},
		{"another password with a reset replaces it", newPassword, true, server.SuperuserReset, newPassword},
		{"a reset to the same password: kept", newPassword, true, server.SuperuserKept, newPassword},
	}
	for _, s := range steps {
		action, err := server.EnsureSuperuser(app, opsEmail, s.password, s.reset)
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if action != s.action {
			t.Fatalf("%s: action = %q, want %q", s.name, action, s.action)
		}
		checkSuperuserPassword(t, app, s.works)
	}
	checkSuperuserPasswordFails(t, app, oldPassword)

	total, err := app.CountRecords(core.CollectionNameSuperusers)
	if err != nil {
		t.Fatal(err)
	}
	if total != 1 {
		t.Fatalf("%d superusers, want 1", total)
	}
}

// TestSuperuserBootstrapOnRestart starts the server three times on the same
// data dir: first to create the superuser, then with another
// CONFLICTO_SUPERUSER_PASSWORD (a rotation made in the dashboard must not be
// undone by a restart), then with CONFLICTO_SUPERUSER_RESET=true. Each start
// says in the log what it did, never the password.
func TestSuperuserBootstrapOnRestart(t *testing.T) {
	t.Parallel()

	cfg := config.Default()
	cfg.SuperuserEmail, cfg.SuperuserPassword = opsEmail, oldPassword
	logs := &logBuffer{}
	logger := logging.New(logs, slog.LevelInfo, config.LogFormatJSON)
	app := newTestAppWithLogger(t, cfg, logger)

	login := func(name, password string, status int) tests.ApiScenario {
		want := `"status":400`
		if status == http.StatusOK {
			want = `"token":`
		}
		return tests.ApiScenario{
			Name:                  name,
			Method:                http.MethodPost,
			URL:                   "/api/collections/_superusers/auth-with-password",
			Body:                  strings.NewReader(`{"identity":"` + opsEmail + `","password":"` + password + `"}`),
			ExpectedStatus:        status,
			ExpectedContent:       []string{want},
			DisableTestAppCleanup: true,
		}
	}
	// restart stops app and starts another on a copy of its data with cfg.
	restart := func(cfg config.Config) {
		if err := app.ClearBootstrap(); err != nil {
			t.Fatalf("stop the app: %v", err)
		}
		next, err := tests.NewTestApp(app.DataDir())
		app.Cleanup()
		if err != nil {
			t.Fatalf("restart: %v", err)
		}
		wire.App(next, cfg, logger, nil)
		app = next
	}
	defer func() { app.Cleanup() }()

	steps := []struct {
		name         string
		password     string
		reset        bool
		works, fails string
		log          string
	}{
		{"first start creates it", oldPassword, false, oldPassword, newPassword, `"msg":"superuser created"`},
		{"another password, no reset: kept", newPassword, false, oldPassword, newPassword, `"msg":"superuser exists; password left as it is"`},
		{"another password with a reset", newPassword, true, newPassword, oldPassword, `"msg":"superuser password reset to CONFLICTO_SUPERUSER_PASSWORD"`},
	}
	for i, step := range steps {
		logs.Reset()
		if i > 0 {
			cfg.SuperuserPassword, cfg.SuperuserReset = step.password, step.reset
			restart(cfg)
		}
		// One scenario per app: each builds a router whose OnServe hooks stay bound.
		s := login(step.name, step.works, http.StatusOK)
		s.TestAppFactory = func(testing.TB) *tests.TestApp { return app }
		s.AfterTestFunc = func(t testing.TB, app *tests.TestApp, _ *http.Response) {
			checkSuperuserPasswordFails(t, app, step.fails)
		}
		s.Test(t)

		logs.Lines(t) // each line is JSON
		if text := logs.String(); !strings.Contains(text, step.log) || strings.Contains(text, oldPassword) || strings.Contains(text, newPassword) {
			t.Fatalf("%s: want a line with %s and no password, got:\n%s", step.name, step.log, text)
		}
	}
}

func TestSignup(t *testing.T) {
	t.Parallel()

	const body = `{"email":"host@example.com","password":"host-password-1","passwordConfirm":"host-password-1"}`
	open := config.Default()
	open.AllowSignup = true

	scenarios := []struct {
		scenario tests.ApiScenario
		cfg      config.Config
		asAdmin  bool
	}{
		{
			scenario: tests.ApiScenario{
				Name:            "off by default: anonymous sign-up is refused",
				Method:          http.MethodPost,
				URL:             "/api/collections/users/records",
				Body:            strings.NewReader(body),
				ExpectedStatus:  http.StatusForbidden,
				ExpectedContent: []string{`"status":403`},
				ExpectedEvents:  map[string]int{"OnRecordCreate": 0},
			},
			cfg: config.Default(),
		},
		{
			scenario: tests.ApiScenario{
				Name:            "off by default: a superuser still creates hosts",
				Method:          http.MethodPost,
				URL:             "/api/collections/users/records",
				Body:            strings.NewReader(body),
				ExpectedStatus:  http.StatusOK,
				ExpectedContent: []string{`"email":"host@example.com"`},
			},
			cfg:     config.Default(),
			asAdmin: true,
		},
		{
			scenario: tests.ApiScenario{
				Name:            "on with CONFLICTO_ALLOW_SIGNUP: anonymous sign-up works",
				Method:          http.MethodPost,
				URL:             "/api/collections/users/records",
				Body:            strings.NewReader(body),
				ExpectedStatus:  http.StatusOK,
				ExpectedContent: []string{`"collectionName":"users"`},
				ExpectedEvents:  map[string]int{"OnRecordCreate": 1},
			},
			cfg: open,
		},
	}

	for _, s := range scenarios {
		sc := s.scenario
		sc.Headers = map[string]string{}
		sc.TestAppFactory = func(t testing.TB) *tests.TestApp { return newTestApp(t, s.cfg) }
		sc.BeforeTestFunc = func(t testing.TB, app *tests.TestApp, _ *core.ServeEvent) {
			if s.asAdmin {
				sc.Headers["Authorization"] = superuserToken(t, app)
			}
		}
		sc.Test(t)
	}
}

func TestSyncSignupRule(t *testing.T) {
	t.Parallel()

	app := newTestApp(t, config.Default())
	defer app.Cleanup()

	for _, allow := range []bool{true, true, false, false, true} {
		if err := server.SyncSignupRule(app, allow); err != nil {
			t.Fatalf("SyncSignupRule(%v): %v", allow, err)
		}
		users, err := app.FindCollectionByNameOrId("users")
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case allow && (users.CreateRule == nil || *users.CreateRule != ""):
			t.Fatalf("allow: create rule = %v, want public (\"\")", users.CreateRule)
		case !allow && users.CreateRule != nil:
			t.Fatalf("disallow: create rule = %q, want superusers only (nil)", *users.CreateRule)
		}
	}
}

func checkSuperuserPassword(t testing.TB, app core.App, password string) {
	t.Helper()
	record, err := app.FindAuthRecordByEmail(core.CollectionNameSuperusers, opsEmail)
	if err != nil {
		t.Fatalf("find superuser: %v", err)
	}
	if !record.ValidatePassword(password) {
		t.Fatalf("password %q does not work", password)
	}
}

func checkSuperuserPasswordFails(t testing.TB, app core.App, password string) {
	t.Helper()
	record, err := app.FindAuthRecordByEmail(core.CollectionNameSuperusers, opsEmail)
	if err != nil {
		t.Fatalf("find superuser: %v", err)
	}
	if record.ValidatePassword(password) {
		t.Fatalf("old password %q still works", password)
	}
}

// TestInstallerOnlyInDevelopment: PocketBase's installer prints a link with
// a live superuser-creation token to stdout, which outside development is
// the log stream.
func TestInstallerOnlyInDevelopment(t *testing.T) {
	t.Parallel()

	scenarios := []struct {
		env           string
		wantInstaller bool
	}{
		{config.EnvDevelopment, true},
		{config.EnvStaging, false},
		{config.EnvProduction, false},
	}
	for _, s := range scenarios {
		cfg := config.Default()
		cfg.Env = s.env
		sc := tests.ApiScenario{
			Name:            "installer in " + s.env,
			Method:          http.MethodGet,
			URL:             "/api/health",
			ExpectedStatus:  http.StatusOK,
			ExpectedContent: []string{`"code":200`},
			TestAppFactory: func(t testing.TB) *tests.TestApp {
				app := newTestApp(t, cfg)
				// The test app drops the installer first thing (priority
				// -99999); put one back before Conflicto's hooks run.
				app.OnServe().Bind(&hook.Handler[*core.ServeEvent]{
					Priority: -99998,
					Func: func(e *core.ServeEvent) error {
						e.InstallerFunc = func(core.App, *core.Record, string) error { return nil }
						return e.Next()
					},
				})
				return app
			},
			BeforeTestFunc: func(t testing.TB, _ *tests.TestApp, e *core.ServeEvent) {
				if got := e.InstallerFunc != nil; got != s.wantInstaller {
					t.Fatalf("installer kept: %v, want %v", got, s.wantInstaller)
				}
			},
		}
		sc.Test(t)
	}
}

// A participant cannot make the server send mail: not to an address of
// their choosing through an email change, nor through verification or a
// password reset of a participant that has an address. The routes answer
// 404 before looking anything up, whether the address exists or not; the
// hosts' own mail routes keep working.
func TestParticipantsCannotSendMail(t *testing.T) {
	w := newWorld(t, config.Default())
	defer w.app.Cleanup()
	// Only a superuser can give a participant an address; do so, so that
	// the record-finding routes have something to find.
	w.ada.SetEmail("ada@example.com")
	if err := w.app.Save(w.ada); err != nil {
		t.Fatal(err)
	}
	participants, err := w.app.FindCollectionByNameOrId(c.Participants)
	if err != nil {
		t.Fatal(err)
	}
	srv := startServer(t, w.app)
	ada := w.headers(t, actorParticipant)["Authorization"]

	scenarios := []struct {
		path, body, auth string
		status           int
	}{
		{"/api/collections/participants/request-email-change", `{"newEmail":"victim@example.com"}`, ada, 404},
		{"/api/collections/" + participants.Id + "/request-email-change", `{"newEmail":"victim@example.com"}`, ada, 404},
		{"/api/collections/participants/confirm-email-change", `{"token":"x","password":"y"}`, "", 404},
		{"/api/collections/participants/request-verification", `{"email":"ada@example.com"}`, "", 404},
		{"/api/collections/participants/request-verification", `{"email":"nobody@example.com"}`, "", 404},
		{"/api/collections/participants/confirm-verification", `{"token":"x"}`, "", 404},
		{"/api/collections/participants/request-password-reset", `{"email":"ada@example.com"}`, "", 404},
		{"/api/collections/participants/confirm-password-reset", `{"token":"x","password":"1234567890","passwordConfirm":"1234567890"}`, "", 404},
		{"/api/collections/participants/request-otp", `{"email":"ada@example.com"}`, "", 404},
		// The hosts' routes are PocketBase's as ever.
		{"/api/collections/users/request-password-reset", `{"email":"a@example.com"}`, "", 204},
	}
	for _, s := range scenarios {
		res := postJSON(t, srv.URL+s.path, s.body, s.auth)
		if res.status != s.status {
			t.Errorf("POST %s: %d %s, want %d", s.path, res.status, res.body, s.status)
		}
	}
	// The email change sends its mail before answering: none went out.
	for _, m := range w.app.TestMailer.Messages() {
		for _, to := range m.To {
			if to.Address != "a@example.com" {
				t.Errorf("mail sent to %s", to.Address)
			}
		}
	}
}
