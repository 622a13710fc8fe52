package apitest_test

import (
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
	"github.com/pocketbase/pocketbase/tools/types"

	c "conflicto/collections"
)

// Test fixtures: real records saved through app.Save, so every hook runs.

func createHost(t testing.TB, app *tests.TestApp, email string) *core.Record {
	t.Helper()
	users, err := app.FindCollectionByNameOrId(c.Users)
	if err != nil {
		t.Fatal(err)
	}
	r := core.NewRecord(users)
	r.SetEmail(email)
	r.SetPassword("1234567890")
	if err := app.Save(r); err != nil {
		t.Fatalf("create host %s: %v", email, err)
	}
	return r
}

func createSuperuser(t testing.TB, app *tests.TestApp) *core.Record {
	t.Helper()
	su, err := app.FindCollectionByNameOrId(core.CollectionNameSuperusers)
	if err != nil {
		t.Fatal(err)
	}
	r := core.NewRecord(su)
	r.SetEmail("root@example.com")
	r.SetPassword("1234567890")
	if err := app.Save(r); err != nil {
		t.Fatalf("create superuser: %v", err)
	}
	return r
}

// token returns a valid auth token for an auth record.
func token(t testing.TB, r *core.Record) string {
	t.Helper()
	tok, err := r.NewAuthToken()
	if err != nil {
		t.Fatalf("token for %s: %v", r.Id, err)
	}
	return tok
}

// createSession creates a draft session of owner and walks it to status.
func createSession(t testing.TB, app *tests.TestApp, owner *core.Record, status c.SessionState) *core.Record {
	t.Helper()
	col, err := app.FindCollectionByNameOrId(c.Sessions)
	if err != nil {
		t.Fatal(err)
	}
	s := core.NewRecord(col)
	s.Set(c.SessionTitle, "Keynote")
	s.Set(c.SessionOwner, owner.Id)
	if err := app.Save(s); err != nil {
		t.Fatalf("create session: %v", err)
	}
	for _, next := range []c.SessionState{c.SessionActive, c.SessionCompleted} {
		if s.GetString(c.SessionStatus) == string(status) {
			break
		}
		s.Set(c.SessionStatus, string(next))
		if err := app.Save(s); err != nil {
			t.Fatalf("session to %s: %v", next, err)
		}
	}
	return s
}

// createActivity appends a draft activity to session.
func createActivity(t testing.TB, app *tests.TestApp, session *core.Record, typ, config string) *core.Record {
	t.Helper()
	col, err := app.FindCollectionByNameOrId(c.Activities)
	if err != nil {
		t.Fatal(err)
	}
	a := core.NewRecord(col)
	a.Set(c.ActivitySession, session.Id)
	a.Set(c.ActivityType, typ)
	a.Set(c.ActivityTitle, "Question "+typ)
	a.Set(c.ActivityConfig, config)
	if err := app.Save(a); err != nil {
		t.Fatalf("create activity: %v", err)
	}
	return a
}

// createParticipant adds a participant to session directly (hooks run),
// bypassing the join route.
func createParticipant(t testing.TB, app *tests.TestApp, session *core.Record, nickname string) *core.Record {
	t.Helper()
	col, err := app.FindCollectionByNameOrId(c.Participants)
	if err != nil {
		t.Fatal(err)
	}
	p := core.NewRecord(col)
	p.Set(c.ParticipantSession, session.Id)
	p.Set(c.ParticipantNickname, nickname)
	p.Set(c.ParticipantLastSeen, types.NowDateTime())
	p.SetRandomPassword()
	if err := app.Save(p); err != nil {
		t.Fatalf("create participant %q: %v", nickname, err)
	}
	return p
}
