package apitest_test

import (
	"net/http"
	"regexp"
	"testing"
	"time"

	c "conflicto/collections"
	"conflicto/config"
)

// An advance changes two activities (expire one, activate the next) and a
// description change shows nowhere public: each subscriber must get exactly one
// message for the advance and none for the heartbeat, since every message
// is sent to thousands of phones.
func TestLiveOneMessagePerVisibleChange(t *testing.T) {
	w := newWorld(t, config.Default())
	defer w.app.Cleanup()
	first := createActivity(t, w.app, w.s1, "poll", pollConfig)
	second := createActivity(t, w.app, w.s1, "poker", pokerConfig)
	activate(t, w.app, first)
	base := startServer(t, w.app).URL

	screen := openSSE(t, base)
	screen.subscribe(t, base, "", "live/"+codeOf(w.s1))
	screen.next(t, 5*time.Second) // the welcome

	res := postJSON(t, base+"/api/sessions/"+w.s1.Id+"/advance", "", w.headers(t, actorOwner)["Authorization"])
	if res.status != http.StatusOK {
		t.Fatalf("advance: %d %s", res.status, res.body)
	}
	// An advance saves two activities (two changes, coalesced): the screen
	// hears of it, ends on the new activity, and never gets the same
	// document twice. (On a loaded machine the two marks may straddle a
	// flush, so an intermediate state may show; a duplicate may not.)
	events := screen.drain(700 * time.Millisecond)
	if len(events) == 0 {
		t.Fatal("no message after an advance")
	}
	seen := map[string]bool{}
	for _, ev := range events {
		doc := versionPattern.ReplaceAllString(ev.data, "")
		if seen[doc] {
			t.Fatalf("the same document twice after one advance: %s", ev.data)
		}
		seen[doc] = true
	}
	if s := decodeLive(t, []byte(events[len(events)-1].data)); s.Activity == nil || s.Activity["id"] != second.Id {
		t.Fatalf("the last message does not show the new activity: %s", events[len(events)-1].data)
	}

	// The description is not part of the public document.
	s1 := refetch(t, w.app, w.s1)
	s1.Set(c.SessionDescription, "Only the host sees this")
	if err := w.app.Save(s1); err != nil {
		t.Fatal(err)
	}
	if events := screen.drain(500 * time.Millisecond); len(events) != 0 {
		t.Fatalf("messages after an invisible change = %d, want 0", len(events))
	}
}

// versionPattern matches a live document's version, the one member that
// differs between two sends of the same state.
var versionPattern = regexp.MustCompile(`"version":\d+`)
