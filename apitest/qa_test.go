package apitest_test

import (
	"bytes"
	stdcsv "encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	c "conflicto/collections"
	"conflicto/config"
)

// The Q&A (docs/API.md, "Q&A"): questions and their upvotes through the
// generated REST API, with Conflicto's rules around them.

// qaWorld is the world with a started server and a Q&A in S1.
type qaWorld struct {
	*world
	base string
	act  *core.Record
}

func newQA(t *testing.T, cfg, qaConfig string, active bool) *qaWorld {
	t.Helper()
	conf := config.Default()
	conf.RateLimits = cfg == "limits"
	w := newWorld(t, conf)
	t.Cleanup(w.app.Cleanup)
	act := createActivity(t, w.app, w.s1, "qa", qaConfig)
	if active {
		activate(t, w.app, act)
	}
	srv := startServer(t, w.app)
	return &qaWorld{world: w, base: srv.URL, act: act}
}

func (q *qaWorld) auth(t *testing.T, r *core.Record) string {
	if r == nil {
		return ""
	}
	return token(t, r)
}

// ask posts a question as who (nil: no token) naming participant.
func (q *qaWorld) ask(t *testing.T, who *core.Record, participant, text string) httpResult {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"activity": q.act.Id, "participant": participant, "text": text})
	return postJSON(t, q.base+"/api/collections/questions/records", string(body), q.auth(t, who))
}

// asked asks as who for themselves and returns the question's id.
func (q *qaWorld) asked(t *testing.T, who *core.Record, text string) string {
	t.Helper()
	res := q.ask(t, who, who.Id, text)
	if res.status != http.StatusOK {
		t.Fatalf("ask %q: %d %s", text, res.status, res.body)
	}
	var rec struct{ ID string }
	_ = json.Unmarshal(res.body, &rec)
	return rec.ID
}

func (q *qaWorld) vote(t *testing.T, who *core.Record, question string) httpResult {
	t.Helper()
	body := fmt.Sprintf(`{"question":%q,"participant":%q}`, question, who.Id)
	return postJSON(t, q.base+"/api/collections/question_votes/records", body, q.auth(t, who))
}

func (q *qaWorld) patch(t *testing.T, who *core.Record, question, body string) httpResult {
	t.Helper()
	return doJSON(t, http.MethodPatch, q.base+"/api/collections/questions/records/"+question, body, q.auth(t, who))
}

func (q *qaWorld) list(t *testing.T, who *core.Record, query string) httpResult {
	t.Helper()
	return getJSON(t, q.base+"/api/collections/questions/records?"+query, q.auth(t, who))
}

func (q *qaWorld) votesOf(t *testing.T, question string) int {
	t.Helper()
	r, err := q.app.FindRecordById(c.Questions, question)
	if err != nil {
		t.Fatal(err)
	}
	return r.GetInt(c.QuestionVoteCount)
}

func qaWant(t *testing.T, what string, res httpResult, status int, contains ...string) {
	t.Helper()
	if res.status != status {
		t.Fatalf("%s: status %d, want %d: %s", what, res.status, status, res.body)
	}
	for _, s := range contains {
		if !strings.Contains(string(res.body), s) {
			t.Fatalf("%s: body lacks %s: %s", what, s, res.body)
		}
	}
}

func TestQAAskAndVote(t *testing.T) {
	t.Parallel()
	q := newQA(t, "", `{}`, true)
	res := q.ask(t, q.ada, q.ada.Id, "  Why is\nthe sky blue?  ")
	qaWant(t, "ask", res, 200, `"status":"visible"`, `"votes":0`, `"pinned":false`, `"text":"Why is the sky blue?"`, `"participant":"`+q.ada.Id+`"`)
	var rec struct{ ID string }
	_ = json.Unmarshal(res.body, &rec)

	qaWant(t, "bob upvotes", q.vote(t, q.bob, rec.ID), 200)
	if n := q.votesOf(t, rec.ID); n != 1 {
		t.Fatalf("votes = %d, want 1", n)
	}
	qaWant(t, "bob upvotes twice", q.vote(t, q.bob, rec.ID), 409, errCode("question", "already_voted"))
	qaWant(t, "ada upvotes her own", q.vote(t, q.ada, rec.ID), 400, errCode("question", "own_question"))
	if n := q.votesOf(t, rec.ID); n != 1 {
		t.Fatalf("votes after refusals = %d, want 1", n)
	}

	var vote struct{ Items []struct{ ID string } }
	_ = json.Unmarshal(getJSON(t, q.base+"/api/collections/question_votes/records", token(t, q.bob)).body, &vote)
	if len(vote.Items) != 1 {
		t.Fatalf("bob's votes: %+v", vote)
	}
	votes := q.base + "/api/collections/question_votes/records/" + vote.Items[0].ID
	qaWant(t, "ada withdraws bob's vote", doJSON(t, http.MethodDelete, votes, "", token(t, q.ada)), 404)
	qaWant(t, "bob withdraws", doJSON(t, http.MethodDelete, votes, "", token(t, q.bob)), 204)
	if n := q.votesOf(t, rec.ID); n != 0 {
		t.Fatalf("votes after withdrawal = %d, want 0", n)
	}
	qaWant(t, "bob upvotes again", q.vote(t, q.bob, rec.ID), 200)
	if n := q.votesOf(t, rec.ID); n != 1 {
		t.Fatalf("votes after a new upvote = %d, want 1", n)
	}
}

// Every refusal of an ask has its status and field code.
func TestQAAskRefusals(t *testing.T) {
	t.Parallel()
	q := newQA(t, "", `{"max_length":20,"max_questions":2}`, true)
	poll := createActivity(t, q.app, q.s1, "poll", `{"options":["a","b"]}`)
	long := strings.Repeat("x", 21)
	for _, s := range []struct {
		name   string
		who    *core.Record
		body   string
		status int
		code   string
	}{
		{"no token", nil, `{"activity":"QA","participant":"ADA","text":"hi?"}`, 401, ""},
		{"a host", q.hostA, `{"activity":"QA","participant":"ADA","text":"hi?"}`, 403, ""},
		{"another session's participant", q.cy, `{"activity":"QA","participant":"CY","text":"hi?"}`, 400, errCode("activity", "validation_missing_rel_records")},
		{"no activity", q.ada, `{"participant":"ADA","text":"hi?"}`, 400, errCode("activity", "validation_required")},
		{"someone else", q.ada, `{"activity":"QA","participant":"BOB","text":"hi?"}`, 400, errCode("participant", "forbidden_participant")},
		{"no participant", q.ada, `{"activity":"QA","text":"hi?"}`, 400, errCode("participant", "validation_required")},
		{"a status", q.ada, `{"activity":"QA","participant":"ADA","text":"hi?","status":"visible"}`, 400, errCode("status", "read_only")},
		{"pinned", q.ada, `{"activity":"QA","participant":"ADA","text":"hi?","pinned":true}`, 400, errCode("pinned", "read_only")},
		{"votes", q.ada, `{"activity":"QA","participant":"ADA","text":"hi?","votes":9}`, 400, errCode("votes", "read_only")},
		{"too long", q.ada, `{"activity":"QA","participant":"ADA","text":"` + long + `"}`, 400, errCode("text", "text_too_long")},
		{"empty", q.ada, `{"activity":"QA","participant":"ADA","text":"  "}`, 400, errCode("text", "text_required")},
		{"invisible", q.ada, `{"activity":"QA","participant":"ADA","text":"\u2800"}`, 400, errCode("text", "text_invalid")},
		{"a poll", q.ada, `{"activity":"POLL","participant":"ADA","text":"hi?"}`, 400, errCode("activity", "questions_unsupported")},
	} {
		t.Run(s.name, func(t *testing.T) {
			body := strings.NewReplacer("QA", q.act.Id, "POLL", poll.Id, "ADA", q.ada.Id, "BOB", q.bob.Id, "CY", q.cy.Id).Replace(s.body)
			res := postJSON(t, q.base+"/api/collections/questions/records", body, q.auth(t, s.who))
			if s.code == "" {
				qaWant(t, s.name, res, s.status)
			} else {
				qaWant(t, s.name, res, s.status, s.code)
			}
		})
	}

	// The per-participant limit (2 here), per participant.
	q.asked(t, q.ada, "one?")
	q.asked(t, q.ada, "two?")
	qaWant(t, "third", q.ask(t, q.ada, q.ada.Id, "three?"), 409, errCode("activity", "question_limit"), `"limit":2`)
	q.asked(t, q.bob, "bob's first?")

	// Only while active: expired, then a completed session.
	expire(t, q.app, q.act)
	qaWant(t, "expired", q.ask(t, q.bob, q.bob.Id, "late?"), 409, errCode("activity", "activity_not_active"))
	setSessionStatus(t, q.app, q.s1, c.SessionCompleted)
	qaWant(t, "completed", q.ask(t, q.bob, q.bob.Id, "later?"), 400, errCode("activity", "session_completed"))
}

// A draft Q&A takes no questions.
func TestQADraftTakesNoQuestions(t *testing.T) {
	t.Parallel()
	q := newQA(t, "", `{}`, false)
	qaWant(t, "draft", q.ask(t, q.ada, q.ada.Id, "early?"), 409, errCode("activity", "activity_not_active"))
}

// The limit holds under racing asks: the count and the insert share a
// transaction.
func TestQAQuestionLimitUnderRace(t *testing.T) {
	t.Parallel()
	q := newQA(t, "", `{"max_questions":3}`, true)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			q.ask(t, q.ada, q.ada.Id, fmt.Sprintf("question %d?", i))
		}()
	}
	close(start)
	wg.Wait()
	n, err := q.app.CountRecords(c.Questions)
	if err != nil || n != 3 {
		t.Fatalf("%d questions stored (%v), want 3", n, err)
	}
}

func TestQAVoteRefusals(t *testing.T) {
	t.Parallel()
	q := newQA(t, "", `{"moderated":true}`, true)
	id := q.asked(t, q.ada, "pending?")
	qaWant(t, "vote on a pending question", q.vote(t, q.bob, id), 409, errCode("question", "question_not_visible"))
	qaWant(t, "approve", q.patch(t, q.hostA, id, `{"status":"visible"}`), 200, `"status":"visible"`)
	for _, s := range []struct {
		name   string
		who    *core.Record
		body   string
		status int
		code   string
	}{
		{"no token", nil, `{"question":"Q","participant":"BOB"}`, 401, ""},
		{"a host", q.hostA, `{"question":"Q","participant":"BOB"}`, 403, ""},
		{"someone else", q.bob, `{"question":"Q","participant":"ADA"}`, 400, errCode("participant", "forbidden_participant")},
		{"no participant", q.bob, `{"question":"Q"}`, 400, errCode("participant", "validation_required")},
		{"no question", q.bob, `{"participant":"BOB"}`, 400, errCode("question", "validation_required")},
		{"another session", q.cy, `{"question":"Q","participant":"CY"}`, 400, errCode("question", "validation_missing_rel_records")},
		{"unknown question", q.bob, `{"question":"nosuchquestion1","participant":"BOB"}`, 400, errCode("question", "validation_missing_rel_records")},
		{"the activity", q.bob, `{"question":"Q","participant":"BOB","activity":"QA"}`, 400, errCode("activity", "read_only")},
	} {
		t.Run(s.name, func(t *testing.T) {
			body := strings.NewReplacer("QA", q.act.Id, "Q", id, "ADA", q.ada.Id, "BOB", q.bob.Id, "CY", q.cy.Id).Replace(s.body)
			res := postJSON(t, q.base+"/api/collections/question_votes/records", body, q.auth(t, s.who))
			if s.code == "" {
				qaWant(t, s.name, res, s.status)
			} else {
				qaWant(t, s.name, res, s.status, s.code)
			}
		})
	}
	for _, status := range []string{"hidden", "answered"} {
		qaWant(t, status, q.patch(t, q.hostA, id, `{"status":"`+status+`"}`), 200)
		qaWant(t, "vote on "+status, q.vote(t, q.bob, id), 409, errCode("question", "question_not_visible"))
	}
	qaWant(t, "visible again", q.patch(t, q.hostA, id, `{"status":"visible"}`), 200)
	qaWant(t, "vote", q.vote(t, q.bob, id), 200)
	expire(t, q.app, q.act)
	var vote struct{ Items []struct{ ID string } }
	_ = json.Unmarshal(getJSON(t, q.base+"/api/collections/question_votes/records", token(t, q.bob)).body, &vote)
	qaWant(t, "withdraw after the end", doJSON(t, http.MethodDelete, q.base+"/api/collections/question_votes/records/"+vote.Items[0].ID, "", token(t, q.bob)), 409, errCode("activity", "activity_not_active"))
	qaWant(t, "vote after the end", q.vote(t, q.cy, id), 400)
}

// The host moderates through PATCH: status and pinned; never the text,
// the author, the activity or the votes; a participant cannot moderate.
func TestQAModerationByREST(t *testing.T) {
	t.Parallel()
	q := newQA(t, "", `{"moderated":true}`, true)
	id := q.asked(t, q.ada, "Will it ship?")
	r, _ := q.app.FindRecordById(c.Questions, id)
	if r.GetString(c.QuestionStatus) != "pending" {
		t.Fatalf("moderated question stored as %q", r.GetString(c.QuestionStatus))
	}
	// Pending: the author and the host see it, Bob does not.
	qaWant(t, "bob lists", q.list(t, q.bob, ""), 200, `"totalItems":0`)
	qaWant(t, "bob views", getJSON(t, q.base+"/api/collections/questions/records/"+id, token(t, q.bob)), 404)
	qaWant(t, "ada lists", q.list(t, q.ada, ""), 200, `"totalItems":1`, `"status":"pending"`)
	qaWant(t, "host lists", q.list(t, q.hostA, ""), 200, `"totalItems":1`)
	qaWant(t, "other host lists", q.list(t, q.hostB, ""), 200, `"totalItems":0`)

	qaWant(t, "ada approves", q.patch(t, q.ada, id, `{"status":"visible"}`), 404)
	qaWant(t, "other host approves", q.patch(t, q.hostB, id, `{"status":"visible"}`), 404)
	qaWant(t, "host edits the text", q.patch(t, q.hostA, id, `{"text":"Will it ever ship?"}`), 400, errCode("text", "immutable"))
	qaWant(t, "host sets votes", q.patch(t, q.hostA, id, `{"votes":40}`), 400, errCode("votes", "read_only"))
	qaWant(t, "host moves it", q.patch(t, q.hostA, id, `{"participant":"`+q.bob.Id+`"}`), 400, errCode("participant", "immutable"))
	qaWant(t, "host moves it elsewhere", q.patch(t, q.hostA, id, `{"activity":"`+createActivity(t, q.app, q.s1, "qa", `{}`).Id+`"}`), 400, errCode("activity", "immutable"))
	qaWant(t, "host approves and pins", q.patch(t, q.hostA, id, `{"status":"visible","pinned":true}`), 200, `"status":"visible"`, `"pinned":true`)
	qaWant(t, "bob lists", q.list(t, q.bob, ""), 200, `"totalItems":1`)
	qaWant(t, "back to pending", q.patch(t, q.hostA, id, `{"status":"pending"}`), 400, errCode("status", "invalid_transition"))
	qaWant(t, "unknown status", q.patch(t, q.hostA, id, `{"status":"deleted"}`), 400)
	qaWant(t, "answered", q.patch(t, q.hostA, id, `{"status":"answered"}`), 200)
	qaWant(t, "hidden", q.patch(t, q.hostA, id, `{"status":"hidden"}`), 200)
	qaWant(t, "bob lists hidden", q.list(t, q.bob, ""), 200, `"totalItems":0`)
	qaWant(t, "ada still sees hers", q.list(t, q.ada, ""), 200, `"totalItems":1`, `"status":"hidden"`)

	// Every save path: a Go save cannot edit the text or the votes either.
	r, _ = q.app.FindRecordById(c.Questions, id)
	r.Set(c.QuestionText, "edited")
	if err := q.app.Save(r); errFieldCode(err, c.QuestionText) != "immutable" {
		t.Fatalf("Go edit of the text: %v", err)
	}
	r, _ = q.app.FindRecordById(c.Questions, id)
	r.Set(c.QuestionVoteCount, 7)
	if err := q.app.Save(r); errFieldCode(err, c.QuestionVoteCount) != "read_only" {
		t.Fatalf("Go edit of the votes: %v", err)
	}
	// After the session, nothing changes.
	setSessionStatus(t, q.app, q.s1, c.SessionCompleted)
	qaWant(t, "after the session", q.patch(t, q.hostA, id, `{"status":"visible"}`), 400, errCode("activity", "session_completed"))
}

// A stale copy of the question (the host's, loaded before a vote) does not
// overwrite the server's count.
func TestQAModerationKeepsTheCount(t *testing.T) {
	t.Parallel()
	q := newQA(t, "", `{}`, true)
	id := q.asked(t, q.ada, "count?")
	stale, _ := q.app.FindRecordById(c.Questions, id)
	qaWant(t, "vote", q.vote(t, q.bob, id), 200)
	stale.Set(c.QuestionPinned, true)
	if err := q.app.Save(stale); err != nil {
		t.Fatal(err)
	}
	if n := q.votesOf(t, id); n != 1 {
		t.Fatalf("votes after a stale save = %d, want 1", n)
	}
	// A Go create cannot start with votes either.
	r := core.NewRecord(stale.Collection())
	r.Set(c.QuestionActivity, q.act.Id)
	r.Set(c.QuestionParticipant, q.bob.Id)
	r.Set(c.QuestionText, "fake popular?")
	r.Set(c.QuestionVoteCount, 50)
	if err := q.app.Save(r); errFieldCode(err, c.QuestionVoteCount) != "read_only" {
		t.Fatalf("Go create with votes: %v", err)
	}
	// Nor a question by a participant of another session.
	r.Set(c.QuestionVoteCount, 0)
	r.Set(c.QuestionParticipant, q.cy.Id)
	if err := q.app.Save(r); errFieldCode(err, c.QuestionParticipant) != "wrong_session" {
		t.Fatalf("Go create for another session's participant: %v", err)
	}
}

// Withdrawing: the author deletes their question while the Q&A is active;
// nobody else but the host can; its votes go with it.
func TestQAWithdrawQuestion(t *testing.T) {
	t.Parallel()
	q := newQA(t, "", `{}`, true)
	id := q.asked(t, q.ada, "withdraw me?")
	qaWant(t, "vote", q.vote(t, q.bob, id), 200)
	del := func(who *core.Record, id string) httpResult {
		return doJSON(t, http.MethodDelete, q.base+"/api/collections/questions/records/"+id, "", q.auth(t, who))
	}
	qaWant(t, "bob deletes ada's", del(q.bob, id), 404)
	qaWant(t, "cy deletes ada's", del(q.cy, id), 404)
	qaWant(t, "ada withdraws", del(q.ada, id), 204)
	if n, _ := q.app.CountRecords(c.QuestionVotes); n != 0 {
		t.Fatalf("%d votes left after the question went", n)
	}
	later := q.asked(t, q.ada, "and this one?")
	other := q.asked(t, q.bob, "mine?")
	qaWant(t, "host removes", del(q.hostA, other), 204)
	expire(t, q.app, q.act)
	qaWant(t, "withdraw after the end", del(q.ada, later), 409, errCode("activity", "activity_not_active"))
	setSessionStatus(t, q.app, q.s1, c.SessionCompleted)
	qaWant(t, "host removes after the session", del(q.hostA, later), 400, errCode("activity", "session_completed"))
}

// The count stays exact under racing votes and withdrawals.
func TestQAVotesExactUnderRace(t *testing.T) {
	t.Parallel()
	q := newQA(t, "", `{}`, true)
	id := q.asked(t, q.ada, "race?")
	voters := make([]*core.Record, 24)
	for i := range voters {
		voters[i] = createParticipant(t, q.app, q.s1, fmt.Sprintf("Voter %d", i))
	}
	var wg sync.WaitGroup
	for _, v := range voters {
		wg.Add(2)
		go func() { defer wg.Done(); q.vote(t, v, id) }()
		go func() { defer wg.Done(); q.vote(t, v, id) }() // the same twice: one wins
	}
	wg.Wait()
	if n := q.votesOf(t, id); n != len(voters) {
		t.Fatalf("votes = %d, want %d", n, len(voters))
	}
	// Half withdraw while the other half's duplicates are refused.
	var list struct{ Items []struct{ ID string } }
	for _, v := range voters[:12] {
		_ = json.Unmarshal(getJSON(t, q.base+"/api/collections/question_votes/records", token(t, v)).body, &list)
		wg.Add(2)
		go func(vid string) {
			defer wg.Done()
			doJSON(t, http.MethodDelete, q.base+"/api/collections/question_votes/records/"+vid, "", token(t, v))
		}(list.Items[0].ID)
		go func() { defer wg.Done(); q.vote(t, voters[23], id) }()
	}
	wg.Wait()
	stored, _ := q.app.CountRecords(c.QuestionVotes)
	if n := q.votesOf(t, id); n != 12 || int(stored) != 12 {
		t.Fatalf("votes = %d, rows = %d, want 12", n, stored)
	}
}

// An anonymous Q&A never shows the author to anyone but the host (and the
// author): not in a list or a view, not through a filter, a sort or an
// expand, not in realtime messages, not in the live state or the results.
func TestQAAnonymity(t *testing.T) {
	t.Parallel()
	q := newQA(t, "", `{"anonymous":true}`, true)
	id := q.asked(t, q.ada, "Who asked this?")
	bob, ada, host := token(t, q.bob), token(t, q.ada), token(t, q.hostA)

	for _, path := range []string{"?", "/" + id + "?", "?expand=participant&", "/" + id + "?expand=participant&"} {
		res := getJSON(t, q.base+"/api/collections/questions/records"+path+"x=1", bob)
		qaWant(t, "bob reads "+path, res, 200, id)
		if strings.Contains(string(res.body), q.ada.Id) || strings.Contains(string(res.body), "Ada") || strings.Contains(string(res.body), `"participant"`) {
			t.Fatalf("bob reads %s and learns the author: %s", path, res.body)
		}
		qaWant(t, "host reads "+path, getJSON(t, q.base+"/api/collections/questions/records"+path+"x=1", host), 200, `"participant":"`+q.ada.Id+`"`)
		qaWant(t, "ada reads "+path, getJSON(t, q.base+"/api/collections/questions/records"+path+"x=1", ada), 200, `"participant":"`+q.ada.Id+`"`)
	}
	for _, query := range []string{
		"filter=" + url.QueryEscape(`participant="`+q.ada.Id+`"`),
		"filter=" + url.QueryEscape(`participant.nickname="Ada"`),
		"sort=participant",
	} {
		// The field is hidden: only superusers may filter or sort on it.
		qaWant(t, "bob's "+query, q.list(t, q.bob, query), 400)
	}
	// A vote's expand of its question hides the author too.
	qaWant(t, "vote", q.vote(t, q.bob, id), 200)
	res := getJSON(t, q.base+"/api/collections/question_votes/records?expand=question", bob)
	qaWant(t, "bob's votes expanded", res, 200, `"text":"Who asked this?"`)
	if strings.Contains(string(res.body), q.ada.Id) {
		t.Fatalf("an expanded question names its author: %s", res.body)
	}

	// Realtime: Bob's message has no author, the host's has.
	bobRT, hostRT := openSSE(t, q.base), openSSE(t, q.base)
	bobRT.subscribe(t, q.base, bob, "questions")
	hostRT.subscribe(t, q.base, host, "questions")
	q.asked(t, q.ada, "And this one?")
	for _, s := range []struct {
		who    string
		cl     *sseClient
		author bool
	}{{"bob", bobRT, false}, {"host", hostRT, true}} {
		ev := s.cl.next(t, 5*time.Second)
		if !strings.Contains(ev.data, "And this one?") {
			t.Fatalf("%s's realtime message: %s", s.who, ev.data)
		}
		if strings.Contains(ev.data, q.ada.Id) != s.author {
			t.Fatalf("%s's realtime message names the author = %v: %s", s.who, !s.author, ev.data)
		}
	}

	// The live state and the results name no author.
	live := waitLive(t, q.base, codeOf(q.s1), func(s liveState) bool { return questionCount(s) == 2 })
	raw, _ := json.Marshal(live.Results)
	if strings.Contains(string(raw), "Ada") || !strings.Contains(string(raw), `"author":null`) {
		t.Fatalf("anonymous live results: %s", raw)
	}
	res = getJSON(t, q.base+"/api/activities/"+q.act.Id+"/results", bob)
	qaWant(t, "results", res, 200, `"author":null`)
	if strings.Contains(string(res.body), "Ada") {
		t.Fatalf("anonymous results name the author: %s", res.body)
	}
}

// A named Q&A shows the author's id to participants and the nickname in
// the live state.
func TestQANamedShowsTheAuthor(t *testing.T) {
	t.Parallel()
	q := newQA(t, "", `{}`, true)
	id := q.asked(t, q.ada, "Named?")
	qaWant(t, "bob reads", getJSON(t, q.base+"/api/collections/questions/records/"+id, token(t, q.bob)), 200, `"participant":"`+q.ada.Id+`"`)
	qaWant(t, "an outsider reads", getJSON(t, q.base+"/api/collections/questions/records/"+id, token(t, q.cy)), 404)
	qaWant(t, "anonymous reads", getJSON(t, q.base+"/api/collections/questions/records/"+id, ""), 404)
	live := waitLive(t, q.base, codeOf(q.s1), func(s liveState) bool { return questionCount(s) == 1 })
	raw, _ := json.Marshal(live.Results)
	if !strings.Contains(string(raw), `"author":"Ada"`) {
		t.Fatalf("named live results: %s", raw)
	}
}

func questionCount(s liveState) int {
	qs, _ := s.Results["questions"].([]any)
	return len(qs)
}

// waitLive polls the live state until ok (the live engine coalesces).
func waitLive(t *testing.T, base, code string, ok func(liveState) bool) liveState {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		res := getJSON(t, base+"/api/live/"+code, "")
		s := decodeLive(t, res.body)
		if ok(s) {
			return s
		}
		if time.Now().After(deadline) {
			t.Fatalf("live state never settled: %s", res.body)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// The live state and the results carry the public questions, by pinned,
// then votes, then time; hidden and pending ones never.
func TestQALiveOrder(t *testing.T) {
	t.Parallel()
	q := newQA(t, "", `{"moderated":true}`, true)
	first := q.asked(t, q.ada, "first?")
	second := q.asked(t, q.bob, "second?")
	third := q.asked(t, q.ada, "third?")
	secret := q.asked(t, q.bob, "secret pending?")
	hidden := q.asked(t, q.bob, "hidden?")
	for _, id := range []string{first, second, third} {
		qaWant(t, "approve", q.patch(t, q.hostA, id, `{"status":"visible"}`), 200)
	}
	qaWant(t, "hide", q.patch(t, q.hostA, hidden, `{"status":"hidden"}`), 200)
	qaWant(t, "vote", q.vote(t, q.ada, second), 200)
	qaWant(t, "pin", q.patch(t, q.hostA, third, `{"pinned":true}`), 200)
	qaWant(t, "answer", q.patch(t, q.hostA, first, `{"status":"answered"}`), 200)

	want := []string{third, second, first}
	order := func(res map[string]any) []string {
		var ids []string
		qs, _ := res["questions"].([]any)
		for _, x := range qs {
			ids = append(ids, x.(map[string]any)["id"].(string))
		}
		return ids
	}
	live := waitLive(t, q.base, codeOf(q.s1), func(s liveState) bool {
		return strings.Join(order(s.Results), ",") == strings.Join(want, ",") && s.Results["questions"].([]any)[0].(map[string]any)["pinned"] == true
	})
	raw, _ := json.Marshal(live)
	for _, leak := range []string{secret, hidden, "secret pending?", "hidden?"} {
		if strings.Contains(string(raw), leak) {
			t.Fatalf("live state leaks %s: %s", leak, raw)
		}
	}
	if live.Activity["type"] != "qa" || live.Activity["moderated"] != true {
		t.Fatalf("live activity: %v", live.Activity)
	}
	var res map[string]any
	body := getJSON(t, q.base+"/api/activities/"+q.act.Id+"/results", "").body
	_ = json.Unmarshal(body, &res)
	if strings.Join(order(res), ",") != strings.Join(want, ",") || strings.Contains(string(body), secret) {
		t.Fatalf("results route: %s", body)
	}
	if votes := res["questions"].([]any)[1].(map[string]any)["votes"]; votes != float64(1) {
		t.Fatalf("second's votes in the results = %v", votes)
	}
}

// A Q&A takes no answers.
func TestQATakesNoResponses(t *testing.T) {
	t.Parallel()
	q := newQA(t, "", `{}`, true)
	body := fmt.Sprintf(`{"activity":%q,"participant":%q,"value":{"choices":[0]}}`, q.act.Id, q.ada.Id)
	qaWant(t, "answer", postJSON(t, q.base+"/api/collections/responses/records", body, token(t, q.ada)), 400, errCode("value", "questions_only"))
}

// Questions, upvotes and their withdrawals count against a participant's
// writes: each burst of 20 (the bucket holds 10, one back a second) meets
// 429s, which a write that does not count would never get.
func TestQAParticipantWriteLimit(t *testing.T) {
	t.Parallel()
	q := newQA(t, "limits", `{"max_questions":50}`, true)
	bobQ := q.asked(t, q.bob, "bob's?")
	res := q.vote(t, q.ada, bobQ)
	qaWant(t, "ada's upvote", res, 200)
	var vote struct{ ID string }
	_ = json.Unmarshal(res.body, &vote)
	ada := token(t, q.ada)
	burst := func(what string, write func(i int) httpResult) {
		t.Helper()
		statuses := make(chan int, 20)
		var wg sync.WaitGroup
		for i := range 20 {
			wg.Add(1)
			go func() { defer wg.Done(); statuses <- write(i).status }()
		}
		wg.Wait()
		close(statuses)
		seen := map[int]int{}
		for s := range statuses {
			seen[s]++
		}
		if seen[http.StatusTooManyRequests] == 0 {
			t.Fatalf("%s: 20 writes at once were never limited: %v", what, seen)
		}
	}
	burst("asks", func(i int) httpResult { return q.ask(t, q.ada, q.ada.Id, fmt.Sprintf("q %d?", i)) })
	burst("upvotes", func(int) httpResult { return q.vote(t, q.ada, bobQ) })
	burst("withdrawals", func(int) httpResult {
		return doJSON(t, http.MethodDelete, q.base+"/api/collections/question_votes/records/"+vote.ID, "", ada)
	})
	// Bob, behind the same address, is not affected.
	qaWant(t, "bob votes", q.vote(t, q.bob, q.asked(t, q.cy2(t), "other?")), 200)
}

// cy2 is another participant of S1, for a question Bob can vote on.
func (q *qaWorld) cy2(t *testing.T) *core.Record {
	return createParticipant(t, q.app, q.s1, "Dee")
}

// The export has every question (hidden and pending too, with authors) and
// every vote.
func TestQAExport(t *testing.T) {
	t.Parallel()
	q := newQA(t, "", `{"moderated":true,"anonymous":true}`, true)
	pending := q.asked(t, q.ada, "pending in export?")
	shown := q.asked(t, q.bob, "=shown in export?")
	qaWant(t, "approve", q.patch(t, q.hostA, shown, `{"status":"visible"}`), 200)
	qaWant(t, "vote", q.vote(t, q.ada, shown), 200)
	host := token(t, q.hostA)
	res := getJSON(t, q.base+"/api/sessions/"+q.s1.Id+"/export", host)
	qaWant(t, "json export", res, 200)
	var doc struct {
		Questions []struct {
			ID, Participant, Nickname, Text, Status string
			Votes                                   int
		} `json:"questions"`
		Votes []struct{ Question, Participant, Nickname, Activity string } `json:"question_votes"`
	}
	if err := json.Unmarshal(res.body, &doc); err != nil {
		t.Fatalf("export: %v: %s", err, res.body)
	}
	if len(doc.Questions) != 2 || doc.Questions[0].ID != pending || doc.Questions[0].Nickname != "Ada" || doc.Questions[0].Status != "pending" ||
		doc.Questions[1].Votes != 1 || doc.Questions[1].Participant != q.bob.Id {
		t.Fatalf("export questions: %+v", doc.Questions)
	}
	if len(doc.Votes) != 1 || doc.Votes[0].Question != shown || doc.Votes[0].Nickname != "Ada" || doc.Votes[0].Activity != q.act.Id {
		t.Fatalf("export votes: %+v", doc.Votes)
	}
	csv := getJSON(t, q.base+"/api/sessions/"+q.s1.Id+"/export?format=csv", host)
	qaWant(t, "csv export", csv, 200, "pending in export?", `'=shown in export?`, `""votes"":1`)
	rows, err := stdcsv.NewReader(bytes.NewReader(csv.body)).ReadAll() // every row as wide as the header
	if err != nil || len(rows) < 2 {
		t.Fatalf("csv export does not parse as rows of the header's width: %v (%d rows)", err, len(rows))
	}
}

// A participant cannot ask through the batch API: its sub-requests would
// skip the route middlewares (the write limit among them), so a
// participant's batch is refused whole (server/batch.go) and nothing is
// asked.
func TestQABatchPath(t *testing.T) {
	t.Parallel()
	q := newQA(t, "", `{}`, true)
	settings := q.app.Settings()
	settings.Batch.Enabled = true
	settings.Batch.MaxRequests = 10
	if err := q.app.Save(settings); err != nil {
		t.Fatal(err)
	}
	body := fmt.Sprintf(`{"requests":[{"method":"POST","url":"/api/collections/questions/records","body":{"activity":%q,"participant":%q,"text":"batched?"}}]}`,
		q.act.Id, q.ada.Id)
	qaWant(t, "batch", postJSON(t, q.base+"/api/batch", body, token(t, q.ada)), 403)
	if r, err := q.app.FindFirstRecordByData(c.Questions, c.QuestionText, "batched?"); err == nil {
		t.Fatalf("a batched question was asked: %v", r)
	}
}

// A pending question reaches no other participant's realtime
// subscription; once approved, it does.
func TestQAPendingStaysOffRealtime(t *testing.T) {
	t.Parallel()
	q := newQA(t, "", `{"moderated":true}`, true)
	bobRT := openSSE(t, q.base)
	bobRT.subscribe(t, q.base, token(t, q.bob), "questions")
	id := q.asked(t, q.ada, "pending, secret?")
	if got := bobRT.drain(500 * time.Millisecond); len(got) != 0 {
		t.Fatalf("bob heard of a pending question: %+v", got)
	}
	qaWant(t, "approve", q.patch(t, q.hostA, id, `{"status":"visible"}`), 200)
	if ev := bobRT.next(t, 5*time.Second); !strings.Contains(ev.data, "pending, secret?") || !strings.Contains(ev.data, `"visible"`) {
		t.Fatalf("bob's event after the approval: %s", ev.data)
	}
	qaWant(t, "hide", q.patch(t, q.hostA, id, `{"status":"hidden"}`), 200)
	if got := bobRT.drain(500 * time.Millisecond); len(got) != 0 {
		t.Fatalf("bob heard of a hidden question: %+v", got)
	}
}

// A kick takes the participant's questions and upvotes with it, and the
// counts follow; a completed session with questions and votes can still be
// deleted (the cascade is the server's own).
func TestQAKickAndDeleteCascade(t *testing.T) {
	t.Parallel()
	q := newQA(t, "", `{}`, true)
	adas := q.asked(t, q.ada, "Ada's?")
	bobs := q.asked(t, q.bob, "Bob's?")
	qaWant(t, "bob upvotes", q.vote(t, q.bob, adas), 200)
	qaWant(t, "ada upvotes", q.vote(t, q.ada, bobs), 200)
	qaWant(t, "kick bob", doJSON(t, http.MethodDelete, q.base+"/api/collections/participants/records/"+q.bob.Id, "", token(t, q.hostA)), 204)
	if n := q.votesOf(t, adas); n != 0 {
		t.Fatalf("votes of ada's question after bob's kick = %d, want 0", n)
	}
	if _, err := q.app.FindRecordById(c.Questions, bobs); err == nil {
		t.Fatal("bob's question outlived his kick")
	}
	if n, _ := q.app.CountRecords(c.QuestionVotes); n != 0 {
		t.Fatalf("%d upvotes left", n)
	}
	qaWant(t, "cy-less vote", q.vote(t, q.cy2(t), adas), 200)
	expire(t, q.app, q.act)
	setSessionStatus(t, q.app, q.s1, c.SessionCompleted)
	qaWant(t, "delete the session", doJSON(t, http.MethodDelete, q.base+"/api/collections/sessions/records/"+q.s1.Id, "", token(t, q.hostA)), 204)
	if n, _ := q.app.CountRecords(c.Questions); n != 0 {
		t.Fatalf("%d questions outlived their session", n)
	}
}

// Database faults under the export's Q&A part: before the answer starts,
// a 500; once it is streaming, the status is sent and the export is cut
// short, never a complete-looking document.
func TestQAExportFaults(t *testing.T) {
	t.Parallel()
	for _, s := range []struct {
		name, gone, format string
		status             int
	}{
		{"json, questions gone", c.Questions, "json", 500},
		{"json, votes gone", c.QuestionVotes, "json", 200},
		{"csv, questions gone", c.Questions, "csv", 200},
	} {
		t.Run(s.name, func(t *testing.T) {
			t.Parallel()
			q := newQA(t, "", `{}`, true)
			id := q.asked(t, q.ada, "faulty?")
			qaWant(t, "vote", q.vote(t, q.bob, id), 200)
			if _, err := q.app.DB().NewQuery("ALTER TABLE {{" + s.gone + "}} RENAME TO {{" + s.gone + "_gone}}").Execute(); err != nil {
				t.Fatal(err)
			}
			res := getJSON(t, q.base+"/api/sessions/"+q.s1.Id+"/export?format="+s.format, token(t, q.hostA))
			if res.status != s.status {
				t.Fatalf("status %d, want %d: %s", res.status, s.status, res.body)
			}
			switch {
			case s.status == 200 && s.format == "json" && json.Valid(res.body):
				t.Fatalf("a cut export parses as a whole one: %s", res.body)
			case s.status == 200 && s.format == "csv" && strings.Contains(string(res.body), "faulty?"):
				t.Fatalf("the csv has the question: %s", res.body)
			}
		})
	}
}

// Database faults under the Q&A's record rules answer 500, never a 4xx
// that blames the client.
func TestQARuleFaults(t *testing.T) {
	t.Parallel()
	for _, s := range []struct {
		name, gone, who, method, path, body string
	}{
		{"an ask", c.Activities, "ada", http.MethodPost, "/api/collections/questions/records", `{"activity":"QA","participant":"ADA","text":"fault?"}`},
		{"an ask by a superuser", c.Activities, "root", http.MethodPost, "/api/collections/questions/records", `{"activity":"QA","participant":"ADA","text":"fault?"}`},
		{"an ask, the count", c.Participants, "root", http.MethodPost, "/api/collections/questions/records", `{"activity":"QA","participant":"ADA","text":"fault?"}`},
		{"an upvote", c.Questions, "bob", http.MethodPost, "/api/collections/question_votes/records", `{"question":"Q","participant":"BOB"}`},
		{"an upvote by a superuser", c.Activities, "root", http.MethodPost, "/api/collections/question_votes/records", `{"question":"Q","participant":"BOB"}`},
		{"a moderation", c.Activities, "root", http.MethodPatch, "/api/collections/questions/records/Q", `{"status":"hidden"}`},
	} {
		t.Run(s.name, func(t *testing.T) {
			t.Parallel()
			q := newQA(t, "", `{}`, true)
			id := q.asked(t, q.ada, "there?")
			who := map[string]*core.Record{"ada": q.ada, "bob": q.bob, "root": q.root}[s.who]
			auth := token(t, who)
			if _, err := q.app.DB().NewQuery("ALTER TABLE {{" + s.gone + "}} RENAME TO {{" + s.gone + "_gone}}").Execute(); err != nil {
				t.Fatal(err)
			}
			fill := strings.NewReplacer("QA", q.act.Id, "Q", id, "ADA", q.ada.Id, "BOB", q.bob.Id)
			res := doJSON(t, s.method, q.base+fill.Replace(s.path), fill.Replace(s.body), auth)
			if res.status != 500 {
				t.Fatalf("status %d, want 500: %s", res.status, res.body)
			}
		})
	}
}

// Questions pass the word filter: the server's list (spaced and look-alike
// spellings too) and the session's own blocked words, 400 blocked_word on
// text; a clean question is asked.
func TestQAWordFilter(t *testing.T) {
	q := newQA(t, "", `{}`, true)
	if res := setBlockedWords(t, q.base, q.world, q.s1, `["kotlin"]`); res.status != http.StatusOK {
		t.Fatalf("set blocked words: %d %s", res.status, res.body)
	}
	for _, text := range []string{"Why is Kotlin everywhere?", "what the f u c k is this", "This is shit"} {
		res := q.ask(t, q.ada, q.ada.Id, text)
		if res.status != http.StatusBadRequest || fieldCodeOf(t, res.body, "text") != "blocked_word" {
			t.Errorf("ask %q: %d %s, want 400 blocked_word on text", text, res.status, res.body)
		}
	}
	q.asked(t, q.ada, "When does the keynote end?")
}
