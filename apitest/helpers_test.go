package apitest_test

import (
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	c "conflicto/collections"
	"conflicto/config"
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
	r, err := apis.NewRouter(app)
	if err != nil {
		t.Fatal(err)
	}
	event := new(core.ServeEvent)
	event.App = app
	event.Router = r
	var mux http.Handler
	err = app.OnServe().Trigger(event, func(e *core.ServeEvent) error {
		m, err := e.Router.BuildMux()
		mux = m
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
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
