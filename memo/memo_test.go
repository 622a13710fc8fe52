package memo_test

import (
	"database/sql"
	"errors"
	"io"
	"log/slog"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	c "conflicto/collections"
	"conflicto/config"
	"conflicto/memo"
	_ "conflicto/migrations"
	"conflicto/wire"
)

// newApp is a migrated test app; wired binds Conflicto to it (and so the
// memo), else it is bare PocketBase with the schema.
func newApp(t *testing.T, wired bool) *tests.TestApp {
	t.Helper()
	dir := t.TempDir()
	base := core.NewBaseApp(core.BaseAppConfig{DataDir: dir})
	if err := base.Bootstrap(); err != nil {
		t.Fatal(err)
	}
	if err := base.RunAllMigrations(); err != nil {
		t.Fatal(err)
	}
	if err := base.ClearBootstrap(); err != nil {
		t.Fatal(err)
	}
	app, err := tests.NewTestApp(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(app.Cleanup)
	if wired {
		wire.App(app, config.Default(), slog.New(slog.NewTextHandler(io.Discard, nil)), nil)
	}
	return app
}

// fixture writes a host, an active session, an activity of it and a
// participant with raw inserts (no hooks), and returns their ids.
func fixture(t *testing.T, app core.App, config string) (session, act, participant string) {
	t.Helper()
	insert := func(table string, row dbx.Params) {
		if _, err := app.DB().Insert(table, row).Execute(); err != nil {
			t.Fatalf("insert into %s: %v", table, err)
		}
	}
	session, act, participant = "sessionaaaaaaa1", "activityaaaaaa1", "participantaaa1"
	insert(c.Sessions, dbx.Params{"id": session, c.SessionTitle: "S", c.SessionCode: "ABC234", c.SessionStatus: "active", c.SessionMaxParticipants: 2})
	insert(c.Activities, dbx.Params{"id": act, c.ActivitySession: session, c.ActivityType: "poll", c.ActivityTitle: "Q",
		c.ActivityConfig: config, c.ActivityPosition: 1, c.ActivityStatus: "active"})
	insert(c.Participants, dbx.Params{"id": participant, c.ParticipantSession: session, c.ParticipantNickname: "Ada",
		c.ParticipantNicknameKey: "ada", "tokenKey": "k1", "password": "!locked", "email": "", "emailVisibility": false, "verified": false})
	return
}

const pollConfig = `{"options":["a","b"]}`

// Without a memo (an app Conflicto was not bound to), every finder reads
// the database, and Forget does nothing.
func TestNilMemoReadsTheDatabase(t *testing.T) {
	app := newApp(t, false)
	m := memo.Of(app)
	if m != nil {
		t.Fatal("a memo on an unwired app")
	}
	session, act, participant := fixture(t, app, pollConfig)
	if s, err := m.SessionByCode(app, "abc234"); err != nil || s.ID != session || s.MaxParticipants != 2 {
		t.Fatalf("SessionByCode = %+v, %v", s, err)
	}
	if s, err := m.Session(app, session); err != nil || s.Code != "ABC234" {
		t.Fatalf("Session = %+v, %v", s, err)
	}
	if a, err := m.Activity(app, act); err != nil || a.SessionID != session || a.Status != c.ActivityActive {
		t.Fatalf("Activity = %+v, %v", a, err)
	}
	if got, err := m.ParticipantSession(app, participant); err != nil || got != session {
		t.Fatalf("ParticipantSession = %q, %v", got, err)
	}
	if r, err := m.Participant(app, participant); err != nil || r.Id != participant {
		t.Fatalf("Participant = %v, %v", r, err)
	}
	m.Forget()
	full, err := m.Join(app, participantOf(t, app, session, "Bob"), 1, func(tx core.App) error { return nil })
	if err != nil || !full {
		t.Fatalf("Join at the cap = %v, %v; want full", full, err)
	}
}

func participantOf(t *testing.T, app core.App, session, nick string) *core.Record {
	t.Helper()
	col, err := app.FindCachedCollectionByNameOrId(c.Participants)
	if err != nil {
		t.Fatal(err)
	}
	p := core.NewRecord(col)
	p.Set(c.ParticipantSession, session)
	p.Set(c.ParticipantNickname, nick)
	return p
}

// Nothing is found for an empty id or code; an unknown id is
// sql.ErrNoRows; a stored config that no longer parses is the server's
// fault, reported by Rules.
func TestMemoMisses(t *testing.T) {
	app := newApp(t, true)
	m := memo.Of(app)
	_, act, _ := fixture(t, app, `{"options":"not a list"}`)
	for name, err := range map[string]error{
		"Session":            second(m.Session(app, "")),
		"SessionByCode":      second(m.SessionByCode(app, " ")),
		"Activity":           second(m.Activity(app, "")),
		"ParticipantSession": second(m.ParticipantSession(app, "")),
		"unknown session":    second(m.Session(app, "nosuchsession00")),
		"unknown activity":   second(m.Activity(app, "nosuchactivity0")),
	} {
		if !errors.Is(err, sql.ErrNoRows) {
			t.Errorf("%s: %v, want sql.ErrNoRows", name, err)
		}
	}
	if _, err := m.Participant(app, "nosuchparticip0"); err == nil {
		t.Error("Participant found an unknown id")
	}
	a, err := m.Activity(app, act)
	if err != nil {
		t.Fatal(err)
	}
	if rules, err := a.Rules(); err == nil || rules != nil {
		t.Fatalf("Rules of a bad config = %v, %v; want an error", rules, err)
	}
}

func second[T any](_ T, err error) error { return err }

// Inside a transaction the memo is neither read nor filled: a join there
// counts from the table, and what the transaction wrote and rolled back
// is not kept.
func TestMemoInsideTransaction(t *testing.T) {
	app := newApp(t, true)
	m := memo.Of(app)
	session, act, _ := fixture(t, app, pollConfig)
	rollback := errors.New("rollback")
	err := app.RunInTransaction(func(tx core.App) error {
		if _, err := tx.DB().Update(c.Activities, dbx.Params{c.ActivityStatus: "expired"}, dbx.HashExp{"id": act}).Execute(); err != nil {
			return err
		}
		if a, err := m.Activity(tx, act); err != nil || a.Status != c.ActivityExpired {
			t.Errorf("inside: %+v, %v; want expired", a, err)
		}
		full, err := m.Join(tx, participantOf(t, tx, session, "Bob"), 1, func(core.App) error { return nil })
		if err != nil || !full {
			t.Errorf("Join inside a transaction at the cap = %v, %v; want full", full, err)
		}
		return rollback
	})
	if !errors.Is(err, rollback) {
		t.Fatal(err)
	}
	if a, err := m.Activity(app, act); err != nil || a.Status != c.ActivityActive {
		t.Fatalf("after the rollback: %+v, %v; want active", a, err)
	}
}

// A join's failed insert keeps no count; the count goes on exact.
func TestMemoJoinErrorKeepsNoCount(t *testing.T) {
	app := newApp(t, true)
	m := memo.Of(app)
	session, _, _ := fixture(t, app, pollConfig) // one participant, cap 2
	boom := errors.New("boom")
	if _, err := m.Join(app, participantOf(t, app, session, "Bob"), 3, func(core.App) error { return boom }); !errors.Is(err, boom) {
		t.Fatalf("Join = %v, want boom", err)
	}
	full, err := m.Join(app, participantOf(t, app, session, "Bob"), 1, func(core.App) error { return nil })
	if err != nil || !full {
		t.Fatalf("Join at the cap after a failed insert = %v, %v; want full", full, err)
	}
}

// Past its bound the memo starts over instead of growing.
func TestMemoBound(t *testing.T) {
	defer memo.SetMaxEntries(0)() // every keep after the first starts over
	app := newApp(t, true)
	m := memo.Of(app)
	session, act, participant := fixture(t, app, pollConfig)
	for range 3 {
		if _, err := m.Session(app, session); err != nil {
			t.Fatal(err)
		}
		if _, err := m.Activity(app, act); err != nil {
			t.Fatal(err)
		}
		if _, err := m.ParticipantSession(app, participant); err != nil {
			t.Fatal(err)
		}
	}
	if s, a, p := m.Sizes(); s+a+p != 1 {
		t.Fatalf("sizes %d %d %d, want one entry in all", s, a, p)
	}
	m.Forget()
	if s, a, p := m.Sizes(); s+a+p != 0 {
		t.Fatalf("sizes %d %d %d after Forget", s, a, p)
	}
}
