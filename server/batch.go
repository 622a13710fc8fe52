package server

import (
	"net/http"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"

	c "conflicto/collections"
)

// PocketBase runs the sub-requests of a batch (POST /api/batch) through the
// record handlers only, not through the router (apis/batch.go,
// processInternalRequest): no route middleware sees them — not the
// per-participant write limit, the record body limits, the strict bodies
// nor the dead-token 401. A participant never needs a batch (one answer per
// activity, changed one at a time), so participants are refused outright:
// counting the writes inside would still leave the other middlewares
// bypassed. The batch route also lifts PocketBase's body limit to apply its
// own inside the handler, after the strict-body check would have read the
// whole body: the limit is applied here first, and a disabled batch API
// (the default) answers at once, without reading a byte.

// batchPath is PocketBase's batch route.
const batchPath = "/api/batch"

// defaultBatchBodyLimit is PocketBase's limit when the settings give none.
const defaultBatchBodyLimit = 128 << 20

func registerBatchGuard(app core.App) {
	app.OnServe().BindFunc(func(e *core.ServeEvent) error {
		e.Router.Bind(&hook.Handler[*core.RequestEvent]{
			Id: "conflictoBatchGuard",
			// Once the token is read (and dropped when its session has
			// ended), before any body limit or body check.
			Priority: apis.DefaultRateLimitMiddlewarePriority + 2,
			Func:     guardBatch,
		})
		return e.Next()
	})
}

func guardBatch(e *core.RequestEvent) error {
	if e.Request.URL.Path != batchPath || e.Request.Method != http.MethodPost {
		return e.Next()
	}
	if e.Auth != nil && e.Auth.Collection().Name == c.Participants {
		return apis.NewForbiddenError("Participants cannot send batch requests; send each write on its own.", nil)
	}
	batch := e.App.Settings().Batch
	if !batch.Enabled || batch.MaxRequests <= 0 {
		// PocketBase's own answer, before the body is read.
		return apis.NewForbiddenError("Batch requests are not allowed.", nil)
	}
	limit := batch.MaxBodySize
	if limit <= 0 {
		limit = defaultBatchBodyLimit
	}
	return apis.BodyLimit(limit).Func(e)
}
