package live

import (
	"database/sql"
	"errors"
	"sync"
	"testing"
)

// openActivity adds an activity to a session of the world, as the activity
// hooks tell the hub; current makes it the one the documents show.
func (x *harness) openActivity(sessionID, activityID string, current bool) {
	x.world.mu.Lock()
	x.world.activities[activityID] = sessionID
	x.world.mu.Unlock()
	if current {
		x.world.set(sessionID, func(s *stubSession) { s.activity = activityID })
	}
	x.hub.RememberActivity(activityID, sessionID)
	x.hub.MarkDirty(sessionID)
}

// results reads an activity's results through the hub and returns its
// answer count.
func (x *harness) results(activityID string) int {
	x.t.Helper()
	r, err := x.hub.Results(activityID)
	if err != nil {
		x.t.Fatalf("results of %s: %v", activityID, err)
	}
	return r.Doc["answers"].(int)
}

// Repeated reads build the results once; every change of the session, an
// answer or an activity change, makes the next read build them again, so a
// read never misses a change the live document shows.
func TestResultsCachedUntilTheNextChange(t *testing.T) {
	x := newHarness(t)
	x.open("s1", "ABC234")
	x.openActivity("s1", "a1", false)

	for range 5 {
		if got := x.results("a1"); got != 0 {
			t.Fatalf("answers = %d, want 0", got)
		}
	}
	if got := x.world.resultsBuildCount(); got != 1 {
		t.Fatalf("%d builds for 5 reads without a change, want 1", got)
	}

	x.world.answer("a1")
	x.hub.MarkActivity("a1") // the response trigger
	if got := x.results("a1"); got != 1 {
		t.Fatalf("answers after an answer = %d, want 1", got)
	}
	x.results("a1")
	if got := x.world.resultsBuildCount(); got != 2 {
		t.Fatalf("%d builds after one answer, want 2", got)
	}

	x.hub.MarkDirty("s1") // a reveal, say
	x.results("a1")
	x.hub.MarkTally("s1") // a join
	x.results("a1")
	if got := x.world.resultsBuildCount(); got != 4 {
		t.Fatalf("%d builds after two more changes, want 4", got)
	}

	// A read after the session's state was dropped builds again.
	x.hub.ForgetSession("s1")
	x.results("a1")
	if got := x.world.resultsBuildCount(); got != 5 {
		t.Fatalf("%d builds after the session was dropped, want 5", got)
	}
}

// A change that lands while the results are being built may be missing
// from them: they are not kept, and the next read builds them again.
func TestResultsChangeDuringBuild(t *testing.T) {
	x := newHarness(t)
	x.open("s1", "ABC234")
	x.openActivity("s1", "a1", false)
	once := true
	x.world.onResultsBuild = func(string) {
		if once {
			once = false
			x.world.answer("a1") // committed after the build read
			x.hub.MarkActivity("a1")
		}
	}
	if got := x.results("a1"); got != 0 {
		t.Fatalf("answers = %d, want the state the build read (0)", got)
	}
	if got := x.results("a1"); got != 1 {
		t.Fatalf("answers after the racing change = %d, want 1", got)
	}
	if got := x.world.resultsBuildCount(); got != 2 {
		t.Fatalf("%d builds, want 2", got)
	}
}

// A build of the live document that shows the current activity's public
// results fills the cache: a screen polling the results of the question on
// screen costs no build of its own. Non-public results (the owner's view)
// are built on their own.
func TestResultsFromTheLiveDocument(t *testing.T) {
	x := newHarness(t)
	x.open("s1", "ABC234")
	x.openActivity("s1", "a1", true)
	x.world.answer("a1")
	x.hub.MarkActivity("a1")
	if _, err := x.hub.Snapshot("s1"); err != nil {
		t.Fatal(err)
	}
	r, err := x.hub.Results("a1")
	if err != nil {
		t.Fatal(err)
	}
	if !r.Public || r.SessionID != "s1" || r.Doc["answers"] != 1 {
		t.Fatalf("results = %+v, want public results of s1 with 1 answer", r)
	}
	if got := x.world.resultsBuildCount(); got != 0 {
		t.Fatalf("%d results builds, want 0: the live build read them", got)
	}

	x.world.mu.Lock()
	x.world.private["a1"] = true // e.g. a poll without live results
	x.world.mu.Unlock()
	x.hub.MarkDirty("s1")
	if _, err := x.hub.Snapshot("s1"); err != nil {
		t.Fatal(err)
	}
	if r, err := x.hub.Results("a1"); err != nil || r.Public {
		t.Fatalf("results = %+v, %v; want private results", r, err)
	}
	if got := x.world.resultsBuildCount(); got != 1 {
		t.Fatalf("%d results builds, want 1", got)
	}
}

// An unknown activity is sql.ErrNoRows, and the hub keeps nothing for it.
func TestResultsUnknownActivity(t *testing.T) {
	x := newHarness(t)
	x.open("s1", "ABC234")
	if _, err := x.hub.Results("nope"); !errors.Is(err, sql.ErrNoRows) {
		t.Fatalf("err = %v, want sql.ErrNoRows", err)
	}
	// An activity deleted after it was cached.
	x.openActivity("s1", "a1", false)
	x.results("a1")
	x.world.mu.Lock()
	delete(x.world.activities, "a1")
	x.world.mu.Unlock()
	x.hub.ForgetActivity("a1") // the delete trigger
	x.hub.MarkDirty("s1")
	if _, err := x.hub.Results("a1"); !errors.Is(err, sql.ErrNoRows) {
		t.Fatalf("err after delete = %v, want sql.ErrNoRows", err)
	}
	x.size(1, 1, 0)
}

// A crowd asking for the same results at once costs one build.
func TestResultsCrowdCostsOneBuild(t *testing.T) {
	x := newHarness(t)
	x.open("s1", "ABC234")
	x.openActivity("s1", "a1", false)
	var wg sync.WaitGroup
	for range 50 {
		wg.Go(func() {
			if _, err := x.hub.Results("a1"); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if got := x.world.resultsBuildCount(); got != 1 {
		t.Fatalf("%d builds for 50 concurrent reads, want 1", got)
	}
}

// After Stop (the server is draining) nothing is sent, but reads still
// follow changes.
func TestResultsAfterStop(t *testing.T) {
	x := newHarness(t)
	x.open("s1", "ABC234")
	x.openActivity("s1", "a1", true)
	x.results("a1")
	x.hub.Stop()
	x.world.answer("a1")
	x.hub.MarkActivity("a1")
	if got := x.results("a1"); got != 1 {
		t.Fatalf("answers after Stop = %d, want 1", got)
	}
	if got := x.clock.pending(); got != 0 {
		t.Fatalf("%d timers after Stop", got)
	}
}
