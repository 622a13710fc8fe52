package apitest_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	c "conflicto/collections"
	"conflicto/config"
)

// matrixWorld is newWorld plus an active poll A1 in S1 with Ada's answer
// R1, and a draft poll in S1 (D1) to delete.
type matrixWorld struct {
	*world
	a1, d1, r1 *core.Record
}

func newMatrixWorld(t testing.TB) *matrixWorld {
	w := &matrixWorld{world: newWorld(t, config.Default())}
	w.a1 = createActivity(t, w.app, w.s1, "poll", pollConfig)
	activate(t, w.app, w.a1)
	w.d1 = createActivity(t, w.app, w.s1, "poll", pollConfig)
	w.r1 = saveResponse(t, w.app, w.a1, w.ada, `{"choices":[0]}`)
	return w
}

func (w *matrixWorld) fill(s string) string {
	return strings.NewReplacer(
		"HOSTA", w.hostA.Id, "S1", w.s1.Id, "A1", w.a1.Id, "D1", w.d1.Id, "R1", w.r1.Id,
		"ADA", w.ada.Id, "BOB", w.bob.Id, "CY", w.cy.Id,
	).Replace(s)
}

// TestAccessMatrix is the access-rule matrix: every actor × collection ×
// operation on records of S1, with the expected status. For list, the
// cell also says whether the S1 record is in the page ("seen") or not
// ("hidden"): nothing of S1 may reach anyone outside it.
func TestAccessMatrix(t *testing.T) {
	type op struct {
		name, method, url, body string
	}
	type cell struct {
		status int
		seen   bool // for 200s: the target id is in the body
	}
	ok, seen, hidden := cell{200, true}, cell{200, true}, cell{200, false}
	created, deleted := cell{200, false}, cell{204, false}
	s := func(status int) cell { return cell{status, false} }

	// Columns: anonymous, participant of S1 (Ada), participant of S2 (Cy),
	// host A (owner), host B, superuser.
	matrix := []struct {
		op    op
		cells [6]cell
	}{
		// sessions
		{op{"sessions list", "GET", "/api/collections/sessions/records", ""}, [6]cell{hidden, hidden, hidden, seen, hidden, seen}},
		{op{"sessions view", "GET", "/api/collections/sessions/records/S1", ""}, [6]cell{s(404), ok, s(404), ok, s(404), ok}},
		{op{"sessions create", "POST", "/api/collections/sessions/records", `{"title":"New","owner":"HOSTA"}`}, [6]cell{s(401), s(403), s(403), created, s(400), created}},
		{op{"sessions update", "PATCH", "/api/collections/sessions/records/S1", `{"title":"Renamed"}`}, [6]cell{s(404), s(404), s(404), ok, s(404), ok}},
		{op{"sessions delete (active)", "DELETE", "/api/collections/sessions/records/S1", ""}, [6]cell{s(404), s(404), s(404), s(404), s(404), s(400)}},
		// activities
		{op{"activities list", "GET", "/api/collections/activities/records", ""}, [6]cell{hidden, hidden, hidden, seen, hidden, seen}},
		{op{"activities view", "GET", "/api/collections/activities/records/A1", ""}, [6]cell{s(404), s(404), s(404), ok, s(404), ok}},
		{op{"activities create", "POST", "/api/collections/activities/records", `{"session":"S1","type":"poker","title":"Estimate"}`}, [6]cell{s(401), s(403), s(403), created, s(400), created}},
		{op{"activities update", "PATCH", "/api/collections/activities/records/A1", `{"title":"Changed"}`}, [6]cell{s(404), s(404), s(404), ok, s(404), ok}},
		{op{"activities delete", "DELETE", "/api/collections/activities/records/D1", ""}, [6]cell{s(404), s(404), s(404), deleted, s(404), deleted}},
		// participants
		{op{"participants list", "GET", "/api/collections/participants/records", ""}, [6]cell{hidden, hidden, hidden, seen, hidden, seen}},
		{op{"participants view", "GET", "/api/collections/participants/records/ADA", ""}, [6]cell{s(404), ok, s(404), ok, s(404), ok}},
		{op{"participants view other", "GET", "/api/collections/participants/records/BOB", ""}, [6]cell{s(404), s(404), s(404), ok, s(404), ok}},
		{op{"participants create", "POST", "/api/collections/participants/records", `{"session":"S1","nickname":"Eve","password":"1234567890","passwordConfirm":"1234567890"}`}, [6]cell{s(403), s(403), s(403), s(403), s(403), created}},
		{op{"participants update", "PATCH", "/api/collections/participants/records/ADA", `{"nickname":"Queen"}`}, [6]cell{s(403), s(403), s(403), s(403), s(403), ok}},
		{op{"participants delete (kick)", "DELETE", "/api/collections/participants/records/BOB", ""}, [6]cell{s(404), s(404), s(404), deleted, s(404), deleted}},
		// responses
		{op{"responses list", "GET", "/api/collections/responses/records", ""}, [6]cell{hidden, seen, hidden, seen, hidden, seen}},
		{op{"responses view", "GET", "/api/collections/responses/records/R1", ""}, [6]cell{s(404), ok, s(404), ok, s(404), ok}},
		{op{"responses create for Bob", "POST", "/api/collections/responses/records", `{"activity":"A1","participant":"BOB","value":{"choices":[1]}}`}, [6]cell{s(401), s(400), s(400), s(403), s(403), created}},
		{op{"responses update", "PATCH", "/api/collections/responses/records/R1", `{"value":{"choices":[1]}}`}, [6]cell{s(404), ok, s(404), s(404), s(404), ok}},
		{op{"responses delete", "DELETE", "/api/collections/responses/records/R1", ""}, [6]cell{s(403), s(403), s(403), s(403), s(403), deleted}},
	}
	actors := [6]string{actorAnonymous, actorParticipant, actorOutsider, actorOwner, actorOtherHost, actorSuperuser}

	for _, row := range matrix {
		for i, want := range row.cells {
			actor := actors[i]
			t.Run(row.op.name+" as "+actor, func(t *testing.T) {
				w := newMatrixWorld(t)
				target := w.fill(row.op.url[strings.LastIndex(row.op.url, "/")+1:])
				var expected, notExpected []string
				switch {
				case want.status == 200 && want.seen:
					expected = []string{`"id":"` + target + `"`}
				case want.status == 200 && row.op.method == http.MethodGet:
					expected, notExpected = []string{`"items":`}, []string{target}
				case want.status == 200:
					expected = []string{`"id":"`}
				case want.status != 204:
					expected = []string{`"status":` + fmt.Sprint(want.status)}
				}
				if row.op.method == http.MethodGet && strings.HasSuffix(row.op.url, "/records") {
					// a list: the target is the first S1 record of the collection
					target = w.listTarget(row.op.url)
					if want.seen {
						expected = []string{`"id":"` + target + `"`}
					} else {
						notExpected = []string{target}
					}
				}
				(&tests.ApiScenario{
					Method:             row.op.method,
					URL:                w.fill(row.op.url),
					Body:               strings.NewReader(w.fill(row.op.body)),
					Headers:            w.headers(t, actor),
					ExpectedStatus:     want.status,
					ExpectedContent:    expected,
					NotExpectedContent: notExpected,
					AfterTestFunc: func(t testing.TB, _ *tests.TestApp, res *http.Response) {
						checkNamesAField(t, res) // every 400 names its field
					},
					TestAppFactory: w.factory,
				}).Test(t)
			})
		}
	}
}

// listTarget is the S1 record a list cell looks for.
func (w *matrixWorld) listTarget(url string) string {
	switch {
	case strings.Contains(url, "/"+c.Sessions+"/"):
		return w.s1.Id
	case strings.Contains(url, "/"+c.Activities+"/"):
		return w.a1.Id
	case strings.Contains(url, "/"+c.Participants+"/"):
		return w.ada.Id
	default:
		return w.r1.Id
	}
}

// TestRealtimeAccessMatrix subscribes every actor to every collection's
// record topics, changes records of S1, and checks who hears of it:
// nothing of S1 reaches anyone outside it (the public live state aside).
func TestRealtimeAccessMatrix(t *testing.T) {
	w := newMatrixWorld(t)
	defer w.app.Cleanup()
	srv := startServer(t, w.app)

	topics := []string{"sessions/*", "sessions/" + w.s1.Id, "activities/*", "participants/*", "responses/*"}
	// What each actor must receive (topic → true); anything else is a leak.
	want := map[string]map[string]bool{
		actorAnonymous:   {},
		actorParticipant: {"sessions/" + w.s1.Id: true},
		actorOutsider:    {},
		actorOwner:       {"sessions/*": true, "sessions/" + w.s1.Id: true, "activities/*": true, "participants/*": true, "responses/*": true},
		actorOtherHost:   {},
		actorSuperuser:   {"sessions/*": true, "sessions/" + w.s1.Id: true, "activities/*": true, "participants/*": true, "responses/*": true},
	}
	clients := map[string]*sseClient{}
	for _, actor := range allActors {
		cl := openSSE(t, srv.URL)
		cl.subscribe(t, srv.URL, w.headers(t, actor)["Authorization"], topics...)
		clients[actor] = cl
	}

	// One change of each kind in S1.
	s1 := refetch(t, w.app, w.s1)
	s1.Set(c.SessionTitle, "Renamed")
	if err := w.app.Save(s1); err != nil {
		t.Fatal(err)
	}
	a1 := refetch(t, w.app, w.a1)
	a1.Set(c.ActivityTitle, "Changed")
	if err := w.app.Save(a1); err != nil {
		t.Fatal(err)
	}
	createParticipant(t, w.app, w.s1, "Eve")
	saveResponse(t, w.app, w.a1, w.bob, `{"choices":[1]}`)

	for _, actor := range allActors {
		got := map[string]bool{}
		for _, ev := range clients[actor].drain(500 * time.Millisecond) {
			got[ev.name] = true
		}
		for topic := range got {
			if !want[actor][topic] {
				t.Errorf("%s received %s: a leak", actor, topic)
			}
		}
		for topic := range want[actor] {
			if !got[topic] {
				t.Errorf("%s did not receive %s", actor, topic)
			}
		}
	}
}
