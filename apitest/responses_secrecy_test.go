package apitest_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	c "conflicto/collections"
	"conflicto/config"
)

// scoreProbe is everything a participant can learn about their own quiz
// answer before the reveal by naming the score in a list filter, a sort or
// a realtime subscription filter.
type scoreProbe struct {
	filterStatus, filterTotal int
	sortStatus                int
	realtimeFiltered          int // events on the score>0 subscription
	bodies                    string
}

// probeScore answers the quiz as Ada with choice, then probes.
func probeScore(t *testing.T, choice int) scoreProbe {
	w := newWorld(t, config.Default())
	defer w.app.Cleanup()
	quiz := createActivity(t, w.app, w.s1, "quiz", quizConfig) // correct: 2
	activate(t, w.app, quiz)
	srv := startServer(t, w.app)
	ada := w.headers(t, actorParticipant)["Authorization"]

	// The filtered subscription is the attack; the plain one proves the
	// answer's event reached the participant at all.
	options := url.QueryEscape(`{"query":{"filter":"score>0"}}`)
	filtered := "responses/*?options=" + options
	cl := openSSE(t, srv.URL)
	cl.subscribe(t, srv.URL, ada, filtered, "responses/*")

	res := postJSON(t, srv.URL+"/api/collections/responses/records",
		fmt.Sprintf(`{"activity":%q,"participant":%q,"value":{"choice":%d}}`, quiz.Id, w.ada.Id, choice), ada)
	if res.status != 200 {
		t.Fatalf("answer: %d %s", res.status, res.body)
	}

	var p scoreProbe
	plain := 0
	for _, ev := range cl.drain(500 * time.Millisecond) {
		switch ev.name {
		case filtered:
			p.realtimeFiltered++
		case "responses/*":
			plain++
		}
		p.bodies += ev.data
	}
	if plain != 1 {
		t.Fatalf("the plain subscription got %d events, want 1 (the answer's create)", plain)
	}

	list := srv.URL + "/api/collections/responses/records?filter=" + url.QueryEscape(fmt.Sprintf("activity='%s' && score>0", quiz.Id))
	res = getJSON(t, list, ada)
	p.filterStatus = res.status
	var page struct {
		TotalItems int `json:"totalItems"`
	}
	_ = json.Unmarshal(res.body, &page)
	p.filterTotal = page.TotalItems
	p.bodies += string(res.body)

	res = getJSON(t, srv.URL+"/api/collections/responses/records?sort=-score", ada)
	p.sortStatus = res.status
	p.bodies += string(res.body)
	return p
}

// Before the reveal a participant learns nothing about their quiz answer
// through the score: a filter, a sort or a realtime filter on it answers
// the same whether they were right or wrong, and no body carries it.
func TestQuizScoreUnreachableBeforeReveal(t *testing.T) {
	right, wrong := probeScore(t, 2), probeScore(t, 0)
	strip := func(p scoreProbe) scoreProbe { p.bodies = ""; return p }
	if strip(right) != strip(wrong) {
		t.Fatalf("right and wrong answers look different:\n right %+v\n wrong %+v", strip(right), strip(wrong))
	}
	if right.realtimeFiltered != 0 || right.filterTotal != 0 {
		t.Fatalf("the score filter matched: %+v", strip(right))
	}
	if strings.Contains(right.bodies+wrong.bodies, `"score"`) {
		t.Fatalf("a body carries the score: %s", right.bodies+wrong.bodies)
	}
}

// The score is the server's: a participant who sends one is refused, on
// create and update, for every type (not only where the server would
// overwrite it), and nothing is stored.
func TestClientSentScoreIsRefused(t *testing.T) {
	scenarios := []struct {
		name, typ, cfg, value, patch string
	}{
		{"poll", "poll", pollConfig, `{"choices":[0]}`, `{"value":{"choices":[1]},"score":99999}`},
		{"poker", "poker", pokerConfig, `{"card":"5"}`, `{"score":1}`},
		{"wordcloud", "wordcloud", cloudConfig, `{"words":["go"]}`, `{"score":0}`},
		{"quiz", "quiz", quizConfig, `{"choice":2}`, `{"score":0}`},
	}
	for _, s := range scenarios {
		t.Run(s.name, func(t *testing.T) {
			w := newWorld(t, config.Default())
			defer w.app.Cleanup()
			act := createActivity(t, w.app, w.s1, s.typ, s.cfg)
			activate(t, w.app, act)
			srv := startServer(t, w.app)
			records := srv.URL + "/api/collections/responses/records"

			body := fmt.Sprintf(`{"activity":%q,"participant":%q,"value":%s,"score":99999}`, act.Id, w.ada.Id, s.value)
			res := postJSON(t, records, body, w.headers(t, actorParticipant)["Authorization"])
			if res.status != 400 || !strings.Contains(string(res.body), errCode("score", "read_only")) {
				t.Fatalf("create with a score: %d %s, want 400 score read_only", res.status, res.body)
			}
			if n, _ := w.app.CountRecords(c.Responses); n != 0 {
				t.Fatalf("%d responses stored", n)
			}

			r := saveResponse(t, w.app, act, w.ada, s.value)
			res = doJSON(t, "PATCH", records+"/"+r.Id, s.patch, w.headers(t, actorParticipant)["Authorization"])
			if res.status != 400 || !strings.Contains(string(res.body), errCode("score", "read_only")) {
				t.Fatalf("update with a score: %d %s, want 400 score read_only", res.status, res.body)
			}
			stored := refetch(t, w.app, r)
			if stored.GetInt(c.ResponseScore) != r.GetInt(c.ResponseScore) || stored.GetString(c.ResponseValue) != r.GetString(c.ResponseValue) {
				t.Fatalf("stored answer changed: %v", stored.PublicExport())
			}

			// A superuser (the dashboard) may still correct a score (a quiz
			// answer is final for everyone).
			if s.typ == "quiz" {
				return
			}
			res = doJSON(t, "PATCH", records+"/"+r.Id, `{"score":7}`, w.headers(t, actorSuperuser)["Authorization"])
			if res.status != 200 || !strings.Contains(string(res.body), `"score":7`) {
				t.Fatalf("superuser sets the score: %d %s", res.status, res.body)
			}
		})
	}
}
