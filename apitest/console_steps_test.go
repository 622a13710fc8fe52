package apitest_test

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	c "conflicto/collections"
	"conflicto/config"
)

// The console's Next names the activity it activates, so that a double
// click or a second console showing the same state repeats the same step
// instead of taking another one: activating an activity that is already
// active changes nothing, and one that has already run is refused.
func TestConsoleNextIsIdempotent(t *testing.T) {
	t.Parallel()
	w := newWorld(t, config.Default())
	first := createActivity(t, w.app, w.s1, "poll", pollConfig)
	second := createActivity(t, w.app, w.s1, "poker", pokerConfig)
	third := createActivity(t, w.app, w.s1, "poker", pokerConfig)
	activate(t, w.app, first)
	srv := startServer(t, w.app)
	tok := token(t, w.hostA)
	url := srv.URL + "/api/collections/activities/records/"

	// Two consoles (or a double click) both press Next while "first" runs.
	var wg sync.WaitGroup
	statuses := make([]int, 2)
	for i := range statuses {
		wg.Add(1)
		go func() {
			defer wg.Done()
			statuses[i] = doJSON(t, http.MethodPatch, url+second.Id, `{"status":"active"}`, tok).status
		}()
	}
	wg.Wait()
	if fmt.Sprint(statuses) != "[200 200]" {
		t.Fatalf("two activations of the same next activity: %v", statuses)
	}
	started := refetch(t, w.app, second).GetString(c.ActivityStartedAt)
	for act, want := range map[string]c.ActivityState{first.Id: c.ActivityExpired, second.Id: c.ActivityActive, third.Id: c.ActivityDraft} {
		r, err := w.app.FindRecordById(c.Activities, act)
		if err != nil {
			t.Fatal(err)
		}
		if got := r.GetString(c.ActivityStatus); got != string(want) {
			t.Fatalf("activity %s is %s, want %s: a repeated Next skipped", act, got, want)
		}
	}
	// Once more, later: still nothing changes.
	if res := doJSON(t, http.MethodPatch, url+second.Id, `{"status":"active"}`, tok); res.status != 200 {
		t.Fatalf("repeated activation: %d %s", res.status, res.body)
	}
	if got := refetch(t, w.app, second).GetString(c.ActivityStartedAt); got != started {
		t.Fatalf("a repeated activation restarted the activity: %s, then %s", started, got)
	}
	// A console that missed a step cannot send the run back.
	res := doJSON(t, http.MethodPatch, url+first.Id, `{"status":"active"}`, tok)
	if res.status != 400 || !strings.Contains(string(res.body), errCode("status", "invalid_transition")) {
		t.Fatalf("activating an expired activity: %d %s", res.status, res.body)
	}
	// Reveal twice: the same state.
	for range 2 {
		if res := doJSON(t, http.MethodPatch, url+second.Id, `{"revealed":true}`, tok); res.status != 200 {
			t.Fatalf("reveal: %d %s", res.status, res.body)
		}
	}
	if !refetch(t, w.app, second).GetBool(c.ActivityRevealed) || refetch(t, w.app, third).GetBool(c.ActivityRevealed) {
		t.Fatal("reveal changed the wrong activity")
	}
}
