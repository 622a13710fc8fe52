package apitest_test

import (
	"net/http"
	"testing"
	"time"

	"conflicto/config"
)

// A kick closes the kicked participant's realtime connections at once (the
// phone reconnects and finds its `me` gone); the others', and a screen's,
// stay open and get the new count.
func TestKickClosesTheParticipantsRealtime(t *testing.T) {
	w := newWorld(t, config.Default())
	defer w.app.Cleanup()
	base := startServer(t, w.app).URL
	topic := "live/" + codeOf(w.s1)
	ada, ada2, bob, screen := openSSE(t, base), openSSE(t, base), openSSE(t, base), openSSE(t, base)
	ada.subscribe(t, base, token(t, w.ada), topic)
	ada2.subscribe(t, base, token(t, w.ada), topic) // a second tab
	bob.subscribe(t, base, token(t, w.bob), topic)
	screen.subscribe(t, base, "", topic)
	for _, cl := range []*sseClient{ada, ada2, bob, screen} {
		cl.next(t, 5*time.Second) // the welcome
	}

	kicked := time.Now()
	res := doJSON(t, http.MethodDelete, base+"/api/collections/participants/records/"+w.ada.Id, "", token(t, w.hostA))
	if res.status != http.StatusNoContent {
		t.Fatalf("kick: %d %s", res.status, res.body)
	}
	for name, cl := range map[string]*sseClient{"Ada": ada, "Ada's second tab": ada2} {
		// Whatever was queued may still come; then the stream ends.
		timeout := time.After(2 * time.Second)
	read:
		for {
			select {
			case _, open := <-cl.events:
				if !open {
					break read
				}
			case <-timeout:
				t.Fatalf("%s: realtime connection still open 2 s after the kick", name)
			}
		}
		if took := time.Since(kicked); took > time.Second {
			t.Fatalf("%s: connection closed %v after the kick", name, took)
		}
	}
	for name, cl := range map[string]*sseClient{"Bob": bob, "screen": screen} {
		ev := cl.next(t, 5*time.Second)
		if s := decodeLive(t, []byte(ev.data)); ev.name != topic || s.Participants.Count != 1 {
			t.Fatalf("%s after the kick: %s %s", name, ev.name, ev.data)
		}
	}
}
