package server

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/pocketbase/pocketbase/core"
)

// ReadyPath is the readiness endpoint; GET /api/health (PocketBase's own)
// stays the liveness endpoint.
const ReadyPath = "/api/ready"

// readyTimeout bounds the readiness checks: a database that has not
// answered a read by then counts as down.
const readyTimeout = 2 * time.Second

// Readiness check values.
const (
	statusReady       = "ready"
	statusUnavailable = "unavailable"
	checkOK           = "ok"
)

// readiness is the body of GET /api/ready.
type readiness struct {
	Status string          `json:"status"`
	Checks readinessChecks `json:"checks"`
}

type readinessChecks struct {
	Database   string `json:"database"`
	Migrations string `json:"migrations"`
}

// registerHealth adds GET /api/ready: 200 when the database answers a read
// and every registered migration is applied, 503 naming the failing check
// otherwise.
func registerHealth(app core.App) {
	app.OnServe().BindFunc(func(e *core.ServeEvent) error {
		e.Router.GET(ReadyPath, func(re *core.RequestEvent) error {
			ctx, cancel := context.WithTimeout(re.Request.Context(), readyTimeout)
			defer cancel()

			body := checkReadiness(ctx, re.App)
			status := http.StatusOK
			if body.Status != statusReady {
				status = http.StatusServiceUnavailable
			}
			re.Response.Header().Set("Cache-Control", "no-store")
			return re.JSON(status, body)
		})
		return e.Next()
	})
}

func checkReadiness(ctx context.Context, app core.App) readiness {
	body := readiness{Status: statusReady, Checks: readinessChecks{Database: checkOK, Migrations: checkOK}}

	if err := pingDatabase(ctx, app); err != nil {
		body.Status = statusUnavailable
		body.Checks.Database = "error: " + err.Error()
		body.Checks.Migrations = "unknown: database unavailable"
		return body
	}

	pending, err := pendingMigrations(ctx, app)
	switch {
	case err != nil:
		body.Status = statusUnavailable
		body.Checks.Migrations = "error: " + err.Error()
	case pending > 0:
		body.Status = statusUnavailable
		body.Checks.Migrations = fmt.Sprintf("pending: %d", pending)
	}
	return body
}

// pingDatabase runs a read on the pool that serves the API's reads.
func pingDatabase(ctx context.Context, app core.App) error {
	var one int
	if err := app.ConcurrentDB().NewQuery("SELECT 1").WithContext(ctx).Row(&one); err != nil {
		return fmt.Errorf("select 1: %w", err)
	}
	return nil
}

// pendingMigrations counts the registered migrations (PocketBase's and
// ours) that the migrations table does not list as applied.
func pendingMigrations(ctx context.Context, app core.App) (int, error) {
	var applied []string
	err := app.ConcurrentDB().Select("file").
		From(core.DefaultMigrationsTable).
		WithContext(ctx).
		Column(&applied)
	if err != nil {
		return 0, fmt.Errorf("read %s: %w", core.DefaultMigrationsTable, err)
	}

	done := make(map[string]bool, len(applied))
	for _, f := range applied {
		done[f] = true
	}
	pending := 0
	for _, list := range []core.MigrationsList{core.SystemMigrations, core.AppMigrations} {
		for _, m := range list.Items() {
			if !done[m.File] {
				pending++
			}
		}
	}
	return pending, nil
}
