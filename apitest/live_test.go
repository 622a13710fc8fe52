package apitest_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/tests"
	qrcode "github.com/skip2/go-qrcode"

	c "conflicto/collections"
	"conflicto/config"
)

// liveGet runs GET base+path as actor on a real server and returns the body
// after checking the status and that no private field leaked. (One test app
// serves one ApiScenario only, so tests with many requests use a server.)
func liveGet(t *testing.T, w *world, base, path, actor string, status int) []byte {
	t.Helper()
	res := getJSON(t, base+path, w.headers(t, actor)["Authorization"])
	if res.status != status {
		t.Fatalf("GET %s as %s: status %d, want %d: %s", path, actor, res.status, status, res.body)
	}
	for _, secret := range []string{"nickname_key", `"email"`, `"password`, `"tokenKey"`} {
		if strings.Contains(string(res.body), secret) {
			t.Fatalf("GET %s as %s leaks %s: %s", path, actor, secret, res.body)
		}
	}
	return res.body
}

func TestLiveStateAccess(t *testing.T) {
	for _, actor := range allActors {
		t.Run(actor, func(t *testing.T) {
			w := newWorld(t, config.Default())
			act := createActivity(t, w.app, w.s1, "poll", pollConfig)
			activate(t, w.app, act)
			saveResponse(t, w.app, act, w.ada, `{"choices":[0,2]}`)
			saveResponse(t, w.app, act, w.bob, `{"choices":[1]}`)
			sc := tests.ApiScenario{
				Method: http.MethodGet,
				// The code is matched case-insensitively.
				URL:             "/api/live/" + strings.ToLower(codeOf(w.s1)),
				Headers:         w.headers(t, actor),
				ExpectedStatus:  200,
				ExpectedContent: []string{`"session":{"id":"` + w.s1.Id + `"`, `"participants":{"count":2}`, `"activity":{`, `"counts":[1,1,1]`},
				// Nobody reads another participant's answer; a participant
				// of S2, like anyone else, gets no `me`.
				NotExpectedContent: []string{`"choices":[1]`, "nickname_key", `"email"`, `"me":`},
				TestAppFactory:     w.factory,
			}
			if actor == actorParticipant { // Ada: her own answer only
				sc.ExpectedContent = append(sc.ExpectedContent, `"me":{"answer":{"choices":[0,2]},"id":"`+w.ada.Id+`","nickname":"Ada","standing":null}`)
				sc.NotExpectedContent = sc.NotExpectedContent[:3]
			}
			sc.Test(t)
		})
	}
}

func TestLiveStateUnknownCode(t *testing.T) {
	w := newWorld(t, config.Default())
	defer w.app.Cleanup()
	base := startServer(t, w.app).URL
	for _, code := range []string{"ZZZZZZ", "abc", "O0O0O0", codeOf(w.s1) + "X"} {
		for _, suffix := range []string{"", "/qr.svg"} {
			body := liveGet(t, w, base, "/api/live/"+code+suffix, actorAnonymous, 404)
			if !strings.Contains(string(body), `"status":404`) {
				t.Fatalf("%s%s: %s", code, suffix, body)
			}
		}
	}
}

func TestLiveStateShape(t *testing.T) {
	cfg := config.Default()
	cfg.PublicURL = "https://conflicto.example"
	w := newWorld(t, cfg)
	defer w.app.Cleanup()
	base := startServer(t, w.app).URL
	code := codeOf(w.s1)

	// No activity has run: activity, results and leaderboard are null.
	body := liveGet(t, w, base, "/api/live/"+code, actorParticipant, 200)
	for _, want := range []string{`"activity":null`, `"results":null`, `"leaderboard":null`, `"me":{`, `"answer":null`} {
		if !strings.Contains(string(body), want) {
			t.Fatalf("missing %s in %s", want, body)
		}
	}
	s := decodeLive(t, body)
	if s.Session.Code != code || s.Session.Title != "Keynote" || s.Session.Status != "active" ||
		s.Session.JoinURL != "https://conflicto.example/join/"+code || s.Participants.Count != 2 || s.Version <= 0 {
		t.Fatalf("live state = %s", body)
	}
	first := s.Version

	// A draft is not shown; the active quiz is, with its deadline.
	quiz := createActivity(t, w.app, w.s1, "quiz", quizConfig)
	createActivity(t, w.app, w.s1, "poll", pollConfig)
	activate(t, w.app, quiz)
	quiz = refetch(t, w.app, quiz)
	s = decodeLive(t, liveGet(t, w, base, "/api/live/"+code, actorAnonymous, 200))
	a := s.Activity
	started := quiz.GetDateTime(c.ActivityStartedAt)
	wantDeadline := started.Time().Add(20e9).UTC().Format("2006-01-02 15:04:05.000Z")
	if a["id"] != quiz.Id || a["type"] != "quiz" || a["title"] != "Question quiz" || a["position"] != 1.0 || a["of"] != 2.0 ||
		a["status"] != "active" || a["started_at"] != started.String() || a["deadline"] != wantDeadline ||
		a["revealed"] != false || a["time_limit_s"] != 20.0 || a["points"] != 1000.0 {
		t.Fatalf("activity = %v (deadline want %s)", a, wantDeadline)
	}
	if opts, _ := json.Marshal(a["options"]); string(opts) != `["2","3","4"]` {
		t.Fatalf("options = %s", opts)
	}
	if _, ok := a["correct"]; ok || s.Results != nil || s.Leaderboard != nil {
		t.Fatalf("quiz secrets before reveal: %+v", s)
	}
	if s.Version <= first {
		t.Fatalf("version %d after a change, was %d", s.Version, first)
	}

	// An ended activity stays current until the next starts.
	expire(t, w.app, quiz)
	s = decodeLive(t, liveGet(t, w, base, "/api/live/"+code, actorAnonymous, 200))
	if s.Activity["id"] != quiz.Id || s.Activity["status"] != "expired" || s.Activity["deadline"] != wantDeadline {
		t.Fatalf("after expiry activity = %v", s.Activity)
	}
}

func TestLiveStateCacheFollowsChanges(t *testing.T) {
	w := newWorld(t, config.Default())
	defer w.app.Cleanup()
	base := startServer(t, w.app).URL
	url := "/api/live/" + codeOf(w.s1)
	a := decodeLive(t, liveGet(t, w, base, url, actorAnonymous, 200))
	b := decodeLive(t, liveGet(t, w, base, url, actorAnonymous, 200))
	if a.Version != b.Version {
		t.Fatalf("no change, yet version %d then %d: the cache was not used", a.Version, b.Version)
	}
	createParticipant(t, w.app, w.s1, "Cat")
	s := decodeLive(t, liveGet(t, w, base, url, actorAnonymous, 200))
	if s.Participants.Count != 3 || s.Version <= b.Version {
		t.Fatalf("after a join: count %d version %d (was %d)", s.Participants.Count, s.Version, b.Version)
	}
	if err := w.app.Delete(w.bob); err != nil {
		t.Fatal(err)
	}
	if s = decodeLive(t, liveGet(t, w, base, url, actorAnonymous, 200)); s.Participants.Count != 2 {
		t.Fatalf("after a kick: count %d", s.Participants.Count)
	}
	w.s1.Set(c.SessionStatus, string(c.SessionCompleted))
	if err := w.app.Save(w.s1); err != nil {
		t.Fatal(err)
	}
	if s = decodeLive(t, liveGet(t, w, base, url, actorAnonymous, 200)); s.Session.Status != "completed" {
		t.Fatalf("after completion: status %q", s.Session.Status)
	}
	if err := w.app.Delete(w.s1); err != nil {
		t.Fatal(err)
	}
	liveGet(t, w, base, url, actorAnonymous, 404)
}

func TestLiveStatePublicResultsAndLeaderboard(t *testing.T) {
	t.Run("hidden poll results appear on reveal", func(t *testing.T) {
		w := newWorld(t, config.Default())
		defer w.app.Cleanup()
		base := startServer(t, w.app).URL
		poll := createActivity(t, w.app, w.s1, "poll", `{"options":["Yes","No"],"live_results":false}`)
		activate(t, w.app, poll)
		saveResponse(t, w.app, poll, w.ada, `{"choices":[1]}`)
		url := "/api/live/" + codeOf(w.s1)
		if s := decodeLive(t, liveGet(t, w, base, url, actorAnonymous, 200)); s.Results != nil {
			t.Fatalf("hidden poll results: %v", s.Results)
		}
		reveal(t, w.app, poll, true)
		s := decodeLive(t, liveGet(t, w, base, url, actorAnonymous, 200))
		if counts, _ := json.Marshal(s.Results["counts"]); string(counts) != "[0,1]" {
			t.Fatalf("results after reveal: %v", s.Results)
		}
	})
	t.Run("leaderboard counts revealed quizzes only", func(t *testing.T) {
		w, q := quizWorld(t)
		defer w.app.Cleanup()
		base := startServer(t, w.app).URL
		url := "/api/live/" + codeOf(w.s1)
		if s := decodeLive(t, liveGet(t, w, base, url, actorAnonymous, 200)); s.Leaderboard != nil || s.Activity["id"] != q[1].Id {
			t.Fatalf("leaderboard while the current quiz is not revealed: %v", s.Leaderboard)
		}
		// q2 ends unrevealed; q3 runs and is revealed: Dan's 900 on q2 stays secret.
		expire(t, w.app, q[1])
		q3 := createActivity(t, w.app, w.s1, "quiz", quizConfig)
		activate(t, w.app, q3)
		reveal(t, w.app, q3, true)
		s := decodeLive(t, liveGet(t, w, base, url, actorAnonymous, 200))
		var got []string
		for _, e := range s.Leaderboard {
			got = append(got, e["nickname"].(string)+":"+jsonText(e["score"])+":"+jsonText(e["correct"]))
		}
		if want := "Ada:800:1 Bob:500:1 Dan:0:0 Cat:0:0"; strings.Join(got, " ") != want {
			t.Fatalf("leaderboard = %v, want %s", got, want)
		}
		if _, ok := s.Activity["correct"]; !ok {
			t.Fatalf("revealed quiz without correct: %v", s.Activity)
		}
	})
}

func jsonText(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestLiveQR(t *testing.T) {
	cfg := config.Default()
	cfg.PublicURL = "https://conflicto.example"
	w := newWorld(t, cfg)
	defer w.app.Cleanup()
	want, err := qrcode.New("https://conflicto.example/join/"+codeOf(w.s1), qrcode.Medium)
	if err != nil {
		t.Fatal(err)
	}
	base := startServer(t, w.app).URL
	for _, code := range []string{codeOf(w.s1), strings.ToLower(codeOf(w.s1))} {
		res, err := http.Get(base + "/api/live/" + code + "/qr.svg")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 || res.Header.Get("Content-Type") != "image/svg+xml" {
			t.Fatalf("status %d, Content-Type %q", res.StatusCode, res.Header.Get("Content-Type"))
		}
		if !strings.HasPrefix(string(body), "<?xml") || !strings.Contains(string(body), `<svg xmlns="http://www.w3.org/2000/svg"`) {
			t.Fatalf("not an SVG: %.200s", body)
		}
		if got := svgModules(t, string(body)); !slices.EqualFunc(got, want.Bitmap(), slices.Equal) {
			t.Fatalf("the SVG's modules are not the QR code of the join URL")
		}
	}
}

// svgModules reads the dark modules back from the SVG's viewBox and its
// path of horizontal runs "Mx yhNv1h-Nz".
func svgModules(t testing.TB, svg string) [][]bool {
	t.Helper()
	var n int
	if _, err := fmt.Sscanf(svg[strings.Index(svg, `viewBox="0 0 `):], `viewBox="0 0 %d`, &n); err != nil {
		t.Fatalf("viewBox: %v", err)
	}
	bitmap := make([][]bool, n)
	for i := range bitmap {
		bitmap[i] = make([]bool, n)
	}
	d := svg[strings.Index(svg, ` d="`)+4:]
	d = d[:strings.Index(d, `"`)]
	for _, run := range strings.Split(strings.TrimSuffix(d, "z"), "z") {
		var x, y, w, w2 int
		if _, err := fmt.Sscanf(run, "M%d %dh%dv1h-%d", &x, &y, &w, &w2); err != nil || w != w2 {
			t.Fatalf("path run %q: %v", run, err)
		}
		for i := x; i < x+w; i++ {
			bitmap[y][i] = true
		}
	}
	return bitmap
}
