package webtest

import (
	"fmt"
	"net/http"
	"testing"
)

// A phone outside the public top 10 still sees its own rank after the
// reveal: ten participants (through the API) answer the quiz right, the
// phone answers wrong and is 11th.
func TestRankOutsideTheTop(t *testing.T) {
	br := newBrowser(t)
	srv := startServer(t)
	h := newHost(t, srv)
	h.createSession("Pub quiz", map[string]any{"type": "quiz", "title": "2 + 2 = ?", "config": map[string]any{
		"options": []string{"3", "4", "5"}, "correct": 1, "time_limit_s": 120}})
	h.setStatus("active")

	zed := br.open("zed's phone", 390, 844, true)
	zed.goTo(srv.url + "/join/" + h.code)
	zed.fill("Nickname", "Zed")
	zed.click("button", "Join")
	zed.see("heading", "Pub quiz")

	type joined struct {
		Token  string
		Record struct{ ID string }
	}
	var others []joined
	for i := range 10 {
		var j joined
		srv.must(http.MethodPost, "/api/join", "", map[string]string{"code": h.code, "nickname": fmt.Sprintf("Player %d", i+1)}, &j)
		others = append(others, j)
	}
	h.advance()
	for _, j := range others {
		srv.must(http.MethodPost, "/api/collections/responses/records", j.Token,
			map[string]any{"activity": h.acts[0], "participant": j.Record.ID, "value": map[string]int{"choice": 1}}, nil)
	}
	zed.click("button", "3")
	zed.see("heading", "Answer sent")
	h.reveal(0)

	zed.see("heading", "Not quite.")
	board := h.live().Leaderboard
	if len(board) != 10 || rankOf(board, "Zed") != 0 {
		t.Fatalf("public board = %+v, want the ten others", board)
	}
	zed.seeText("region", "Not quite.", "You are number 11 with 0 points.")
}
