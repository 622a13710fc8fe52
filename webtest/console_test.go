package webtest

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// phone is a participant driven through the API, as the phone page would
// drive it: the console is what this test looks at.
type phone struct {
	s     *server
	token string
	id    string
}

func joinAs(t *testing.T, s *server, code, nickname string) *phone {
	t.Helper()
	var res struct {
		Token  string
		Record struct{ ID string }
	}
	s.must(http.MethodPost, "/api/join", "", map[string]string{"code": code, "nickname": nickname}, &res)
	return &phone{s: s, token: res.Token, id: res.Record.ID}
}

// answer answers the session's current activity.
func (p *phone) answer(t *testing.T, code string, value any) {
	t.Helper()
	var l struct{ Activity struct{ ID string } }
	p.s.must(http.MethodGet, "/api/live/"+code, "", nil, &l)
	p.s.must(http.MethodPost, "/api/collections/responses/records", p.token,
		map[string]any{"activity": l.Activity.ID, "participant": p.id, "value": value}, nil)
}

// key presses a key on the page, as a person at the keyboard would.
func (p *page) key(k string) {
	p.t.Helper()
	p.do("press "+k, chromedp.KeyEvent(k))
}

// drag drags the element with this role and name onto another, with the
// events a mouse drag fires (dragstart, dragover, drop, dragend) and one
// DataTransfer between them: headless Chromium does not turn synthetic
// mouse moves into a native drag.
func (p *page) drag(role, name, toRole, toName string) {
	p.t.Helper()
	from := p.find(role, name, usable)
	to := p.find(toRole, toName, usable)
	ctx, cancel := context.WithTimeout(p.ctx, actionTimeout)
	defer cancel()
	err := chromedp.Do(ctx, func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		if err := callOn(ctx, t, from, `function() {
			window.__drag = {dt: new DataTransfer(), source: this};
			this.dispatchEvent(new DragEvent('dragstart', {bubbles: true, cancelable: true, dataTransfer: window.__drag.dt}));
		}`, nil); err != nil {
			return chromedp.Void{}, err
		}
		return chromedp.Void{}, callOn(ctx, t, to, `function() {
			const {dt, source} = window.__drag;
			this.dispatchEvent(new DragEvent('dragover', {bubbles: true, cancelable: true, dataTransfer: dt}));
			this.dispatchEvent(new DragEvent('drop', {bubbles: true, cancelable: true, dataTransfer: dt}));
			source.dispatchEvent(new DragEvent('dragend', {bubbles: true, dataTransfer: dt}));
		}`, nil)
	})
	if err != nil {
		p.t.Fatalf("%s: drag %s onto %s: %v", p.name, label(role, name), label(toRole, toName), err)
	}
}

// idle waits until the console's controls are not busy with a request.
func (p *page) idle() {
	p.t.Helper()
	p.find("group", "Session controls", `function() { return this.getAttribute('aria-busy') === 'false'; }`)
}

// describedBy is the text of what describes the element (its hint and its error).
func (p *page) describedBy(role, name string) string {
	p.t.Helper()
	var s string
	p.read(role, name, `function() {
		return (this.getAttribute('aria-describedby') || '').split(' ').filter(Boolean)
			.map(id => document.getElementById(id)?.innerText || '').join(' ');
	}`, &s)
	return s
}

// downloadsTo lets the page's browser context save downloads into dir.
func (p *page) downloadsTo(dir string) {
	p.t.Helper()
	p.do("allow downloads", func(ctx context.Context, _ *chromedp.Target) (chromedp.Void, error) {
		c := chromedp.FromContext(p.ctx)
		_, err := cdp.Call(ctx, c.Browser, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
			Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllow, BrowserContextID: c.BrowserContextID, DownloadPath: dir,
		})
		return chromedp.Void{}, err
	})
}

// waitFile waits until path exists, complete.
func waitFile(t *testing.T, path string) []byte {
	t.Helper()
	deadline := time.Now().Add(actionTimeout)
	for time.Now().Before(deadline) {
		if b, err := os.ReadFile(path); err == nil && len(b) > 0 {
			return b
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("no download at %s", path)
	return nil
}

// A host prepares and runs a session from the console alone: sign in,
// sessions, the four activity forms (one refused with the field's error
// next to it), a reorder, the run with three phones (Next, Reveal, a poker
// re-vote, a kick, the end), the CSV export, a copy of the deck, a delete
// and signing out.
func TestHostConsole(t *testing.T) {
	br := newBrowser(t)
	srv := startServer(t)
	api := newHost(t, srv) // the account; the console signs in by itself
	shots := screenshots()

	c := br.open("host's laptop", 1440, 900, false)
	c.goTo(srv.url + "/host/")
	c.see("heading", "Sign in to host")
	c.fill("Email", "host@example.com")
	c.fill("Password", "wrong-password")
	c.click("button", "Sign in")
	c.seeText("alert", "", "The email or the password is wrong.")
	c.fill("Password", "host-password-1")
	c.click("button", "Sign in")
	c.see("heading", "Your sessions")
	if c.count("button", "Create an account") != 0 {
		t.Fatal("sign-up offered while the server does not allow it")
	}

	// A scratch session, deleted after a confirmation.
	c.fill("New session title", "Scratch")
	c.click("button", "Create session")
	c.see("heading", "Scratch")
	c.click("link", "← All sessions")
	c.see("link", "Open “Scratch”")
	c.click("button", "Delete “Scratch”")
	c.see("dialog", "Delete “Scratch”?")
	c.click("button", "Delete")
	c.seeText("region", "Your sessions", "No sessions yet. Create one above.")

	c.fill("New session title", "Sprint review")
	c.click("button", "Create session")
	c.see("heading", "Sprint review")
	c.fill("Description", "Friday, all teams")
	c.click("button", "Save")
	c.waitText("status", "", "Saved.")

	// One activity of each type, through the forms.
	c.click("button", "Add poll")
	c.see("heading", "New poll")
	c.fill("Question", "Lunch?")
	c.fill("Option 1", "Pizza")
	c.fill("Option 2", "Sushi")
	c.click("button", "Add option")
	c.fill("Option 3", "Salad")
	c.click("button", "Save activity")
	c.see("listitem", "1. Poll: Lunch?")

	c.click("button", "Add poker round")
	c.fill("Question", "Estimate the login page")
	if got := c.value("Cards"); got != "0, 1, 2, 3, 5, 8, 13, 21, ?, ☕" {
		t.Fatalf("poker deck field = %q, want the default deck", got)
	}
	c.click("button", "Save activity")
	c.see("listitem", "2. Poker: Estimate the login page")

	c.click("button", "Add quiz question")
	c.fill("Question", "2 + 2 = ?")
	c.fill("Option 1", "3")
	c.fill("Option 2", "4")
	c.click("button", "Add option")
	c.fill("Option 3", "5")
	c.click("checkbox", "Option 2 is correct")
	c.fill("Time limit (seconds)", "1")
	c.fill("Speaker notes", "Tease them first.")
	c.click("button", "Save activity")
	// The server's message, next to the field it is about.
	deadline := time.Now().Add(actionTimeout)
	for !strings.Contains(c.describedBy("textbox", "Time limit (seconds)"), "Time limit must be between 5 and 600.") {
		if time.Now().After(deadline) {
			t.Fatalf("time limit field described by %q", c.describedBy("textbox", "Time limit (seconds)"))
		}
		time.Sleep(100 * time.Millisecond)
	}
	c.shot(shots, "host-form-error.png")
	c.fill("Time limit (seconds)", "120")
	c.click("button", "Save activity")
	c.see("listitem", "3. Quiz: 2 + 2 = ?")

	c.click("button", "Add word cloud")
	c.fill("Question", "One word for this year")
	c.fill("Max words per answer", "2")
	c.click("button", "Save activity")
	c.see("listitem", "4. Word cloud: One word for this year")

	// Reorder with the keyboard's buttons: the quiz before the poker round.
	c.click("button", "Move “2 + 2 = ?” up")
	c.see("listitem", "2. Quiz: 2 + 2 = ?")
	c.see("listitem", "3. Poker: Estimate the login page")
	c.waitText("status", "", "“2 + 2 = ?” is now number 2.")
	// And by drag and drop: the word cloud onto the first card, then back
	// down to the end with the keyboard.
	c.drag("listitem", "4. Word cloud: One word for this year", "listitem", "1. Poll: Lunch?")
	c.see("listitem", "1. Word cloud: One word for this year")
	c.see("listitem", "2. Poll: Lunch?")
	for i := 2; i <= 4; i++ {
		c.click("button", "Move “One word for this year” down")
		c.see("listitem", fmt.Sprintf("%d. Word cloud: One word for this year", i))
	}
	c.shot(shots, "host-editor.png")

	var sessions struct {
		Items []struct{ ID, Code, Title string }
	}
	srv.must(http.MethodGet, "/api/collections/sessions/records", api.token, nil, &sessions)
	if len(sessions.Items) != 1 {
		t.Fatalf("sessions = %+v", sessions.Items)
	}
	api.id, api.code = sessions.Items[0].ID, sessions.Items[0].Code
	var acts struct {
		Items []struct{ Type, Title, Notes string }
	}
	q := url.Values{"filter": {"session = '" + api.id + "'"}, "sort": {"position"}}
	srv.must(http.MethodGet, "/api/collections/activities/records?"+q.Encode(), api.token, nil, &acts)
	var order []string
	for _, a := range acts.Items {
		order = append(order, a.Type)
	}
	if fmt.Sprint(order) != "[poll quiz poker wordcloud]" || acts.Items[1].Notes != "Tease them first." {
		t.Fatalf("stored activities = %+v", acts.Items)
	}

	// Run it.
	c.click("link", "Run")
	c.click("button", "Start session")
	c.see("button", "Next")
	code := api.code
	ada, bob, cy := joinAs(t, srv, code, "Ada"), joinAs(t, srv, code, "Bob"), joinAs(t, srv, code, "Cy")
	c.see("listitem", "Cy, online")

	// A second console on another laptop follows the same run.
	c2 := br.open("co-host's laptop", 1280, 800, false)
	c2.goTo(srv.url + "/host/#/s/" + api.id + "/run")
	c2.fill("Email", "host@example.com")
	c2.fill("Password", "host-password-1")
	c2.click("button", "Sign in")
	c2.see("listitem", "Cy, online")

	// 1. The poll. The next activity and its notes are previewed.
	c.click("button", "Next")
	c.see("heading", "Lunch?")
	c.seeText("region", "Up next", "Tease them first.")
	ada.answer(t, code, map[string]any{"choices": []int{0}})
	bob.answer(t, code, map[string]any{"choices": []int{0}})
	cy.answer(t, code, map[string]any{"choices": []int{2}})
	c.see("listitem", "Pizza: 2 votes (67%)")
	c.see("listitem", "Salad: 1 vote (33%)")
	c.waitText("heading", "Answered (3)", "Answered (3)")

	// 2. The quiz, by a double click on Next: one step, never two.
	c.doubleClick("button", "Next")
	c.see("heading", "2 + 2 = ?")
	time.Sleep(time.Second)
	if got := api.live().Activity["title"]; got != "2 + 2 = ?" {
		t.Fatalf("after a double click on Next the live activity is %v", got)
	}
	c.seeText("region", "Only you see this", "Correct answer: 4")
	c.seeText("region", "Only you see this", "Tease them first.")
	ada.answer(t, code, map[string]any{"choice": 1})
	bob.answer(t, code, map[string]any{"choice": 0})
	cy.answer(t, code, map[string]any{"choice": 1})
	c.waitText("heading", "Answered (3)", "Answered (3)")
	c.idle()
	c.key("r") // reveal
	c.see("listitem", "4: 2 votes (67%), correct answer")
	deadline = time.Now().Add(actionTimeout)
	for api.live().Activity["revealed"] != true {
		if time.Now().After(deadline) {
			t.Fatal("R did not reveal the quiz")
		}
		time.Sleep(100 * time.Millisecond)
	}
	c.idle()

	// 3. Poker, by the → key: the votes before the reveal are the host's.
	c.key(kb.ArrowRight)
	c.see("heading", "Estimate the login page")
	c2.see("heading", "Estimate the login page")
	ada.answer(t, code, map[string]any{"card": "5"})
	bob.answer(t, code, map[string]any{"card": "8"})
	cy.answer(t, code, map[string]any{"card": "5"})
	for _, v := range []string{"Ada: 5", "Bob: 8", "Cy: 5"} {
		c.see("listitem", v)
	}
	if l := api.live(); l.Activity["revealed"] != false {
		t.Fatal("the poker round is revealed before the host revealed it")
	}
	c.shot(shots, "host-run.png")
	c.click("button", "Reveal")
	c.waitText("definition", "Average", "6")
	c.click("button", "Reset votes")
	c.seeText("region", "Only you see this", "Nobody yet.")
	ada.answer(t, code, map[string]any{"card": "3"})
	c.see("listitem", "Ada: 3")

	// A kick.
	c.click("button", "Kick Bob")
	c.waitText("status", "", "Bob was removed.")
	deadline = time.Now().Add(actionTimeout)
	for c.count("button", "Kick Bob") != 0 || api.live().Participants.Count != 2 {
		if time.Now().After(deadline) {
			t.Fatal("Bob is still listed after the kick")
		}
		time.Sleep(100 * time.Millisecond)
	}

	// 4. The word cloud, then the end.
	c.click("button", "Next")
	c.see("heading", "One word for this year")
	ada.answer(t, code, map[string]any{"words": []string{"Go", "Rust"}})
	cy.answer(t, code, map[string]any{"words": []string{"Zig"}})
	c.see("listitem", "rust (1)")
	c.click("button", "End session")
	c.see("dialog", "End the session?")
	c.click("button", "Yes, end it")
	c.seeText("region", "Now", "This session has ended.")

	// The CSV: one row per answer still standing (Bob's went with him).
	dir := t.TempDir()
	c.downloadsTo(dir)
	c.click("button", "Export CSV")
	rows, err := csv.NewReader(strings.NewReader(string(waitFile(t, filepath.Join(dir, "conflicto-"+code+".csv"))))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rows[1:] {
		got = append(got, strings.Join([]string{r[1], r[2], r[4], r[5]}, "|"))
	}
	want := []string{
		"1|poll|Ada|Pizza", "1|poll|Cy|Salad",
		"2|quiz|Ada|4", "2|quiz|Cy|4",
		"3|poker|Ada|3",
		"4|wordcloud|Ada|go; rust", "4|wordcloud|Cy|zig",
	}
	slices.Sort(got)
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("CSV rows:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	// Reuse the deck: a copy appears among the drafts.
	c.click("link", "← Edit session")
	c.click("link", "← All sessions")
	c.see("heading", "Ended")
	c.click("button", "Duplicate “Sprint review”")
	c.waitText("status", "", "Copied “Sprint review” as a new draft.")
	c.see("heading", "Drafts")
	c.seeText("list", "Drafts", "4 activities · 0 participants")
	c.shot(shots, "host-sessions.png")

	// Signed in across a reload; then out.
	c.reload()
	c.see("heading", "Your sessions")
	c.click("button", "Sign out")
	c.see("heading", "Sign in to host")
}

// doubleClick clicks the usable element with this role and name twice in
// a row, as fast as a mouse sends them: the second click comes before the
// page has re-rendered after the first.
func (p *page) doubleClick(role, name string) {
	p.t.Helper()
	id := p.find(role, name, usable)
	ctx, cancel := context.WithTimeout(p.ctx, actionTimeout)
	defer cancel()
	err := chromedp.Do(ctx, func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		var at [2]float64
		err := callOn(ctx, t, id, `function() {
			this.scrollIntoView({block: 'center', inline: 'center'});
			const r = this.getBoundingClientRect();
			return [r.x + r.width / 2, r.y + r.height / 2];
		}`, &at)
		if err != nil {
			return chromedp.Void{}, err
		}
		if _, err := chromedp.MouseClickXY(at[0], at[1])(ctx, t); err != nil {
			return chromedp.Void{}, err
		}
		return chromedp.MouseClickXY(at[0], at[1], chromedp.ClickCount(2))(ctx, t)
	})
	if err != nil {
		p.t.Fatalf("%s: double click %s: %v", p.name, label(role, name), err)
	}
}

// With CONFLICTO_ALLOW_SIGNUP=true the console offers a host account; the
// server's field errors show next to the field.
func TestHostConsoleSignUp(t *testing.T) {
	br := newBrowser(t)
	srv := startServer(t, "CONFLICTO_ALLOW_SIGNUP=true")
	c := br.open("new host's laptop", 1440, 900, false)
	c.goTo(srv.url + "/host/")
	c.click("button", "Create an account")
	c.see("heading", "Create a host account")
	c.fill("Email", "new@example.com")
	c.fill("Password", "a-long-password")
	c.fill("Repeat the password", "another-password")
	c.click("button", "Create account")
	deadline := time.Now().Add(actionTimeout)
	for c.describedBy("textbox", "Repeat the password") == "" {
		if time.Now().After(deadline) {
			t.Fatal("no error next to the repeated password")
		}
		time.Sleep(100 * time.Millisecond)
	}
	c.fill("Repeat the password", "a-long-password")
	c.click("button", "Create account")
	c.see("heading", "Your sessions")
	c.seeText("region", "Your sessions", "No sessions yet. Create one above.")
}
