package hooks

import (
	"errors"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"

	c "conflicto/collections"
)

// serverFault marks err as the server's fault: PocketBase's record handlers
// answer 400 for any error a hook returns unless it is an ApiError.
func serverFault(err error) error {
	return router.NewInternalServerError("", err)
}

// activityUniqueError turns a unique violation from saving an activity into
// the error API.md promises. PocketBase rewrites SQLite's "UNIQUE constraint
// failed: activities.session, activities.position" into validation_not_unique
// errors on the columns, so both the index name and that shape are matched:
// (session, position) is the position index, session alone the partial index
// that allows one active activity per session.
func activityUniqueError(err error) error {
	if err == nil {
		return nil
	}
	switch {
	case isUniqueViolation(err, c.IndexActivityPosition, c.ActivityPosition):
		return invalid(c.ActivityPosition, "position_taken", "Another activity of this session has this position.")
	case isUniqueViolation(err, c.IndexActivityOneActive, c.ActivitySession):
		return conflict(c.ActivityStatus, "activity_conflict", "Another activity of this session is active.", nil)
	}
	return err
}

// routeError is what a custom route answers for an error from saving
// records: ApiErrors as they are, validation errors as 400, anything else
// as the server's fault.
func routeError(e *core.RequestEvent, err error) error {
	var apiErr *router.ApiError
	if errors.As(err, &apiErr) {
		return apiErr
	}
	var errs validation.Errors
	if errors.As(err, &errs) {
		return e.BadRequestError("Failed to save the activities.", errs)
	}
	return e.InternalServerError("", err)
}
