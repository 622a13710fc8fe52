package hooks

import (
	"errors"
	"net/http"
	"testing"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"

	"conflicto/apierr"
	c "conflicto/collections"
)

// TestActivityUniqueErrorOnRealViolations stores, without Conflicto's hooks,
// what the unique indexes refuse, and checks that SQLite's errors as
// PocketBase returns them map to the codes docs/API.md promises.
func TestActivityUniqueErrorOnRealViolations(t *testing.T) {
	app := bareApp(t)
	host := bareRecord(t, app, c.Users, map[string]any{"email": "a@example.com"})
	session := bareRecord(t, app, c.Sessions, map[string]any{
		c.SessionTitle: "S", c.SessionOwner: host.Id, c.SessionStatus: "active", c.SessionCode: "AAAAAA",
	})
	activity := func(position int, status c.ActivityState) map[string]any {
		return map[string]any{
			c.ActivitySession: session.Id, c.ActivityType: "poker", c.ActivityTitle: "Q",
			c.ActivityPosition: position, c.ActivityStatus: string(status),
		}
	}
	bareRecord(t, app, c.Activities, activity(1, c.ActivityActive))
	col, err := app.FindCollectionByNameOrId(c.Activities)
	if err != nil {
		t.Fatal(err)
	}

	t.Run("position", func(t *testing.T) {
		r := core.NewRecord(col)
		r.Load(activity(1, c.ActivityDraft))
		err := activityUniqueError(app.Save(r))
		var errs validation.Errors
		if !errors.As(err, &errs) || errs[c.ActivityPosition] == nil || errs[c.ActivityPosition].(validation.Error).Code() != "position_taken" {
			t.Fatalf("err = %v, want position_taken", err)
		}
	})
	t.Run("second active activity", func(t *testing.T) {
		r := core.NewRecord(col)
		r.Load(activity(2, c.ActivityActive))
		err := activityUniqueError(app.Save(r))
		var apiErr *router.ApiError
		if !errors.As(err, &apiErr) || apiErr.Status != http.StatusConflict {
			t.Fatalf("err = %v, want a 409", err)
		}
		if fe, ok := apiErr.RawData().(map[string]error)[c.ActivityStatus].(apierr.FieldError); !ok || fe.Code() != "activity_conflict" {
			t.Fatalf("data = %#v, want status.code activity_conflict", apiErr.RawData())
		}
	})
	t.Run("other errors pass through", func(t *testing.T) {
		in := errors.New("disk on fire")
		if err := activityUniqueError(in); err != in {
			t.Fatalf("err = %v, want the error unchanged", err)
		}
		if err := activityUniqueError(nil); err != nil {
			t.Fatalf("err = %v, want nil", err)
		}
	})
}
