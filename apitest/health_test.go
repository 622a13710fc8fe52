package apitest_test

import (
	"net/http"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"conflicto/config"
)

func TestReady(t *testing.T) {
	t.Parallel()

	scenarios := []tests.ApiScenario{
		{
			Name:           "database answers and every migration is applied",
			Method:         http.MethodGet,
			URL:            "/api/ready",
			ExpectedStatus: http.StatusOK,
			ExpectedContent: []string{
				`{"status":"ready","checks":{"database":"ok","migrations":"ok"}}`,
			},
			AfterTestFunc: func(t testing.TB, _ *tests.TestApp, res *http.Response) {
				if got := res.Header.Get("Cache-Control"); got != "no-store" {
					t.Fatalf("Cache-Control = %q, want no-store", got)
				}
			},
		},
		{
			Name:   "closed database",
			Method: http.MethodGet,
			URL:    "/api/ready",
			BeforeTestFunc: func(t testing.TB, app *tests.TestApp, _ *core.ServeEvent) {
				if err := app.ConcurrentDB().(*dbx.DB).Close(); err != nil {
					t.Fatalf("close the read pool: %v", err)
				}
			},
			ExpectedStatus: http.StatusServiceUnavailable,
			ExpectedContent: []string{
				`"status":"unavailable"`,
				`"database":"error: select 1: sql: database is closed"`,
				`"migrations":"unknown`,
			},
		},
		{
			Name:   "one migration pending",
			Method: http.MethodGet,
			URL:    "/api/ready",
			BeforeTestFunc: func(t testing.TB, app *tests.TestApp, _ *core.ServeEvent) {
				forgetMigrations(t, app, core.SystemMigrations.Items()[0].File)
			},
			ExpectedStatus: http.StatusServiceUnavailable,
			ExpectedContent: []string{
				`{"status":"unavailable","checks":{"database":"ok","migrations":"pending: 1"}}`,
			},
		},
		{
			Name:   "two migrations pending, one of them an app migration",
			Method: http.MethodGet,
			URL:    "/api/ready",
			BeforeTestFunc: func(t testing.TB, app *tests.TestApp, _ *core.ServeEvent) {
				forgetMigrations(t, app,
					core.SystemMigrations.Items()[0].File,
					core.AppMigrations.Items()[len(core.AppMigrations.Items())-1].File,
				)
			},
			ExpectedStatus: http.StatusServiceUnavailable,
			ExpectedContent: []string{
				`{"status":"unavailable","checks":{"database":"ok","migrations":"pending: 2"}}`,
			},
		},
		{
			Name:           "liveness stays PocketBase's",
			Method:         http.MethodGet,
			URL:            "/api/health",
			ExpectedStatus: http.StatusOK,
			ExpectedContent: []string{
				`"message":"API is healthy."`,
			},
		},
	}

	for _, s := range scenarios {
		s.TestAppFactory = func(t testing.TB) *tests.TestApp {
			return newTestApp(t, config.Default())
		}
		s.Test(t)
	}
}

// forgetMigrations deletes the given files from the migrations table, as
// if they had never been applied.
func forgetMigrations(t testing.TB, app core.App, files ...string) {
	t.Helper()
	for _, f := range files {
		res, err := app.NonconcurrentDB().Delete(core.DefaultMigrationsTable, dbx.HashExp{"file": f}).Execute()
		if err != nil {
			t.Fatalf("delete migration %s: %v", f, err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			t.Fatalf("migration %s was not recorded as applied", f)
		}
	}
}
