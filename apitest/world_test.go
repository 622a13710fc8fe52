package apitest_test

import (
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	c "conflicto/collections"
	"conflicto/config"
)

// Actors every access table covers.
const (
	actorAnonymous    = "anonymous"
	actorParticipant  = "participant of S1"
	actorOutsider     = "participant of S2"
	actorOwner        = "host A (owner of S1)"
	actorOtherHost    = "host B"
	actorSuperuser    = "superuser"
	actorParticipant2 = "other participant of S1"
)

var allActors = []string{actorAnonymous, actorParticipant, actorOutsider, actorOwner, actorOtherHost, actorSuperuser}

// world is a small populated app: host A owns the active session S1 with
// participants Ada and Bob; host B owns the active session S2 with Cy.
type world struct {
	app                *tests.TestApp
	hostA, hostB, root *core.Record
	s1, s2             *core.Record
	ada, bob, cy       *core.Record
}

func newWorld(t testing.TB, cfg config.Config) *world {
	t.Helper()
	return newWorldOn(t, newTestApp(t, cfg))
}

// newWorldOn populates app, a fresh test app, with the world.
func newWorldOn(t testing.TB, app *tests.TestApp) *world {
	t.Helper()
	w := &world{app: app}
	w.hostA = createHost(t, w.app, "a@example.com")
	w.hostB = createHost(t, w.app, "b@example.com")
	w.root = createSuperuser(t, w.app)
	w.s1 = createSession(t, w.app, w.hostA, c.SessionActive)
	w.s2 = createSession(t, w.app, w.hostB, c.SessionActive)
	w.ada = createParticipant(t, w.app, w.s1, "Ada")
	w.bob = createParticipant(t, w.app, w.s1, "Bob")
	w.cy = createParticipant(t, w.app, w.s2, "Cy")
	return w
}

// headers returns the Authorization header of actor.
func (w *world) headers(t testing.TB, actor string) map[string]string {
	t.Helper()
	var r *core.Record
	switch actor {
	case actorAnonymous:
		return nil
	case actorParticipant:
		r = w.ada
	case actorParticipant2:
		r = w.bob
	case actorOutsider:
		r = w.cy
	case actorOwner:
		r = w.hostA
	case actorOtherHost:
		r = w.hostB
	case actorSuperuser:
		r = w.root
	default:
		t.Fatalf("unknown actor %q", actor)
	}
	return map[string]string{"Authorization": token(t, r)}
}

// factory hands the world's app to an ApiScenario (which cleans it up).
func (w *world) factory(testing.TB) *tests.TestApp { return w.app }

// ownerGuardStatus is what every owner-only custom route answers actor
// (one guard, PocketBase's policy): 200 for the owner and superusers, 401
// without a token, 403 for whoever may see the session but not run it (a
// participant of it), 404 for everyone else.
func ownerGuardStatus(actor string) int {
	switch actor {
	case actorOwner, actorSuperuser:
		return 200
	case actorAnonymous:
		return 401
	case actorParticipant:
		return 403
	}
	return 404
}
