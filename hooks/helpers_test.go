package hooks_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"conflicto/config"
	"conflicto/hooks"
	_ "conflicto/migrations"
)

// newTestApp returns a real PocketBase test app on an empty data dir with
// Conflicto's migrations applied and its hooks registered with cfg.
func newTestApp(t testing.TB, cfg config.Config) *tests.TestApp {
	t.Helper()
	return newTestAppWithLogger(t, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
}

func newTestAppWithLogger(t testing.TB, cfg config.Config, logger *slog.Logger) *tests.TestApp {
	t.Helper()
	app, err := tests.NewTestApp(t.TempDir())
	if err != nil {
		t.Fatalf("new test app: %v", err)
	}
	hooks.Register(app, cfg, logger, nil)
	return app
}

// startServer serves app's real router (OnServe hooks included) on a
// loopback httptest server, for tests that need concurrent requests.
func startServer(t testing.TB, app *tests.TestApp) *httptest.Server {
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
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}
