package webtest

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// ask posts a question from the phone, as the phone page does.
func (p *phone) ask(t *testing.T, activity, text string) {
	t.Helper()
	p.s.must(http.MethodPost, "/api/collections/questions/records", p.token,
		map[string]any{"activity": activity, "participant": p.id, "text": text}, nil)
}

// A host runs a moderated Q&A from the console alone: the Q&A form (a
// refused length shown next to its field), the run, approving and hiding
// the phones' questions while the big screen shows only the approved one,
// an upvote reaching the console, pinning and marking answered, and a ban
// that kills the phone's token at once.
func TestHostConsoleQA(t *testing.T) {
	br := newBrowser(t)
	srv := startServer(t)
	api := newHost(t, srv)

	c := br.open("host's laptop", 1440, 900, false)
	c.goTo(srv.url + "/host/")
	c.fill("Email", "host@example.com")
	c.fill("Password", "host-password-1")
	c.click("button", "Sign in")
	c.see("heading", "Your sessions")
	c.fill("New session title", "All hands")
	c.click("button", "Create session")
	c.see("heading", "All hands")

	// The Q&A form: moderated, a length the server refuses, then one it takes.
	c.click("button", "Add Q&A")
	c.see("heading", "New Q&A")
	c.fill("Question", "Ask us anything")
	c.click("checkbox", "Hold new questions until I approve them")
	c.fill("Max question length (characters)", "10")
	c.click("button", "Save activity")
	deadline := time.Now().Add(actionTimeout)
	for !strings.Contains(c.describedBy("textbox", "Max question length (characters)"), "Max length must be between 20 and 500.") {
		if time.Now().After(deadline) {
			t.Fatalf("max length field described by %q", c.describedBy("textbox", "Max question length (characters)"))
		}
		time.Sleep(100 * time.Millisecond)
	}
	c.fill("Max question length (characters)", "120")
	c.fill("Max questions per participant", "3")
	c.click("button", "Save activity")
	c.see("listitem", "1. Q&A: Ask us anything")

	var sessions struct {
		Items []struct{ ID, Code string }
	}
	srv.must(http.MethodGet, "/api/collections/sessions/records", api.token, nil, &sessions)
	api.id, api.code = sessions.Items[0].ID, sessions.Items[0].Code
	var acts struct {
		Items []struct {
			ID     string
			Type   string
			Config map[string]any
		}
	}
	q := url.Values{"filter": {"session = '" + api.id + "'"}}
	srv.must(http.MethodGet, "/api/collections/activities/records?"+q.Encode(), api.token, nil, &acts)
	if len(acts.Items) != 1 || acts.Items[0].Type != "qa" || acts.Items[0].Config["moderated"] != true ||
		acts.Items[0].Config["max_length"] != float64(120) || acts.Items[0].Config["max_questions"] != float64(3) ||
		acts.Items[0].Config["anonymous"] != false {
		t.Fatalf("stored activities = %+v", acts.Items)
	}
	qa := acts.Items[0].ID

	// Run it; the screen shows the public questions.
	c.click("link", "Run")
	c.click("button", "Start session")
	c.click("button", "Next")
	c.see("heading", "Ask us anything")
	code := api.code
	ada, bob, cy := joinAs(t, srv, code, "Ada"), joinAs(t, srv, code, "Bob"), joinAs(t, srv, code, "Cy")
	screen := br.open("projector", 1920, 1080, false)
	screen.goTo(srv.url + "/screen/" + code)
	screen.see("heading", "Ask us anything")

	// Two phones ask; moderated, both wait, and the console shows them with their authors.
	const slides, spam = "Will the slides be shared?", "Buy my coin, link in bio"
	ada.ask(t, qa, slides)
	asked := time.Now()
	c.see("listitem", slides+", waiting for approval, 0 upvotes, asked by Ada")
	// Promptly: a pending question is in no live document, and the
	// console's presence poll is 10 s.
	if took := time.Since(asked); took > 4*time.Second {
		t.Fatalf("the pending question reached the console %v after it was asked, want within 4 s", took)
	}
	bob.ask(t, qa, spam)
	c.see("listitem", spam+", waiting for approval, 0 upvotes, asked by Bob")
	c.see("heading", "Questions (2)")

	// Approve one, hide the other, from the console.
	c.click("button", "Approve “"+slides+"”")
	c.see("listitem", slides+", visible, 0 upvotes, asked by Ada")
	c.click("button", "Hide “"+spam+"”")
	c.see("listitem", spam+", hidden, 0 upvotes, asked by Bob")
	for _, got := range api.questions() {
		want := map[string]string{slides: "visible", spam: "hidden"}[got.Text]
		if got.Status != want {
			t.Fatalf("stored question %q is %s, want %s", got.Text, got.Status, want)
		}
	}
	screen.see("listitem", slides+", 0 upvotes, asked by Ada")
	screen.waitText("status", "Questions", "1")
	if list := screen.text("list", "Questions"); strings.Contains(list, spam) {
		t.Fatalf("the screen shows the hidden question: %q", list)
	}
	// A hidden question offers to show it again, and no approval.
	c.see("button", "Show “"+spam+"” again")
	if c.count("button", "Approve “"+spam+"”") != 0 {
		t.Fatal("a hidden question can still be approved")
	}

	// A phone upvotes: the console shows the count (no question event
	// carries it; the votes' events and the live topic do).
	var id string
	for _, got := range api.questions() {
		if got.Text == slides {
			id = got.ID
		}
	}
	srv.must(http.MethodPost, "/api/collections/question_votes/records", cy.token,
		map[string]any{"question": id, "participant": cy.id}, nil)
	c.see("listitem", slides+", visible, 1 upvote, asked by Ada")
	screen.see("listitem", slides+", 1 upvote, asked by Ada")

	// Pin, mark answered.
	c.click("button", "Pin “"+slides+"”")
	c.see("listitem", slides+", visible, 1 upvote, pinned, asked by Ada")
	screen.see("listitem", slides+", 1 upvote, pinned, asked by Ada")
	c.click("button", "Mark “"+slides+"” answered")
	c.see("listitem", slides+", answered, 1 upvote, pinned, asked by Ada")
	c.see("button", "Unpin “"+slides+"”")
	// A new question waits at the top, before the public ones.
	const lunch = "When is lunch?"
	cy.ask(t, qa, lunch)
	c.see("listitem", lunch+", waiting for approval, 0 upvotes, asked by Cy")
	if list := c.text("list", "Questions (3)"); !before(list, lunch, slides) || !before(list, slides, spam) {
		t.Fatalf("console's questions not pending, public, hidden: %q", list)
	}
	c.idle()
	c.shot(screenshots(), "host-qa.png")

	// Ban Bob, after a confirmation: his token is dead at once.
	c.click("button", "Ban Bob")
	c.see("dialog", "Ban Bob?")
	c.click("button", "Yes, ban")
	c.waitText("status", "", "Bob is banned.")
	err := srv.call(http.MethodGet, "/api/collections/questions/records", bob.token, nil, nil)
	if err == nil || !strings.Contains(err.Error(), ": 401 ") {
		t.Fatalf("the banned phone's token after the ban: %v, want 401", err)
	}
	c.see("listitem", "Bob, banned")
	if c.count("button", "Ban Bob") != 0 {
		t.Fatal("a banned participant can be banned again")
	}
	// The others keep going.
	srv.must(http.MethodGet, "/api/collections/questions/records", ada.token, nil, nil)
}
