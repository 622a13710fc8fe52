package presence_test

import (
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	c "conflicto/collections"
	_ "conflicto/migrations"
	"conflicto/presence"
)

// participant is an unsaved participant record with id: the writer only
// needs its id and last_seen.
func participant(t *testing.T, app core.App, id string, lastSeen time.Time) *core.Record {
	t.Helper()
	col, err := app.FindCollectionByNameOrId(c.Participants)
	if err != nil {
		t.Fatal(err)
	}
	r := core.NewRecord(col)
	r.Id = id
	if !lastSeen.IsZero() {
		r.Set(c.ParticipantLastSeen, lastSeen)
	}
	return r
}

// TestWriter: signs of life gather in memory and are written by Flush; a
// fresh last_seen is not written again; a database fault is an error (and
// a log line when the timer or the terminate hook flushes); after the
// terminate hook nothing more is gathered.
func TestWriter(t *testing.T) {
	app, err := tests.NewTestApp(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer app.Cleanup()
	w := presence.New(app, time.Hour) // no timer flush during the test
	if presence.Of(app) != w {
		t.Fatal("Of does not return the app's writer")
	}

	if err := w.Flush(); err != nil {
		t.Fatalf("an empty flush: %v", err)
	}
	w.Touch(participant(t, app, "fresh", time.Now())) // seen a moment ago: nothing to write
	w.Touch(participant(t, app, "p1", time.Time{}))
	if err := w.Flush(); err != nil { // p1 does not exist: the update touches no row
		t.Fatalf("flush: %v", err)
	}

	w.Touch(participant(t, app, "p2", time.Time{}))
	if _, err := app.DB().NewQuery("ALTER TABLE {{" + c.Participants + "}} RENAME TO {{gone}}").Execute(); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err == nil || !strings.Contains(err.Error(), "last_seen") {
		t.Fatalf("flush on a broken database: %v, want an error about last_seen", err)
	}

	w.Touch(participant(t, app, "p3", time.Time{}))
	if err := app.OnTerminate().Trigger(&core.TerminateEvent{App: app}); err != nil {
		t.Fatal(err)
	}
	w.Touch(participant(t, app, "p4", time.Time{})) // after close: ignored
	if err := w.Flush(); err != nil {
		t.Fatalf("nothing should be pending after close: %v", err)
	}
}
