package live

import (
	"database/sql"
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/subscriptions"
)

// harness is a hub on a fake clock, building from an in-memory world of
// sessions, with a real PocketBase subscriptions broker.
type harness struct {
	t     *testing.T
	clock *fakeClock
	world *stubWorld
	app   core.App
	hub   *Hub
}

func newHarness(t *testing.T, opts ...Option) *harness {
	t.Helper()
	app := core.NewBaseApp(core.BaseAppConfig{DataDir: t.TempDir()})
	x := &harness{t: t, clock: newFakeClock(), world: newStubWorld(), app: app}
	x.hub = New(app, x.world.build, append([]Option{WithClock(x.clock)}, opts...)...)
	x.hub.lookupCode, x.hub.lookupActivity = x.world.sessionOfCode, x.world.sessionOfActivity
	x.hub.buildResults = x.world.buildResults
	t.Cleanup(x.hub.Stop)
	return x
}

// open creates a session in the world and tells the hub, as the session
// hooks do.
func (x *harness) open(id, code string) {
	x.world.set(id, func(s *stubSession) { s.code = code })
	x.hub.RememberSession(id, code)
	x.hub.MarkDirty(id)
}

// subscribe connects a client subscribed to name and welcomes it, as the
// realtime subscribe hook does.
func (x *harness) subscribe(name string) *recorder {
	r := &recorder{DefaultClient: subscriptions.NewDefaultClient()}
	r.Subscribe(name)
	x.app.SubscriptionsBroker().Register(r)
	x.hub.Welcome(r, name)
	return r
}

func (x *harness) unsubscribe(r *recorder) {
	x.app.SubscriptionsBroker().Unregister(r.Id())
}

// size fails the test unless the hub keeps that many sessions, codes and
// activities.
func (x *harness) size(topics, codes, activities int) {
	x.t.Helper()
	gt, gc, ga := x.hub.stats()
	if gt != topics || gc != codes || ga != activities {
		x.t.Fatalf("hub keeps %d sessions, %d codes, %d activities; want %d, %d, %d", gt, gc, ga, topics, codes, activities)
	}
}

// eventually waits, without sleeping, for cond to hold: for work the hub
// hands to a goroutine of its own.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); !cond(); runtime.Gosched() {
		if time.Now().After(deadline) {
			t.Fatalf("%s did not happen", what)
		}
	}
}

// recorder is a realtime client that keeps what it is sent.
type recorder struct {
	*subscriptions.DefaultClient
	mu   sync.Mutex
	msgs []subscriptions.Message
}

func (r *recorder) Send(m subscriptions.Message) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.msgs = append(r.msgs, m)
}

// take returns the messages received since the last take.
func (r *recorder) take() []subscriptions.Message {
	r.mu.Lock()
	defer r.mu.Unlock()
	msgs := r.msgs
	r.msgs = nil
	return msgs
}

// stubWorld is the database as the Builder and the lookups see it.
type stubWorld struct {
	mu         sync.Mutex
	sessions   map[string]*stubSession
	activities map[string]string // activity id → session id
	builds     int
	onBuild    func(sessionID string) // runs inside every build

	// Results: answers per activity; an activity's results are public
	// unless listed in private. The documents show its current activity's.
	answers        map[string]int
	private        map[string]bool
	resultsBuilds  int
	onResultsBuild func(activityID string) // runs inside every results build
}

type stubSession struct {
	code      string
	count     int
	activity  string
	completed bool
}

func newStubWorld() *stubWorld {
	return &stubWorld{sessions: map[string]*stubSession{}, activities: map[string]string{}, answers: map[string]int{}, private: map[string]bool{}}
}

// set creates or changes a session.
func (w *stubWorld) set(id string, change func(*stubSession)) {
	w.mu.Lock()
	defer w.mu.Unlock()
	s := w.sessions[id]
	if s == nil {
		s = &stubSession{}
		w.sessions[id] = s
	}
	change(s)
}

func (w *stubWorld) remove(id string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	delete(w.sessions, id)
}

func (w *stubWorld) buildCount() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.builds
}

func (w *stubWorld) build(_ core.App, sessionID string) (Document, error) {
	w.mu.Lock()
	w.builds++
	s, ok := w.sessions[sessionID]
	var doc Document
	if ok {
		status := "active"
		if s.completed {
			status = "completed"
		}
		doc = Document{
			JSON:       fmt.Appendf(nil, `{"session":{"id":%q,"code":%q,"status":%q},"count":%d,"version":0}`, sessionID, s.code, status, s.count),
			Code:       s.code,
			ActivityID: s.activity,
			Completed:  s.completed,
		}
		if s.activity != "" && !w.private[s.activity] {
			doc.Results = map[string]any{"answers": w.answers[s.activity]}
		}
	}
	onBuild := w.onBuild
	w.mu.Unlock()
	if onBuild != nil {
		onBuild(sessionID)
	}
	if !ok {
		return Document{}, fmt.Errorf("session %s: %w", sessionID, sql.ErrNoRows)
	}
	return doc, nil
}

func (w *stubWorld) sessionOfCode(code string) (string, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for id, s := range w.sessions {
		if s.code == code {
			return id, nil
		}
	}
	return "", sql.ErrNoRows
}

func (w *stubWorld) sessionOfActivity(activityID string) (string, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if id, ok := w.activities[activityID]; ok {
		return id, nil
	}
	return "", sql.ErrNoRows
}

func message(data []byte) subscriptions.Message { return subscriptions.Message{Data: data} }

// buildResults is the stub ResultsBuilder: {"answers": n}.
func (w *stubWorld) buildResults(_ core.App, activityID string) (*ActivityResults, error) {
	w.mu.Lock()
	w.resultsBuilds++
	sessionID, ok := w.activities[activityID]
	r := &ActivityResults{SessionID: sessionID, Public: !w.private[activityID], Doc: map[string]any{"answers": w.answers[activityID]}}
	onBuild := w.onResultsBuild
	w.mu.Unlock()
	if onBuild != nil {
		onBuild(activityID)
	}
	if !ok {
		return nil, fmt.Errorf("activity %s: %w", activityID, sql.ErrNoRows)
	}
	return r, nil
}

// answer records an answer to an activity, as a response save does.
func (w *stubWorld) answer(activityID string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.answers[activityID]++
}

func (w *stubWorld) resultsBuildCount() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.resultsBuilds
}
