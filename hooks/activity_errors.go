package hooks

import (
	"conflicto/apierr"
	c "conflicto/collections"
)

// activityUniqueError turns a unique violation from saving an activity into
// the error docs/API.md promises. PocketBase rewrites SQLite's "UNIQUE constraint
// failed: activities.session, activities.position" into validation_not_unique
// errors on the columns, so both the index name and that shape are matched:
// (session, position) is the position index, session alone the partial index
// that allows one active activity per session.
func activityUniqueError(err error) error {
	if err == nil {
		return nil
	}
	switch {
	case apierr.IsUniqueViolation(err, c.IndexActivityPosition, c.ActivityPosition):
		return apierr.Invalid(c.ActivityPosition, "position_taken", "Another activity of this session has this position.")
	case apierr.IsUniqueViolation(err, c.IndexActivityOneActive, c.ActivitySession):
		return apierr.Conflict(c.ActivityStatus, "activity_conflict", "Another activity of this session is active.", nil)
	}
	return err
}
