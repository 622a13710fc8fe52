package webtest

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// screenshots is where the tests leave their pictures: docs/screenshots/latest
// (ignored by git; docs/screenshots/*.png are copies chosen from a run), or
// $CONFLICTO_SCREENSHOTS.
func screenshots() string {
	if dir := os.Getenv("CONFLICTO_SCREENSHOTS"); dir != "" {
		return dir
	}
	return filepath.Join("..", "docs", "screenshots", "latest")
}

// A host runs a session with one activity of each type while three phones
// play it and a projector shows it: joins (one nickname taken, the
// server's suggestion taken instead), answers as the host advances, a
// reload that resumes, reveals, the leaderboard and the end.
func TestPlayASession(t *testing.T) {
	br := newBrowser(t)
	srv := startServer(t)
	h := newHost(t, srv)
	h.createSession("Team retro",
		map[string]any{"type": "poll", "title": "Lunch?", "config": map[string]any{
			"options": []string{"Pizza", "Sushi", "Salad"}, "multiple": true, "max_choices": 2}},
		map[string]any{"type": "poker", "title": "Estimate the login page"},
		map[string]any{"type": "quiz", "title": "2 + 2 = ?", "config": map[string]any{
			"options": []string{"3", "4", "5"}, "correct": 1, "time_limit_s": 120}},
		map[string]any{"type": "wordcloud", "title": "One word for this year", "config": map[string]any{"max_words": 2}},
	)
	shots := screenshots()

	// Before the start: the phone says so and updates by itself.
	ada := br.open("ada's phone", 390, 844, true)
	ada.goTo(srv.url + "/join/" + strings.ToLower(h.code))
	ada.see("heading", "The host hasn't started yet")
	screen := br.open("projector", 1920, 1080, false)
	screen.goTo(srv.url + "/screen/" + h.code)
	screen.see("heading", "Team retro")
	h.setStatus("active")

	// The join URL on the screen is this server's, resolved from the page's
	// origin (no CONFLICTO_PUBLIC_URL), and the QR code is there.
	joinURL := strings.TrimPrefix(srv.url, "http://") + "/join/" + h.code
	screen.see("image", "QR code to join at "+joinURL)
	screen.waitText("status", "Participants", "0")

	// Ada joins with the code from the link.
	ada.see("heading", "Join a session")
	if got := ada.value("Session code"); got != h.code {
		t.Fatalf("code field = %q, want %q from the link", got, h.code)
	}
	ada.fill("Nickname", "Ada")
	ada.waitText("status", "Nickname availability", "✓ “Ada” is free.")
	ada.click("button", "Join")
	ada.see("heading", "Team retro")
	ada.seeText("region", "Team retro", "You are “Ada”.")
	ada.shot(shots, "phone-waiting.png")
	ada.checkWeight()

	// Bob types the code himself.
	bob := br.open("bob's phone", 390, 844, true)
	bob.goTo(srv.url + "/join")
	bob.fill("Session code", strings.ToLower(h.code))
	bob.fill("Nickname", "Bob")
	bob.click("button", "Join")
	bob.see("heading", "Team retro")

	// The third phone, a narrow one (360 px), wants "ada": taken, so it
	// takes the server's suggestion.
	cy := br.open("third phone", 360, 740, true)
	cy.goTo(srv.url + "/join/" + h.code)
	cy.fill("Nickname", "ada")
	suggestion := h.suggestion("ada")
	cy.waitText("status", "Nickname availability", "That nickname is taken — try “"+suggestion+"”.")
	cy.click("button", "Use “"+suggestion+"”")
	cy.waitText("status", "Nickname availability", "✓ “"+suggestion+"” is free.")
	cy.click("button", "Join")
	cy.seeText("region", "Team retro", "You are “"+suggestion+"”.")

	screen.waitText("status", "Participants", "3")
	screen.shot(shots, "screen-lobby.png")

	// 1. The poll: multiple choice, up to two; Bob changes his answer.
	h.advance()
	ada.see("heading", "Lunch?")
	ada.click("checkbox", "Pizza")
	ada.click("checkbox", "Sushi")
	ada.click("button", "Send answer")
	ada.see("heading", "Answer sent")
	bob.click("checkbox", "Salad")
	bob.click("button", "Send answer")
	bob.see("heading", "Answer sent")
	bob.click("button", "Change answer")
	bob.click("checkbox", "Salad") // untick
	bob.click("checkbox", "Pizza")
	bob.click("button", "Send answer")
	bob.see("heading", "Answer sent")
	cy.fits()
	cy.click("checkbox", "Salad")
	cy.click("button", "Send answer")
	cy.see("heading", "Answer sent")
	screen.waitText("status", "Answered", "3 of 3")
	screen.see("listitem", "Pizza: 2 votes (67%)")
	screen.see("listitem", "Sushi: 1 vote (33%)")
	screen.see("listitem", "Salad: 1 vote (33%)")
	ada.see("listitem", "Pizza: 2 votes (67%)") // live results on the phone too

	// 2. Poker: hidden votes, a reload mid-round, then the reveal.
	h.advance()
	for _, v := range []struct {
		p    *page
		card string
	}{{ada, "5"}, {bob, "8"}, {cy, "5"}} {
		v.p.see("heading", "Estimate the login page")
		v.p.fits()
		v.p.click("button", v.card)
		v.p.see("heading", "Answer sent")
	}
	screen.waitText("status", "Answered", "3 of 3")
	if n := screen.count("listitem", "Hidden vote"); n != 3 {
		t.Fatalf("screen shows %d face-down cards, want 3", n)
	}
	bob.reload()
	bob.see("heading", "Answer sent")
	bob.seeText("region", "Answer sent", "Your answer: 8")
	h.reveal(1)
	for _, vote := range []string{"Ada: 5", "Bob: 8", suggestion + ": 5"} {
		screen.see("listitem", vote)
	}
	screen.waitText("definition", "Average", "6")
	screen.waitText("definition", "Median", "5")
	screen.shot(shots, "screen-poker.png")

	// A re-vote: the reset clears the round on every screen, and the
	// phones get their cards back.
	h.reset(1)
	screen.waitText("status", "Answered", "0 of 3")
	ada.click("button", "3")
	ada.see("heading", "Answer sent")
	bob.see("group", "Estimate the login page")
	screen.waitText("status", "Answered", "1 of 3")

	// 3. The quiz: a countdown, final answers, the reveal and the board.
	h.advance()
	ada.see("timer", "Time left")
	ada.click("button", "4")
	ada.see("heading", "Answer sent")
	bob.click("button", "3")
	cy.click("button", "4")
	cy.see("heading", "Answer sent")
	screen.waitText("status", "Answered", "3 of 3")
	h.reveal(2)
	ada.see("heading", "Correct!")
	bob.see("heading", "Not quite.")
	cy.see("heading", "Correct!")
	cy.see("list", "Leaderboard")
	cy.fits()
	board := h.live().Leaderboard
	if len(board) != 3 || board[0].Score <= 0 || board[2].Nickname != "Bob" {
		t.Fatalf("leaderboard = %+v", board)
	}
	for i, e := range board {
		screen.see("listitem", fmt.Sprintf("%d. %s, %s", i+1, e.Nickname, points(e.Score)))
	}
	screen.see("listitem", "4: 2 votes (67%), correct answer")
	rank := rankOf(board, "Ada")
	ada.seeText("region", "Correct!", fmt.Sprintf("You are number %d with %s.", rank, points(board[rank-1].Score)))
	ada.shot(shots, "phone-quiz.png")
	screen.shot(shots, "screen-quiz.png")

	// 4. The word cloud, counted case-insensitively.
	h.advance()
	ada.fill("Word 1", "Go")
	ada.fill("Word 2", "Rust")
	ada.click("button", "Send answer")
	bob.fill("Word 1", "go")
	bob.click("button", "Send answer")
	cy.fill("Word 1", "Zig")
	cy.click("button", "Send answer")
	for _, w := range []string{"go (2)", "rust (1)", "zig (1)"} {
		screen.see("listitem", w)
	}
	screen.shot(shots, "screen-wordcloud.png")

	// The end: the final leaderboard everywhere.
	h.setStatus("completed")
	for _, p := range []*page{ada, bob, cy} {
		p.see("heading", "This session has ended")
		p.see("list", "Final leaderboard")
	}
	screen.see("list", "Final leaderboard")
	bob.shot(shots, "phone-ended.png")
}

// points is a score as the pages print it (en-US grouping).
func points(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if n == 1 {
		return s + " point"
	}
	return s + " points"
}

func rankOf(board []struct {
	Nickname string
	Score    int
}, nickname string) int {
	for i, e := range board {
		if e.Nickname == nickname {
			return i + 1
		}
	}
	return 0
}
