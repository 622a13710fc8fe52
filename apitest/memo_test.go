package apitest_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/security"

	c "conflicto/collections"
	"conflicto/config"
	"conflicto/memo"
)

// The memo (memo/) keeps sessions, activities and participant counts in
// memory for the join and answer paths. Each test below reads a value
// once (so it is kept), changes it the way the app does, and checks the
// next request sees the change: without the memo's after-success drops
// they would all get yesterday's answer.

func answerBody(act, participant *core.Record, choice int) string {
	return fmt.Sprintf(`{"activity":%q,"participant":%q,"value":{"choices":[%d]}}`, act.Id, participant.Id, choice)
}

func joinBody(code, nick string) string {
	return fmt.Sprintf(`{"code":%q,"nickname":%q}`, code, nick)
}

// An answer after the activity has expired is refused, though the
// activity was read (as active) by the answer before.
func TestMemoActivityExpiredRefusesAnswers(t *testing.T) {
	w := newWorld(t, config.Default())
	act := createActivity(t, w.app, w.s1, "poll", pollConfig)
	activate(t, w.app, act)
	srv := startServer(t, w.app)
	url := srv.URL + "/api/collections/responses/records"

	if r := postJSON(t, url, answerBody(act, w.ada, 0), token(t, w.ada)); r.status != http.StatusOK {
		t.Fatalf("first answer: %d %s", r.status, r.body)
	}
	expire(t, w.app, refetch(t, w.app, act))
	r := postJSON(t, url, answerBody(act, w.bob, 1), token(t, w.bob))
	if r.status != http.StatusConflict || !strings.Contains(string(r.body), errCode(c.ResponseActivity, "activity_not_active")) {
		t.Fatalf("answer after expiry: %d %s; want 409 activity_not_active", r.status, r.body)
	}
}

// A reveal closes the question for answers that come after it.
func TestMemoRevealClosesAnswers(t *testing.T) {
	w := newWorld(t, config.Default())
	act := createActivity(t, w.app, w.s1, "poll", pollConfig)
	activate(t, w.app, act)
	srv := startServer(t, w.app)
	url := srv.URL + "/api/collections/responses/records"

	if r := postJSON(t, url, answerBody(act, w.ada, 0), token(t, w.ada)); r.status != http.StatusOK {
		t.Fatalf("first answer: %d %s", r.status, r.body)
	}
	reveal(t, w.app, refetch(t, w.app, act), true)
	r := postJSON(t, url, answerBody(act, w.bob, 1), token(t, w.bob))
	if r.status != http.StatusConflict || !strings.Contains(string(r.body), errCode(c.ResponseActivity, "revealed")) {
		t.Fatalf("answer after the reveal: %d %s; want 409 revealed", r.status, r.body)
	}
}

// A transaction that expires the activity, answers inside it (refused)
// and rolls back leaves the activity active: what the transaction saw is
// not kept, and the answers after it are taken.
func TestMemoRolledBackChangeIsNotKept(t *testing.T) {
	w := newWorld(t, config.Default())
	act := createActivity(t, w.app, w.s1, "poll", pollConfig)
	activate(t, w.app, act)
	srv := startServer(t, w.app)
	url := srv.URL + "/api/collections/responses/records"

	rollback := errors.New("roll back")
	err := w.app.RunInTransaction(func(tx core.App) error {
		a, err := tx.FindRecordById(c.Activities, act.Id)
		if err != nil {
			return err
		}
		a.Set(c.ActivityStatus, string(c.ActivityExpired))
		if err := tx.Save(a); err != nil {
			return err
		}
		col, err := tx.FindCachedCollectionByNameOrId(c.Responses)
		if err != nil {
			return err
		}
		r := core.NewRecord(col)
		r.Set(c.ResponseActivity, act.Id)
		r.Set(c.ResponseParticipant, w.cy.Id)
		r.Set(c.ResponseValue, `{"choices":[0]}`)
		if err := tx.Save(r); errFieldCode(err, c.ResponseActivity) != "activity_not_active" {
			t.Errorf("answer inside the transaction: %v; want activity_not_active", err)
		}
		return rollback
	})
	if !errors.Is(err, rollback) {
		t.Fatalf("transaction: %v", err)
	}
	if r := postJSON(t, url, answerBody(act, w.ada, 0), token(t, w.ada)); r.status != http.StatusOK {
		t.Fatalf("answer after the rollback: %d %s; want 200", r.status, r.body)
	}
}

// A join after the session ended is refused, and the participants'
// tokens end with it, though the session was read (as active) before.
func TestMemoSessionEndRefusesJoinsAndTokens(t *testing.T) {
	cfg := config.Default()
	cfg.ParticipantGrace = 0
	w := newWorld(t, cfg)
	act := createActivity(t, w.app, w.s1, "poll", pollConfig)
	activate(t, w.app, act)
	srv := startServer(t, w.app)
	code := codeOf(w.s1)

	if r := postJSON(t, srv.URL+"/api/join", joinBody(code, "Early"), ""); r.status != http.StatusOK {
		t.Fatalf("join: %d %s", r.status, r.body)
	}
	if r := postJSON(t, srv.URL+"/api/collections/responses/records", answerBody(act, w.ada, 0), token(t, w.ada)); r.status != http.StatusOK {
		t.Fatalf("answer: %d %s", r.status, r.body)
	}
	setSessionStatus(t, w.app, w.s1, c.SessionCompleted)

	r := postJSON(t, srv.URL+"/api/join", joinBody(code, "Late"), "")
	if r.status != http.StatusConflict || !strings.Contains(string(r.body), errCode("code", "session_ended")) {
		t.Fatalf("join after the end: %d %s; want 409 session_ended", r.status, r.body)
	}
	r = postJSON(t, srv.URL+"/api/participants/heartbeat", "", token(t, w.bob))
	if r.status != http.StatusUnauthorized {
		t.Fatalf("heartbeat with a token of an ended session: %d %s; want 401", r.status, r.body)
	}
}

// The session's own cap, lowered after joins have read the session, holds.
func TestMemoLoweredCapHolds(t *testing.T) {
	w := newWorld(t, config.Default()) // S1 has Ada and Bob
	srv := startServer(t, w.app)
	code := codeOf(w.s1)
	if r := postJSON(t, srv.URL+"/api/join", joinBody(code, "Third"), ""); r.status != http.StatusOK {
		t.Fatalf("join: %d %s", r.status, r.body)
	}
	s := refetch(t, w.app, w.s1)
	s.Set(c.SessionMaxParticipants, 3)
	if err := w.app.Save(s); err != nil {
		t.Fatal(err)
	}
	r := postJSON(t, srv.URL+"/api/join", joinBody(code, "Fourth"), "")
	if r.status != http.StatusConflict || !strings.Contains(string(r.body), errCode("code", "session_full")) {
		t.Fatalf("join over the lowered cap: %d %s; want 409 session_full", r.status, r.body)
	}
}

// The participant count the joins keep follows the participants created
// and deleted by other paths: a participant added by Go code fills the
// last place, and a kicked one frees it.
func TestMemoParticipantCountFollowsOtherWrites(t *testing.T) {
	w := newWorld(t, config.Default()) // S1 has Ada and Bob
	s := refetch(t, w.app, w.s1)
	s.Set(c.SessionMaxParticipants, 4)
	if err := w.app.Save(s); err != nil {
		t.Fatal(err)
	}
	srv := startServer(t, w.app)
	code := codeOf(w.s1)
	join := func(nick string) httpResult { return postJSON(t, srv.URL+"/api/join", joinBody(code, nick), "") }

	if r := join("Third"); r.status != http.StatusOK { // the count is kept: 3
		t.Fatalf("join: %d %s", r.status, r.body)
	}
	extra := createParticipant(t, w.app, w.s1, "Added") // 4, not through a join
	if r := join("Fifth"); r.status != http.StatusConflict || !strings.Contains(string(r.body), "session_full") {
		t.Fatalf("join with the session full: %d %s; want 409 session_full", r.status, r.body)
	}
	if err := w.app.Delete(extra); err != nil { // 3
		t.Fatal(err)
	}
	if r := join("Fourth"); r.status != http.StatusOK {
		t.Fatalf("join after a kick: %d %s; want 200", r.status, r.body)
	}
	var n int
	if err := w.app.DB().Select("COUNT(*)").From(c.Participants).AndWhere(dbx.HashExp{c.ParticipantSession: w.s1.Id}).Row(&n); err != nil || n != 4 {
		t.Fatalf("participants of S1: %d (%v); want 4", n, err)
	}
}

// The memo's finders forget a deleted participant and a deleted session,
// and a memo belongs to its app.
func TestMemoForgetsDeletedRecords(t *testing.T) {
	w := newWorld(t, config.Default())
	other := newWorld(t, config.Default())
	m := memo.Of(w.app)
	if m == nil || memo.Of(other.app) == m {
		t.Fatalf("each app needs its own memo: %p, %p", m, memo.Of(other.app))
	}
	if got, err := m.ParticipantSession(w.app, w.ada.Id); err != nil || got != w.s1.Id {
		t.Fatalf("ParticipantSession(Ada) = %q, %v", got, err)
	}
	if err := w.app.Delete(w.ada); err != nil {
		t.Fatal(err)
	}
	if got, err := m.ParticipantSession(w.app, w.ada.Id); err == nil {
		t.Fatalf("ParticipantSession of a deleted participant = %q; want an error", got)
	}

	if s, err := m.SessionByCode(w.app, strings.ToLower(codeOf(w.s1))); err != nil || s.ID != w.s1.Id {
		t.Fatalf("SessionByCode = %+v, %v", s, err)
	}
	if s, err := m.Session(w.app, w.s1.Id); err != nil || s.Code != codeOf(w.s1) || s.Status != c.SessionActive {
		t.Fatalf("Session = %+v, %v", s, err)
	}
	setSessionStatus(t, w.app, w.s1, c.SessionCompleted)
	if err := w.app.Delete(refetch(t, w.app, w.s1)); err != nil {
		t.Fatal(err)
	}
	if _, err := m.SessionByCode(w.app, codeOf(w.s1)); err == nil {
		t.Fatal("SessionByCode found a deleted session")
	}
	if _, err := m.Session(w.app, w.s1.Id); err == nil {
		t.Fatal("Session found a deleted session")
	}
	if _, err := m.Session(w.app, ""); err == nil {
		t.Fatal("Session found the empty id")
	}
}

// A participant's token, once checked (and the participant kept), dies
// with a kick, with a new token key and with a new secret of the
// collection (checked against the current collection, not the kept one).
func TestMemoParticipantTokenFollowsChanges(t *testing.T) {
	w := newWorld(t, config.Default())
	srv := startServer(t, w.app)
	heartbeat := func(tok string) int {
		return postJSON(t, srv.URL+"/api/participants/heartbeat", "", tok).status
	}
	ada, bob, cy := token(t, w.ada), token(t, w.bob), token(t, w.cy)
	for _, tok := range []string{ada, "Bearer " + bob, cy} {
		if got := heartbeat(tok); got != http.StatusNoContent {
			t.Fatalf("heartbeat: %d, want 204", got)
		}
	}

	if err := w.app.Delete(refetch(t, w.app, w.ada)); err != nil { // a kick
		t.Fatal(err)
	}
	if got := heartbeat(ada); got != http.StatusUnauthorized {
		t.Fatalf("heartbeat of a kicked participant: %d, want 401", got)
	}

	b := refetch(t, w.app, w.bob)
	b.RefreshTokenKey()
	if err := w.app.Save(b); err != nil {
		t.Fatal(err)
	}
	if got := heartbeat(bob); got != http.StatusUnauthorized {
		t.Fatalf("heartbeat with a token of an old key: %d, want 401", got)
	}
	if got := heartbeat(token(t, b)); got != http.StatusNoContent {
		t.Fatalf("heartbeat with a token of the new key: %d, want 204", got)
	}

	col, err := w.app.FindCollectionByNameOrId(c.Participants)
	if err != nil {
		t.Fatal(err)
	}
	col.AuthToken.Secret = strings.Repeat("s", 50)
	if err := w.app.Save(col); err != nil {
		t.Fatal(err)
	}
	if got := heartbeat(cy); got != http.StatusUnauthorized {
		t.Fatalf("heartbeat with a token of the old secret: %d, want 401", got)
	}
	// A token of another collection, or none that parses, is left to
	// PocketBase.
	if got := heartbeat("not-a-token"); got != http.StatusUnauthorized {
		t.Fatalf("heartbeat with garbage: %d, want 401", got)
	}
	if got := heartbeat(token(t, w.hostA)); got != http.StatusForbidden && got != http.StatusUnauthorized {
		t.Fatalf("heartbeat with a host's token: %d, want 401 or 403", got)
	}
}

// A participant's token that was checked once, or that a join issued, is
// kept (memo/tokens.go), but never past its expiry: the same bytes that
// passed a second ago are refused once the token has run out.
func TestKeptParticipantTokenStillExpires(t *testing.T) {
	w := newWorld(t, config.Default())
	srv := startServer(t, w.app)
	heartbeat := func(tok string) int {
		return postJSON(t, srv.URL+"/api/participants/heartbeat", "", tok).status
	}
	short, err := refetch(t, w.app, w.ada).NewStaticAuthToken(2 * time.Second)
	if err != nil {
		t.Fatal(err)
	}
	for range 2 { // checked, then kept
		if got := heartbeat(short); got != http.StatusNoContent {
			t.Fatalf("heartbeat with a fresh token: %d, want 204", got)
		}
	}

	// A join keeps the token it issues, with an expiry no later than the
	// token's own (which the wait below could not reach: 12 hours).
	r := postJSON(t, srv.URL+"/api/join", joinBody(codeOf(w.s1), "Brief"), "")
	var joined struct{ Token string }
	if r.status != http.StatusOK || json.Unmarshal(r.body, &joined) != nil || joined.Token == "" {
		t.Fatalf("join: %d %s", r.status, r.body)
	}
	kept, ok := memo.Of(w.app).Token(joined.Token)
	claims, err := security.ParseUnverifiedJWT(joined.Token)
	if err != nil {
		t.Fatal(err)
	}
	exp, err := claims.GetExpirationTime()
	if !ok || err != nil || exp == nil || kept.Expires.After(exp.Time) || exp.Time.Sub(kept.Expires) > time.Second {
		t.Fatalf("the join's token kept %v with expiry %v; the token's exp is %v", ok, kept.Expires, exp)
	}
	if got := heartbeat(joined.Token); got != http.StatusNoContent {
		t.Fatalf("heartbeat with a join's token: %d, want 204", got)
	}

	time.Sleep(3 * time.Second) // past the token's exp (whole seconds)
	if got := heartbeat(short); got != http.StatusUnauthorized {
		t.Fatalf("heartbeat with an expired token that was kept: %d, want 401", got)
	}
	if got := heartbeat(token(t, w.ada)); got != http.StatusNoContent {
		t.Fatalf("heartbeat with a new token: %d, want 204", got)
	}
}
