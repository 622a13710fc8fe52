package memo

import (
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"conflicto/activity"
	c "conflicto/collections"
)

// Session is what the join and the token check need of a session: a copy,
// safe to keep and to share.
type Session struct {
	ID              string
	Code            string
	Title           string
	Status          c.SessionState
	EndedAt         types.DateTime
	MaxParticipants int
	// BlockedWords are the host's additions to the word filter.
	BlockedWords []string
}

type sessionRow struct {
	ID              string         `db:"id"`
	Code            string         `db:"code"`
	Title           string         `db:"title"`
	Status          string         `db:"status"`
	EndedAt         types.DateTime `db:"ended_at"`
	MaxParticipants int            `db:"max_participants"`
	BlockedWords    types.JSONRaw  `db:"blocked_words"`
}

func readSession(app core.App, where dbx.Expression) (*Session, error) {
	var row sessionRow
	err := app.DB().Select("id", c.SessionCode, c.SessionTitle, c.SessionStatus, c.SessionEndedAt, c.SessionMaxParticipants, c.SessionBlockedWords).
		From(c.Sessions).Where(where).Limit(1).One(&row)
	if err != nil {
		return nil, err
	}
	return &Session{
		ID: row.ID, Code: row.Code, Title: row.Title, Status: c.SessionState(row.Status),
		EndedAt: row.EndedAt, MaxParticipants: row.MaxParticipants,
		BlockedWords: c.DecodeWords(row.BlockedWords),
	}, nil
}

// Session returns the session with id; sql.ErrNoRows when there is none.
func (m *Memo) Session(app core.App, id string) (Session, error) {
	if id == "" {
		return Session{}, sql.ErrNoRows
	}
	if !m.usable(app) {
		s, err := readSession(app, dbx.HashExp{"id": id})
		return deref(s, err)
	}
	m.mu.Lock()
	s, ok := m.sessions[id]
	gen := m.gen
	m.mu.Unlock()
	if ok {
		return *s, nil
	}
	s, err := readSession(app, dbx.HashExp{"id": id})
	if err == nil {
		m.keep(gen, func() { m.sessions[id], m.codes[s.Code] = s, id })
	}
	return deref(s, err)
}

// SessionByCode returns the session with the join code (upper case);
// sql.ErrNoRows when there is none.
func (m *Memo) SessionByCode(app core.App, code string) (Session, error) {
	code = strings.ToUpper(strings.TrimSpace(code))
	if code == "" {
		return Session{}, sql.ErrNoRows
	}
	if !m.usable(app) {
		s, err := readSession(app, dbx.HashExp{c.SessionCode: code})
		return deref(s, err)
	}
	m.mu.Lock()
	var s *Session
	if id, ok := m.codes[code]; ok {
		s = m.sessions[id]
	}
	gen := m.gen
	m.mu.Unlock()
	if s != nil {
		return *s, nil
	}
	s, err := readSession(app, dbx.HashExp{c.SessionCode: code})
	if err == nil {
		m.keep(gen, func() { m.sessions[s.ID], m.codes[code] = s, s.ID })
	}
	return deref(s, err)
}

// Activity is what the answer path needs of an activity, with its rules
// parsed once.
type Activity struct {
	ID        string
	SessionID string
	Type      activity.Type
	Status    c.ActivityState
	Revealed  bool
	StartedAt time.Time

	rules    *activity.Rules
	rulesErr error
}

// Rules are the activity's parsed rules (shared: Rules are read-only). A
// stored activity's config is canonical, so an error is the server's fault.
func (a Activity) Rules() (*activity.Rules, error) { return a.rules, a.rulesErr }

type activityRow struct {
	ID        string         `db:"id"`
	Session   string         `db:"session"`
	Type      string         `db:"type"`
	Status    string         `db:"status"`
	Revealed  bool           `db:"revealed"`
	StartedAt types.DateTime `db:"started_at"`
	Config    types.JSONRaw  `db:"config"`
}

func readActivity(app core.App, id string) (*Activity, error) {
	var row activityRow
	err := app.DB().Select("id", c.ActivitySession, c.ActivityType, c.ActivityStatus, c.ActivityRevealed, c.ActivityStartedAt, c.ActivityConfig).
		From(c.Activities).Where(dbx.HashExp{"id": id}).Limit(1).One(&row)
	if err != nil {
		return nil, err
	}
	a := &Activity{
		ID: row.ID, SessionID: row.Session, Type: activity.Type(row.Type), Status: c.ActivityState(row.Status),
		Revealed: row.Revealed, StartedAt: row.StartedAt.Time(),
	}
	// The same reading of the config as collections.Activity.Config.
	raw := []byte(row.Config)
	if t := strings.TrimSpace(string(raw)); t == `""` {
		raw = nil
	}
	if rules, perr := activity.Parse(a.Type, raw); perr != nil {
		a.rulesErr = fmt.Errorf("rules of activity %s: %w", id, perr)
	} else {
		a.rules = rules
	}
	return a, nil
}

// Activity returns the activity with id; sql.ErrNoRows when there is none.
func (m *Memo) Activity(app core.App, id string) (Activity, error) {
	if id == "" {
		return Activity{}, sql.ErrNoRows
	}
	if !m.usable(app) {
		a, err := readActivity(app, id)
		return deref(a, err)
	}
	m.mu.Lock()
	a, ok := m.activities[id]
	gen := m.gen
	m.mu.Unlock()
	if ok {
		return *a, nil
	}
	a, err := readActivity(app, id)
	if err == nil {
		m.keep(gen, func() { m.activities[id] = a })
	}
	return deref(a, err)
}

// ParticipantSession returns the id of the session of the participant;
// sql.ErrNoRows when there is no such participant.
func (m *Memo) ParticipantSession(app core.App, id string) (string, error) {
	if id == "" {
		return "", sql.ErrNoRows
	}
	read := func() (string, error) {
		var session string
		err := app.DB().Select(c.ParticipantSession).From(c.Participants).
			Where(dbx.HashExp{"id": id}).Limit(1).Row(&session)
		return session, err
	}
	if !m.usable(app) {
		return read()
	}
	m.mu.Lock()
	session, ok := m.participants[id]
	gen := m.gen
	m.mu.Unlock()
	if ok {
		return session, nil
	}
	session, err := read()
	if err == nil {
		m.keep(gen, func() { m.participants[id] = session })
	}
	return session, err
}

func deref[T any](v *T, err error) (T, error) {
	if err != nil {
		var zero T
		return zero, err
	}
	return *v, nil
}
