package hooks

import (
	"errors"
	"fmt"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"

	"conflicto/apierr"
)

// stored returns r as the database holds it. Record.Original is not enough
// in model hooks: it is blank for a record created in memory and saved, and
// stale after a second save of the same object.
func stored(app core.App, r *core.Record) (*core.Record, error) {
	old, err := app.FindRecordById(r.Collection(), r.Id)
	if err != nil {
		return nil, apierr.ServerFault(fmt.Errorf("load stored %s %s: %w", r.Collection().Name, r.Id, err))
	}
	return old, nil
}

// inTransaction runs fn — which must call e.Next() — in one transaction,
// with e.App set to the transaction's app while it runs. It restores e.App
// afterwards: PocketBase hands e.App to the after-success hooks (realtime
// broadcasts, the live state), which run after the commit and would
// otherwise query through a finished transaction and fail silently.
func inTransaction(e *core.RecordEvent, fn func(tx core.App) error) error {
	original := e.App
	defer func() { e.App = original }()
	return e.App.RunInTransaction(func(tx core.App) error {
		e.App = tx
		return fn(tx)
	})
}

// faultUnlessClients passes on what the client can fix (validation errors,
// API errors, which the hooks and PocketBase's checks return) and marks
// anything else as the server's fault: PocketBase's record handlers answer
// 400 for any error, so a failed cascade would blame the client.
func faultUnlessClients(err error) error {
	var apiErr *router.ApiError
	var verrs validation.Errors
	if err == nil || errors.As(err, &apiErr) || errors.As(err, &verrs) {
		return err
	}
	return apierr.ServerFault(err)
}
