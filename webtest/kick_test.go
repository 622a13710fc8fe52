package webtest

import (
	"testing"
	"time"
)

// A kick reaches the phone at once: the server closes the kicked
// participant's realtime connection, the page reconnects and finds itself
// gone. Before, it noticed only at its next heartbeat (20 s) or by
// re-reading its state whenever the participant count fell, which made
// every phone in the room ask. The other phone stays where it was.
func TestKickReachesThePhoneAtOnce(t *testing.T) {
	br := newBrowser(t)
	srv := startServer(t)
	h := newHost(t, srv)
	h.createSession("Town hall", map[string]any{"type": "poker", "title": "How long?"})
	h.setStatus("active")

	eve := br.open("eve's phone", 390, 844, true)
	eve.goTo(srv.url + "/join/" + h.code)
	eve.fill("Nickname", "Eve")
	eve.click("button", "Join")
	eve.see("heading", "Town hall")
	ann := br.open("ann's phone", 390, 844, true)
	ann.goTo(srv.url + "/join/" + h.code)
	ann.fill("Nickname", "Ann")
	ann.click("button", "Join")
	ann.seeText("region", "Town hall", "2 people have joined")
	eve.seeText("region", "Town hall", "2 people have joined")

	kicked := time.Now()
	h.kick("Eve")
	eve.see("heading", "You were removed from this session")
	if took := time.Since(kicked); took > 2*time.Second {
		t.Fatalf("the kicked screen came %v after the kick, want within 2 s", took)
	}
	ann.seeText("region", "Town hall", "1 person has joined")
	ann.see("heading", "Town hall")
}
