package hooks_test

import (
	"io"
	"log/slog"
	"testing"

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
