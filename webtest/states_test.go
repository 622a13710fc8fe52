package webtest

import (
	"testing"
)

// The side screens: an unknown code, a kick, an ended session. Each is a
// clear screen, never a blank page or a raw error.
func TestSideScreens(t *testing.T) {
	br := newBrowser(t)
	srv := startServer(t)
	h := newHost(t, srv)
	h.createSession("Town hall", map[string]any{"type": "poker", "title": "How long?"})
	h.setStatus("active")

	phone := br.open("phone", 390, 844, true)
	phone.goTo(srv.url + "/join/ZZZZZZ")
	phone.see("heading", "No session has this code")
	phone.click("link", "Enter another code")
	phone.see("heading", "Join a session")
	if got := phone.value("Session code"); got != "" {
		t.Fatalf("code field = %q after leaving an unknown code", got)
	}

	screen := br.open("projector", 1920, 1080, false)
	screen.goTo(srv.url + "/screen/ZZZZZZ")
	screen.see("heading", "No session has this code")

	// A kick reaches the phone by itself; it may join again.
	phone.goTo(srv.url + "/join/" + h.code)
	phone.fill("Nickname", "Eve")
	phone.click("button", "Join")
	phone.see("heading", "Town hall")
	h.kick("Eve")
	phone.see("heading", "You were removed from this session")
	phone.click("button", "Join again")
	phone.see("heading", "Join a session")

	// A ban reaches the phone by itself too, without the way back: the
	// phone keeps its removed token, and the server refuses its joins.
	phone.fill("Nickname", "Eve")
	phone.click("button", "Join")
	phone.see("heading", "Town hall")
	h.ban("Eve")
	phone.seeText("region", "You were removed from this session", "You cannot join it again")
	if n := phone.count("button", "Join again"); n != 0 {
		t.Fatalf("a banned phone is offered %d Join again buttons", n)
	}
	phone.shot(screenshots(), "phone-banned.png")
	phone.reload()
	phone.seeText("region", "You were removed from this session", "You cannot join it again")

	// After the end, a phone arriving late is told so; this one is set to
	// dark mode and reduced motion, and the page follows both.
	h.setStatus("completed")
	late := br.open("late phone", 390, 844, true)
	late.prefer(true, true)
	late.goTo(srv.url + "/join/" + h.code)
	late.see("heading", "This session has ended")
	if bg := late.style("heading", "This session has ended", "color"); bg != "rgb(241, 243, 245)" {
		t.Fatalf("heading colour in dark mode = %s, want the dark scheme's text colour", bg)
	}
	if anim := late.style("region", "This session has ended", "animation-name"); anim != "none" {
		t.Fatalf("screen animation under reduced motion = %s, want none", anim)
	}
	late.shot(screenshots(), "phone-dark-ended.png")
}
