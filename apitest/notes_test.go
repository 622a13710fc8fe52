package apitest_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"

	c "conflicto/collections"
	"conflicto/config"
)

// secretNote is a speaker note only the session's owner may ever read.
const secretNote = "Psst: the answer is 4, tease them first."

// notesWorld is S1 with a running quiz that has a speaker note, answered
// by Ada, and a draft poll after it with a note of its own.
func notesWorld(t testing.TB) (*world, *core.Record, *core.Record) {
	w := newWorld(t, config.Default())
	quiz := createActivity(t, w.app, w.s1, "quiz", quizConfig)
	poll := createActivity(t, w.app, w.s1, "poll", pollConfig)
	for _, a := range []*core.Record{quiz, poll} {
		a.Set(c.ActivityNotes, secretNote)
		if err := w.app.Save(a); err != nil {
			t.Fatal(err)
		}
	}
	activate(t, w.app, quiz)
	saveResponse(t, w.app, quiz, w.ada, `{"choice":2}`)
	return w, quiz, poll
}

// The owner reads and writes the notes over REST; everyone else reads no
// activity at all (the API rules), so never a note.
func TestNotesOverREST(t *testing.T) {
	t.Parallel()
	w, quiz, _ := notesWorld(t)
	srv := startServer(t, w.app)
	base := srv.URL + "/api/collections/activities/records"
	for _, actor := range allActors {
		auth := w.headers(t, actor)["Authorization"]
		list := getJSON(t, base+"?perPage=50", auth)
		view := getJSON(t, base+"/"+quiz.Id, auth)
		owner := actor == actorOwner || actor == actorSuperuser
		if got := strings.Contains(string(list.body)+string(view.body), secretNote); got != owner {
			t.Errorf("%s: notes in list/view = %v (list %d, view %d)", actor, got, list.status, view.status)
		}
		if !owner && view.status != 404 {
			t.Errorf("%s: view = %d, want 404", actor, view.status)
		}
	}
	// Nor through an answer's relation: Ada expands her own answer's activity.
	ada := w.headers(t, actorParticipant)["Authorization"]
	res := getJSON(t, srv.URL+"/api/collections/responses/records?expand=activity", ada)
	if res.status != 200 || !strings.Contains(string(res.body), w.ada.Id) || strings.Contains(string(res.body), secretNote) {
		t.Errorf("participant's answers with the activity expanded: %d %s", res.status, res.body)
	}

	// The owner may change the notes of a running activity (its config is
	// frozen, its notes are not).
	tok := token(t, w.hostA)
	res = doJSON(t, http.MethodPatch, base+"/"+quiz.Id, `{"notes":"Line one\nline two"}`, tok)
	if res.status != 200 || !strings.Contains(string(res.body), `"notes":"Line one\nline two"`) {
		t.Fatalf("owner edits running notes: %d %s", res.status, res.body)
	}
}

// Notes are at most 2,000 characters (not bytes), refused with a field
// code, never cut.
func TestNotesLength(t *testing.T) {
	t.Parallel()
	w, quiz, _ := notesWorld(t)
	srv := startServer(t, w.app)
	tok := token(t, w.hostA)
	url := srv.URL + "/api/collections/activities/records/" + quiz.Id
	res := doJSON(t, http.MethodPatch, url, fmt.Sprintf(`{"notes":%q}`, strings.Repeat("é", c.MaxNotesLength)), tok)
	if res.status != 200 {
		t.Fatalf("2,000 characters: %d %s", res.status, res.body)
	}
	res = doJSON(t, http.MethodPatch, url, fmt.Sprintf(`{"notes":%q}`, strings.Repeat("a", c.MaxNotesLength+1)), tok)
	if res.status != 400 || !strings.Contains(string(res.body), errCode(c.ActivityNotes, "validation_max_text_constraint")) {
		t.Fatalf("2,001 characters: %d %s", res.status, res.body)
	}
	res = doJSON(t, http.MethodPost, srv.URL+"/api/collections/activities/records",
		fmt.Sprintf(`{"session":%q,"type":"poker","title":"Q","notes":%q}`, w.s1.Id, strings.Repeat("a", c.MaxNotesLength+1)), tok)
	if res.status != 400 || !strings.Contains(string(res.body), errCode(c.ActivityNotes, "validation_max_text_constraint")) {
		t.Fatalf("create with 2,001 characters: %d %s", res.status, res.body)
	}
	if got := refetch(t, w.app, quiz).GetString(c.ActivityNotes); got != strings.Repeat("é", c.MaxNotesLength) {
		t.Fatalf("stored notes changed by the refused write: %d characters", len([]rune(got)))
	}
}

// Realtime record events: the owner's subscription carries the notes, a
// participant's and another host's carry nothing of the activity.
func TestNotesOverRealtime(t *testing.T) {
	t.Parallel()
	w, quiz, _ := notesWorld(t)
	srv := startServer(t, w.app)
	subscribers := map[string]*sseClient{}
	for _, actor := range []string{actorOwner, actorParticipant, actorOtherHost} {
		cl := openSSE(t, srv.URL)
		cl.subscribe(t, srv.URL, w.headers(t, actor)["Authorization"], "activities/*", "activities/"+quiz.Id)
		subscribers[actor] = cl
	}
	reveal(t, w.app, quiz, true)
	for actor, cl := range subscribers {
		all := ""
		n := 0
		for _, ev := range cl.drain(500 * time.Millisecond) {
			if strings.HasPrefix(ev.name, "activities/") {
				all += ev.data
				n++
			}
		}
		if actor == actorOwner {
			if n != 2 || strings.Count(all, secretNote) != 2 {
				t.Errorf("owner: %d events, notes in %d", n, strings.Count(all, secretNote))
			}
			continue
		}
		if n != 0 || strings.Contains(all, secretNote) {
			t.Errorf("%s: %d activity events: %s", actor, n, all)
		}
	}
}

// The live document (read and topic) and the results never carry notes,
// for anyone, the owner included: screens show them.
func TestNotesNotInLiveOrResults(t *testing.T) {
	t.Parallel()
	w, quiz, _ := notesWorld(t)
	srv := startServer(t, w.app)
	code := codeOf(w.s1)
	cl := openSSE(t, srv.URL)
	cl.subscribe(t, srv.URL, "", "live/"+code)
	reveal(t, w.app, quiz, true)
	topic := ""
	for _, ev := range cl.drain(700 * time.Millisecond) {
		topic += ev.data
	}
	if !strings.Contains(topic, quiz.Id) {
		t.Fatalf("the topic did not show the quiz: %s", topic)
	}
	bodies := topic
	for _, actor := range allActors {
		auth := w.headers(t, actor)["Authorization"]
		for _, path := range []string{"/api/live/" + code, "/api/activities/" + quiz.Id + "/results"} {
			res := getJSON(t, srv.URL+path, auth)
			if res.status != 200 {
				t.Fatalf("%s %s: %d %s", actor, path, res.status, res.body)
			}
			bodies += string(res.body)
		}
	}
	if strings.Contains(bodies, secretNote) || strings.Contains(bodies, `"notes"`) {
		t.Fatalf("notes in the live state or results: %s", bodies)
	}
}

// The enrich hook itself: whatever lets an activity record through to
// someone (a rule, an expand, a new route), its notes stay the owner's.
func TestNotesHiddenFromEveryoneButTheOwner(t *testing.T) {
	t.Parallel()
	w, quiz, _ := notesWorld(t)
	defer w.app.Cleanup()
	for _, actor := range allActors {
		e := &core.RequestEvent{App: w.app, Event: router.Event{
			Request:  httptest.NewRequest(http.MethodGet, "/api/collections/activities/records/"+quiz.Id, nil),
			Response: httptest.NewRecorder(),
		}}
		switch actor {
		case actorAnonymous:
		case actorParticipant:
			e.Auth = w.ada
		case actorOutsider:
			e.Auth = w.cy
		case actorOwner:
			e.Auth = w.hostA
		case actorOtherHost:
			e.Auth = w.hostB
		case actorSuperuser:
			e.Auth = w.root
		}
		rec := refetch(t, w.app, quiz)
		if err := apis.EnrichRecord(e, rec); err != nil {
			t.Fatal(err)
		}
		_, shown := rec.PublicExport()[c.ActivityNotes]
		if want := actor == actorOwner || actor == actorSuperuser; shown != want {
			t.Errorf("%s: notes shown = %v, want %v", actor, shown, want)
		}
	}
}
