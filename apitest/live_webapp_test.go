package apitest_test

import (
	"bytes"
	"io"
	"net/http"
	"testing"

	"github.com/pocketbase/dbx"

	c "conflicto/collections"
	"conflicto/config"
)

// What the web app needs from the live state and the QR code (issue 11).

// Without CONFLICTO_PUBLIC_URL the join URL is origin-relative in the
// shared live document, and the QR code carries the origin each request
// came in on; with it, both use the configured URL.
func TestJoinURLFollowsTheRequestOriginWhenUnset(t *testing.T) {
	unset := newWorld(t, config.Default())
	defer unset.app.Cleanup()
	base := startServer(t, unset.app).URL
	code := codeOf(unset.s1)

	s := decodeLive(t, liveGet(t, unset, base, "/api/live/"+code, actorAnonymous, 200))
	if s.Session.JoinURL != "/join/"+code {
		t.Fatalf("join_url = %q, want origin-relative /join/%s", s.Session.JoinURL, code)
	}

	// The QR code of a server configured with an origin is the reference
	// each request origin must produce when nothing is configured.
	scenarios := []struct {
		name, host, proto, want string
	}{
		{"plain http", "phones.example:8090", "", "http://phones.example:8090"},
		{"behind a TLS proxy", "live.example", "https", "https://live.example"},
		{"first of a proxy chain", "live.example", "https, http", "https://live.example"},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			got, cache := qrAs(t, base+"/api/live/"+code+"/qr.svg", sc.host, sc.proto)
			if cache != "private, max-age=3600" {
				t.Fatalf("Cache-Control = %q: a shared cache must not keep a per-origin QR code", cache)
			}
			cfg := config.Default()
			cfg.PublicURL = sc.want
			ref := newTestApp(t, cfg)
			defer ref.Cleanup()
			refBase := startServer(t, ref).URL
			// The same code in the reference app: its session row is a copy.
			sess := createSession(t, ref, createHost(t, ref, "ref@example.com"), c.SessionActive)
			if _, err := ref.DB().NewQuery("UPDATE {{" + c.Sessions + "}} SET [[" + c.SessionCode + "]] = {:code} WHERE [[id]] = {:id}").
				Bind(dbx.Params{"code": code, "id": sess.Id}).Execute(); err != nil {
				t.Fatal(err)
			}
			want, refCache := qrAs(t, refBase+"/api/live/"+code+"/qr.svg", "other.example", "")
			if refCache != "public, max-age=3600" {
				t.Fatalf("configured Cache-Control = %q", refCache)
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("QR code from Host %s (proto %q) is not the QR code of %s", sc.host, sc.proto, sc.want)
			}
		})
	}
}

func qrAs(t *testing.T, url, host, proto string) ([]byte, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Host = host
	if proto != "" {
		req.Header.Set("X-Forwarded-Proto", proto)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 || !bytes.HasPrefix(body, []byte("<?xml")) {
		t.Fatalf("GET %s: %d %s", url, res.StatusCode, body)
	}
	return body, res.Header.Get("Cache-Control")
}

// activity.answered counts the answers to the current activity, public for
// every type before any reveal (a screen shows it while a quiz runs).
func TestLiveAnsweredCount(t *testing.T) {
	w := newWorld(t, config.Default())
	defer w.app.Cleanup()
	base := startServer(t, w.app).URL
	code := codeOf(w.s1)

	poker := createActivity(t, w.app, w.s1, "poker", pokerConfig)
	activate(t, w.app, poker)
	s := decodeLive(t, liveGet(t, w, base, "/api/live/"+code, actorAnonymous, 200))
	if s.Activity["answered"] != 0.0 {
		t.Fatalf("answered before any vote = %v", s.Activity["answered"])
	}
	for _, p := range []string{actorParticipant, actorParticipant2} {
		pid := w.ada.Id
		if p == actorParticipant2 {
			pid = w.bob.Id
		}
		res := postJSON(t, base+"/api/collections/responses/records",
			`{"activity":"`+poker.Id+`","participant":"`+pid+`","value":{"card":"5"}}`, w.headers(t, p)["Authorization"])
		if res.status != 200 {
			t.Fatalf("vote: %d %s", res.status, res.body)
		}
	}
	s = decodeLive(t, liveGet(t, w, base, "/api/live/"+code, actorAnonymous, 200))
	if s.Activity["answered"] != 2.0 || s.Results != nil {
		t.Fatalf("after two hidden votes: answered = %v, results = %v", s.Activity["answered"], s.Results)
	}

	// A reset of a round nobody has seen revealed changes the count, so the
	// phones hear of it.
	res := postJSON(t, base+"/api/activities/"+poker.Id+"/reset", "", w.headers(t, actorOwner)["Authorization"])
	if res.status != 200 {
		t.Fatalf("reset: %d %s", res.status, res.body)
	}
	s = decodeLive(t, liveGet(t, w, base, "/api/live/"+code, actorAnonymous, 200))
	if s.Activity["answered"] != 0.0 {
		t.Fatalf("answered after reset = %v", s.Activity["answered"])
	}
}

// The public leaderboard shows with a revealed quiz and again, final, once
// the session completes; a session whose quizzes stayed secret, or had
// none, ends without one.
func TestLiveFinalLeaderboard(t *testing.T) {
	scenarios := []struct {
		name      string
		reveal    bool
		wantBoard bool
	}{
		{"a revealed quiz", true, true},
		{"no quiz revealed", false, false},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			w := newWorld(t, config.Default())
			defer w.app.Cleanup()
			base := startServer(t, w.app).URL
			code := codeOf(w.s1)

			quiz := createActivity(t, w.app, w.s1, "quiz", quizConfig)
			poll := createActivity(t, w.app, w.s1, "poll", pollConfig)
			activate(t, w.app, quiz)
			res := postJSON(t, base+"/api/collections/responses/records",
				`{"activity":"`+quiz.Id+`","participant":"`+w.ada.Id+`","value":{"choice":2}}`, w.headers(t, actorParticipant)["Authorization"])
			if res.status != 200 {
				t.Fatalf("answer: %d %s", res.status, res.body)
			}
			if sc.reveal {
				reveal(t, w.app, refetch(t, w.app, quiz), true)
				if s := decodeLive(t, liveGet(t, w, base, "/api/live/"+code, actorAnonymous, 200)); len(s.Leaderboard) != 2 {
					t.Fatalf("leaderboard of the revealed quiz = %v", s.Leaderboard)
				}
			}
			activate(t, w.app, poll)
			if s := decodeLive(t, liveGet(t, w, base, "/api/live/"+code, actorAnonymous, 200)); s.Leaderboard != nil {
				t.Fatalf("leaderboard during the poll = %v", s.Leaderboard)
			}

			setSessionStatus(t, w.app, w.s1, c.SessionCompleted)
			s := decodeLive(t, liveGet(t, w, base, "/api/live/"+code, actorAnonymous, 200))
			if s.Session.Status != "completed" || (s.Leaderboard != nil) != sc.wantBoard {
				t.Fatalf("completed: status %s, leaderboard %v, want board %v", s.Session.Status, s.Leaderboard, sc.wantBoard)
			}
			if sc.wantBoard && (s.Leaderboard[0]["nickname"] != "Ada" || s.Leaderboard[0]["score"].(float64) <= 0) {
				t.Fatalf("final leaderboard = %v", s.Leaderboard)
			}
		})
	}
}
