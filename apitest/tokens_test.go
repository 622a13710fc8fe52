package apitest_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/tools/security"
	"github.com/pocketbase/pocketbase/tools/types"

	c "conflicto/collections"
	"conflicto/config"
)

// A participant token lasts 12 hours, not PocketBase's five days.
func TestParticipantTokenLifetime(t *testing.T) {
	w := newWorld(t, config.Default())
	defer w.app.Cleanup()
	srv := startServer(t, w.app)
	res := postJSON(t, srv.URL+"/api/join", `{"code":"`+codeOf(w.s1)+`","nickname":"Eve"}`, "")
	if res.status != 200 {
		t.Fatalf("join: %d %s", res.status, res.body)
	}
	tok := string(res.body)
	tok = tok[strings.Index(tok, `"token":"`)+len(`"token":"`):]
	tok = tok[:strings.IndexByte(tok, '"')]
	claims, err := security.ParseUnverifiedJWT(tok)
	if err != nil {
		t.Fatal(err)
	}
	exp, ok := claims["exp"].(float64)
	if !ok {
		t.Fatalf("no exp in %v", claims)
	}
	if life := time.Until(time.Unix(int64(exp), 0)); life < 11*time.Hour+59*time.Minute || life > 12*time.Hour {
		t.Fatalf("token lives %s, want 12h", life)
	}
}

// Once the session is completed, a participant's token works for the grace
// period (the results screen) and is then refused everywhere, auth-refresh
// included: it can no longer be refreshed forever.
func TestParticipantTokenEndsWithTheSession(t *testing.T) {
	scenarios := []struct {
		name   string
		grace  time.Duration
		status c.SessionState
		ended  time.Duration // how long ago the session ended
		works  bool
	}{
		{"active session", time.Hour, c.SessionActive, 0, true},
		{"completed, within the grace period", time.Hour, c.SessionCompleted, 59 * time.Minute, true},
		{"completed, past the grace period", time.Hour, c.SessionCompleted, 61 * time.Minute, false},
		{"completed, no grace", 0, c.SessionCompleted, time.Second, false},
		{"completed, a longer grace", 3 * time.Hour, c.SessionCompleted, 2 * time.Hour, true},
	}
	for _, s := range scenarios {
		t.Run(s.name, func(t *testing.T) {
			cfg := config.Default()
			cfg.ParticipantGrace = s.grace
			w := newWorld(t, cfg)
			defer w.app.Cleanup()
			ada := w.headers(t, actorParticipant)["Authorization"]
			if s.status == c.SessionCompleted {
				w.s1.Set(c.SessionStatus, string(c.SessionCompleted))
				if err := w.app.Save(w.s1); err != nil {
					t.Fatal(err)
				}
				ended, _ := types.ParseDateTime(time.Now().Add(-s.ended))
				if _, err := w.app.DB().Update(c.Sessions, dbx.Params{c.SessionEndedAt: ended.String()}, dbx.HashExp{"id": w.s1.Id}).Execute(); err != nil {
					t.Fatal(err)
				}
			}
			srv := startServer(t, w.app)

			want := map[bool][3]int{true: {200, 204, 200}, false: {401, 401, 401}}[s.works] // a dead token is 401 on record routes too
			got := [3]int{
				postJSON(t, srv.URL+"/api/collections/participants/auth-refresh", "", ada).status,
				postJSON(t, srv.URL+"/api/participants/heartbeat", "", ada).status,
				getJSON(t, srv.URL+"/api/collections/participants/records/"+w.ada.Id, ada).status,
			}
			if got != want {
				t.Fatalf("auth-refresh, heartbeat, own record: %v, want %v", got, want)
			}
			// The live state stays public: the token only loses its "me".
			res := getJSON(t, srv.URL+"/api/live/"+codeOf(w.s1), ada)
			if res.status != http.StatusOK || strings.Contains(string(res.body), `"me":`) == !s.works {
				t.Fatalf("live state: %d %s (me wanted: %v)", res.status, res.body, s.works)
			}
		})
	}
}
