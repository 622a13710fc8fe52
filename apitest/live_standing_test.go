package apitest_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"conflicto/config"
)

// meStanding is the `me` of GET /api/live/{code} with the standing.
type meStanding struct {
	Me *struct {
		ID       string `json:"id"`
		Standing *struct {
			Rank, Score, Correct, Of int
		} `json:"standing"`
	} `json:"me"`
	Leaderboard []struct {
		Participant string `json:"participant"`
	} `json:"leaderboard"`
}

// After a revealed quiz every participant reads their own place in `me`,
// also outside the public top 10: the rank is their position in the host's
// leaderboard order (ties broken as it breaks them), with their score and
// the number ranked. Before the reveal there is none.
func TestLiveMeStandingOutsideTheTop(t *testing.T) {
	w := newWorld(t, config.Default())
	defer w.app.Cleanup()
	base := startServer(t, w.app).URL
	quiz := createActivity(t, w.app, w.s1, "quiz", quizConfig)
	activate(t, w.app, quiz)

	// 13 participants: Ada, Bob and eleven more. Eleven score above Ada;
	// Bob ties with Ada on score and answered faster, so he ranks first of
	// the two: Ada is 13th, Bob 12th.
	people := []*core.Record{w.ada, w.bob}
	for i := range 11 {
		p := createParticipant(t, w.app, w.s1, fmt.Sprintf("Guest %d", i+1))
		people = append(people, p)
		setScore(t, w.app, quiz, saveResponse(t, w.app, quiz, p, `{"choice":2}`), 900-10*i, time.Duration(i+1)*time.Second)
	}
	setScore(t, w.app, quiz, saveResponse(t, w.app, quiz, w.ada, `{"choice":2}`), 100, 9*time.Second)
	setScore(t, w.app, quiz, saveResponse(t, w.app, quiz, w.bob, `{"choice":2}`), 100, 2*time.Second)

	live := "/api/live/" + codeOf(w.s1)
	read := func(p *core.Record) meStanding {
		t.Helper()
		res := getJSON(t, base+live, token(t, p))
		if res.status != http.StatusOK {
			t.Fatalf("live as %s: %d %s", p.GetString("nickname"), res.status, res.body)
		}
		var doc meStanding
		if err := json.Unmarshal(res.body, &doc); err != nil || doc.Me == nil {
			t.Fatalf("live as %s: %s (%v)", p.GetString("nickname"), res.body, err)
		}
		return doc
	}
	if doc := read(w.ada); doc.Me.Standing != nil || doc.Leaderboard != nil {
		t.Fatalf("before the reveal: standing %+v, board %v", doc.Me.Standing, doc.Leaderboard)
	}

	reveal(t, w.app, quiz, true)
	// The host's board (every quiz, all revealed here) is the order.
	res := getJSON(t, base+"/api/sessions/"+w.s1.Id+"/leaderboard", token(t, w.hostA))
	var board struct {
		Items []struct {
			Participant string
			Score       int
			Correct     int
		}
	}
	if err := json.Unmarshal(res.body, &board); err != nil || len(board.Items) != len(people) {
		t.Fatalf("host's leaderboard: %s (%v)", res.body, err)
	}
	ranks := map[string]int{}
	for _, p := range people {
		doc := read(p)
		st := doc.Me.Standing
		if st == nil {
			t.Fatalf("%s: no standing after the reveal", p.GetString("nickname"))
		}
		want := board.Items[st.Rank-1]
		if want.Participant != p.Id || want.Score != st.Score || want.Correct != st.Correct || st.Of != len(people) {
			t.Fatalf("%s: standing %+v, host's board has %+v at that rank", p.GetString("nickname"), *st, want)
		}
		ranks[p.GetString("nickname")] = st.Rank
		if len(doc.Leaderboard) != 10 {
			t.Fatalf("public board has %d entries, want 10", len(doc.Leaderboard))
		}
		for i, e := range doc.Leaderboard {
			if e.Participant == p.Id && i+1 != st.Rank {
				t.Fatalf("%s: rank %d, public board position %d", p.GetString("nickname"), st.Rank, i+1)
			}
		}
	}
	if ranks["Ada"] != 13 || ranks["Bob"] != 12 || ranks["Guest 1"] != 1 {
		t.Fatalf("ranks %v, want Ada 13, Bob 12 (same score, faster), Guest 1 first", ranks)
	}

	// A participant of another session gets no `me`; the public document
	// carries no standings.
	res = getJSON(t, base+live, token(t, w.cy))
	var other map[string]json.RawMessage
	if err := json.Unmarshal(res.body, &other); err != nil || other["me"] != nil || other["standing"] != nil || other["standings"] != nil {
		t.Fatalf("another session's participant: %s", res.body)
	}
}
