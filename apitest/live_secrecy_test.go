package apitest_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"conflicto/config"
)

// TestSecrecyQuizCorrectAnswer fails if a quiz's correct answer reaches
// anything a participant or a screen can read before it is revealed: the
// live state (anonymous and with a participant token), the realtime
// messages, the results route, and the activities REST API.
func TestSecrecyQuizCorrectAnswer(t *testing.T) {
	w := newWorld(t, config.Default())
	defer w.app.Cleanup()
	base := startServer(t, w.app).URL
	code := codeOf(w.s1)
	ada := w.headers(t, actorParticipant)["Authorization"]
	cy := w.headers(t, actorOutsider)["Authorization"]
	// The right options are B and D: the list [1,3] is as telling as the key.
	secrets := []string{`"correct":`, `[1,3]`}

	screen, phone := openSSE(t, base), openSSE(t, base)
	screen.subscribe(t, base, "", "live/"+code)
	phone.subscribe(t, base, ada, "live/"+code)
	var messages []sseEvent
	collect := func() {
		messages = append(messages, screen.drain(400*time.Millisecond)...)
		messages = append(messages, phone.drain(400*time.Millisecond)...)
	}
	collect() // the welcomes

	quiz := createActivity(t, w.app, w.s1, "quiz", `{"options":["A","B","C","D"],"correct":[1,3],"time_limit_s":60}`)
	activate(t, w.app, quiz)
	if res := postJSON(t, base+"/api/collections/responses/records",
		`{"activity":"`+quiz.Id+`","participant":"`+w.ada.Id+`","value":{"choice":1}}`, ada); res.status != 200 {
		t.Fatalf("answer: %d %s", res.status, res.body)
	}
	collect()

	readable := func(stage string) map[string][]byte {
		t.Helper()
		out := map[string][]byte{}
		for _, r := range []struct {
			name, path, auth string
		}{
			{"live anonymous", "/api/live/" + code, ""},
			{"live as participant", "/api/live/" + strings.ToLower(code), ada},
			{"live as participant of S2", "/api/live/" + code, cy},
			{"results anonymous", "/api/activities/" + quiz.Id + "/results", ""},
			{"results as participant", "/api/activities/" + quiz.Id + "/results", ada},
			{"activity as participant", "/api/collections/activities/records/" + quiz.Id, ada},
			{"activities as participant", "/api/collections/activities/records", ada},
			{"activities anonymous", "/api/collections/activities/records?filter=session='" + w.s1.Id + "'", ""},
			{"qr code", "/api/live/" + code + "/qr.svg", ""},
		} {
			res := getJSON(t, base+r.path, r.auth)
			if res.status >= 500 {
				t.Fatalf("%s: %s: status %d", stage, r.name, res.status)
			}
			out[r.name] = res.body
		}
		collect()
		for i, m := range messages {
			out[fmt.Sprintf("realtime message %d on %s", i, m.name)] = []byte(m.data)
		}
		return out
	}
	assertSecret := func(stage string) {
		t.Helper()
		for name, body := range readable(stage) {
			for _, s := range secrets {
				if strings.Contains(string(body), s) {
					t.Fatalf("%s: %s leaks %s: %s", stage, name, s, body)
				}
			}
		}
	}

	assertSecret("while active")
	if len(messages) < 3 {
		t.Fatalf("only %d realtime messages: the check saw too little", len(messages))
	}
	expire(t, w.app, quiz)
	assertSecret("expired, not revealed")

	reveal(t, w.app, quiz, true)
	messages = nil
	after := readable("after reveal")
	for name, want := range map[string][]string{
		"live anonymous":         {`"correct":[1,3],`, `"revealed":true`, `"leaderboard":[{`},
		"live as participant":    {`"correct":[1,3],`, `"me":{"answer":{"choice":1}`},
		"results as participant": {`"correct":[1,3]`, `"correct_count":1`},
	} {
		body := after[name]
		for _, s := range want {
			if !strings.Contains(string(body), s) {
				t.Fatalf("after reveal: %s lacks %s: %s", name, s, body)
			}
		}
	}
	var revealed bool
	for _, m := range messages {
		revealed = revealed || strings.Contains(m.data, `"correct":[1,3]`)
	}
	if !revealed {
		t.Fatalf("no realtime message carried the revealed answer (%d messages)", len(messages))
	}
	if res := getJSON(t, base+"/api/collections/activities/records/"+quiz.Id, ada); res.status != http.StatusNotFound {
		t.Fatalf("participant reads the activity record: %d %s", res.status, res.body)
	}
}
