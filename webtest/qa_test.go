package webtest

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// question is one of the session's questions as the host reads them.
type question struct{ ID, Text, Status string }

// questions lists the session's questions through the REST API, as the
// host's console would.
func (h *host) questions() []question {
	h.t.Helper()
	var list struct{ Items []question }
	q := url.Values{"filter": {"activity.session = '" + h.id + "'"}, "sort": {"created"}}
	h.s.must(http.MethodGet, "/api/collections/questions/records?"+q.Encode(), h.token, nil, &list)
	return list.Items
}

// moderate PATCHes a question (status, pinned), as the host's console would.
func (h *host) moderate(text string, change map[string]any) {
	h.t.Helper()
	for _, q := range h.questions() {
		if q.Text == text {
			h.s.must(http.MethodPatch, "/api/collections/questions/records/"+q.ID, h.token, change, nil)
			return
		}
	}
	h.t.Fatalf("no question %q", text)
}

// A moderated Q&A on two phones and the big screen: asking, waiting for
// approval, upvoting and withdrawing an upvote, pinning, withdrawing a
// question; the screen follows live.
func TestQAOnPhonesAndScreen(t *testing.T) {
	br := newBrowser(t)
	srv := startServer(t)
	h := newHost(t, srv)
	h.createSession("All hands", map[string]any{"type": "qa", "title": "Ask us anything", "config": map[string]any{"moderated": true, "max_length": 80}})
	h.setStatus("active")
	h.advance()

	screen := br.open("projector", 1920, 1080, false)
	screen.goTo(srv.url + "/screen/" + h.code)
	screen.see("heading", "Ask us anything")

	phones := map[string]*page{}
	for _, name := range []string{"Ada", "Bob"} {
		p := br.open(name+"'s phone", 390, 844, true)
		p.goTo(srv.url + "/join/" + h.code)
		p.fill("Nickname", name)
		p.click("button", "Join")
		p.see("heading", "Ask us anything")
		phones[name] = p
	}
	ada, bob := phones["Ada"], phones["Bob"]

	// Ada asks: moderated, so it waits, and only she sees it.
	const slides, pricing = "Will the slides be shared?", "What about pricing?"
	ada.fill("Your question", slides)
	ada.click("button", "Ask")
	ada.seeText("region", "Ask us anything", "Thanks! Your question will show once the host approves it.")
	ada.see("heading", "Your questions waiting for approval")
	ada.see("button", "Withdraw your question “"+slides+"”")
	bob.fill("Your question", pricing)
	bob.click("button", "Ask")
	bob.see("heading", "Your questions waiting for approval")
	if n := bob.count("listitem", slides+", 0 upvotes, asked by Ada"); n != 0 {
		t.Fatalf("bob sees ada's pending question")
	}

	// The box is empty again for the next question.
	if got := len([]rune(ada.value("Your question"))); got != 0 {
		t.Fatalf("question box not cleared: %d characters", got)
	}

	// The host approves both; everyone sees them, the author's marked.
	h.moderate(slides, map[string]any{"status": "visible"})
	h.moderate(pricing, map[string]any{"status": "visible"})
	bob.see("listitem", slides+", 0 upvotes, asked by Ada")
	ada.see("listitem", slides+", 0 upvotes, asked by Ada, your question")
	screen.see("listitem", pricing+", 0 upvotes, asked by Bob")
	screen.waitText("status", "Questions", "2")
	// Approved, it leaves the author's waiting list: once, in the public list.
	bob.see("listitem", pricing+", 0 upvotes, asked by Bob, your question")
	if n := bob.count("heading", "Your questions waiting for approval"); n != 0 {
		t.Fatal("bob's approved question still waits on his phone")
	}
	if n := ada.count("button", "Upvote “"+slides+"”"); n != 0 {
		t.Fatal("ada may upvote her own question")
	}

	// Bob upvotes Ada's, then withdraws the upvote.
	upvote := "Upvote “" + slides + "”"
	bob.click("button", upvote)
	screen.see("listitem", slides+", 1 upvote, asked by Ada")
	bob.see("listitem", slides+", 1 upvote, asked by Ada")
	var pressed string
	bob.read("button", upvote, `function() { return this.getAttribute('aria-pressed'); }`, &pressed)
	if pressed != "true" {
		t.Fatalf("upvote pressed = %q", pressed)
	}
	// With the most votes, Ada's leads the screen's list.
	if list := screen.text("list", "Questions"); !before(list, slides, pricing) {
		t.Fatalf("screen's list, the most upvoted not first: %q", list)
	}
	screen.shot(screenshots(), "screen-qa.png")
	bob.shot(screenshots(), "phone-qa.png")
	bob.click("button", upvote)
	screen.see("listitem", slides+", 0 upvotes, asked by Ada")

	// Pinned goes first, whatever the votes; answered is marked.
	bob.click("button", upvote)
	screen.see("listitem", slides+", 1 upvote, asked by Ada")
	h.moderate(pricing, map[string]any{"pinned": true})
	screen.see("listitem", pricing+", 0 upvotes, pinned, asked by Bob")
	if list := screen.text("list", "Questions"); !before(list, pricing, slides) {
		t.Fatalf("screen's list, the pinned not first: %q", list)
	}
	h.moderate(pricing, map[string]any{"status": "answered"})
	bob.see("listitem", pricing+", 0 upvotes, pinned, answered, asked by Bob, your question")

	// Ada withdraws her question: gone everywhere.
	ada.click("button", "Withdraw your question “"+slides+"”")
	screen.waitText("status", "Questions", "1")
	if n := bob.count("listitem", slides+", 1 upvote, asked by Ada"); n != 0 {
		bob.waitTextFunc("list", "Questions", "without "+slides, func(s string) bool { return !strings.Contains(s, slides) })
	}
}

// before reports whether a appears in s before b.
func before(s, a, b string) bool {
	i, j := strings.Index(s, a), strings.Index(s, b)
	return i >= 0 && j >= 0 && i < j
}
