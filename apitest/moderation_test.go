package apitest_test

import (
	"encoding/csv"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	c "conflicto/collections"
	"conflicto/config"
)

// Moderation (issue 14): the ban route, what a ban does to the token and
// the device, and the word filter on nicknames and word clouds.

func banURL(base, id string) string { return base + "/api/participants/" + id + "/ban" }

// fieldCodeOf is data.<field>.code of an error body ("" when none).
func fieldCodeOf(t testing.TB, body []byte, field string) string {
	t.Helper()
	var e struct {
		Data map[string]struct {
			Code string `json:"code"`
		} `json:"data"`
	}
	if err := json.Unmarshal(body, &e); err != nil {
		t.Fatalf("error body %s: %v", body, err)
	}
	return e.Data[field].Code
}

// joinAs joins the session with code through POST /api/join and returns
// the participant's id and token; auth is the device's previous token.
func joinAs(t testing.TB, base, code, nick, auth string) (id, tok string) {
	t.Helper()
	res := postJSON(t, base+"/api/join", `{"code":"`+code+`","nickname":"`+nick+`"}`, auth)
	if res.status != http.StatusOK {
		t.Fatalf("join %q: %d %s", nick, res.status, res.body)
	}
	var body struct {
		Token  string `json:"token"`
		Record struct {
			ID string `json:"id"`
		} `json:"record"`
	}
	if err := json.Unmarshal(res.body, &body); err != nil {
		t.Fatal(err)
	}
	return body.Record.ID, body.Token
}

// The ban route has the owner guard: 401, 403 for a participant of the
// session (the banned one too), 404 for anyone else and unknown ids.
func TestBanOwnerGuard(t *testing.T) {
	w := newWorld(t, config.Default())
	base := startServer(t, w.app).URL
	for _, actor := range []string{actorAnonymous, actorParticipant, actorOutsider, actorOtherHost, actorOwner, actorSuperuser} {
		res := postJSON(t, banURL(base, w.bob.Id), "", w.headers(t, actor)["Authorization"])
		if want := ownerGuardStatus(actor); res.status != want {
			t.Errorf("%s: ban = %d %s, want %d", actor, res.status, res.body, want)
		}
	}
	if res := postJSON(t, banURL(base, "nosuchparticip"), "", token(t, w.hostA)); res.status != http.StatusNotFound {
		t.Errorf("unknown participant: %d, want 404", res.status)
	}
	// Bob, banned above, is refused as the dead token he now has.
	if res := postJSON(t, banURL(base, w.ada.Id), "", token(t, w.bob)); res.status != http.StatusUnauthorized {
		t.Errorf("banned participant bans: %d, want 401", res.status)
	}
	// The route takes no body.
	res := postJSON(t, banURL(base, w.ada.Id), `{"banned":false}`, token(t, w.hostA))
	if res.status != http.StatusBadRequest || fieldCodeOf(t, res.body, "body") != "body_not_allowed" {
		t.Errorf("ban with a body: %d %s", res.status, res.body)
	}
	if refetch(t, w.app, w.ada).GetBool(c.ParticipantBanned) {
		t.Error("a refused ban banned")
	}
}

// A ban marks the record and leaves it; a second ban answers the same and
// saves nothing.
func TestBanMarksTheRecordOnce(t *testing.T) {
	w := newWorld(t, config.Default())
	base := startServer(t, w.app).URL
	owner := token(t, w.hostA)
	first := postJSON(t, banURL(base, w.bob.Id), "", owner)
	if first.status != http.StatusOK {
		t.Fatalf("ban: %d %s", first.status, first.body)
	}
	var rec map[string]any
	if err := json.Unmarshal(first.body, &rec); err != nil {
		t.Fatal(err)
	}
	if rec["id"] != w.bob.Id || rec["banned"] != true || rec["nickname"] != "Bob" {
		t.Fatalf("ban answered %s", first.body)
	}
	stored := refetch(t, w.app, w.bob)
	if !stored.GetBool(c.ParticipantBanned) {
		t.Fatal("the participant is not banned in the database")
	}
	time.Sleep(5 * time.Millisecond) // a second save would stamp a later updated
	second := postJSON(t, banURL(base, w.bob.Id), "", owner)
	if second.status != http.StatusOK || !strings.Contains(string(second.body), `"banned":true`) {
		t.Fatalf("second ban: %d %s", second.status, second.body)
	}
	if again := refetch(t, w.app, w.bob); again.GetString(c.FieldUpdated) != stored.GetString(c.FieldUpdated) {
		t.Error("a second ban saved the record again")
	}
	// The host sees who was banned, in the list and the record.
	list := getJSON(t, base+"/api/collections/participants/records?filter=banned%3Dtrue", owner)
	if list.status != http.StatusOK || !strings.Contains(string(list.body), w.bob.Id) || strings.Contains(string(list.body), w.ada.Id) {
		t.Errorf("host's list of banned participants: %d %s", list.status, list.body)
	}
}

// Nobody but the ban route (and superusers) sets banned: participants and
// hosts cannot write the record.
func TestBannedIsNotTheParticipantsToSet(t *testing.T) {
	w := newWorld(t, config.Default())
	base := startServer(t, w.app).URL
	for _, who := range []*core.Record{w.ada, w.hostA} {
		res := doJSON(t, http.MethodPatch, base+"/api/collections/participants/records/"+w.ada.Id, `{"banned":true}`, token(t, who))
		if res.status != http.StatusForbidden {
			t.Errorf("%s sets banned: %d %s, want 403", who.Collection().Name, res.status, res.body)
		}
	}
	if refetch(t, w.app, w.ada).GetBool(c.ParticipantBanned) {
		t.Error("a client set banned")
	}
}

// A banned participant's token dies at once on REST: 401 where a token is
// needed and on the record routes, no "me" in the live state.
func TestBannedTokenIsDead(t *testing.T) {
	w := newWorld(t, config.Default())
	base := startServer(t, w.app).URL
	act := createActivity(t, w.app, w.s1, "poll", `{"options":["a","b"]}`)
	setActivityStatus(t, w.app, act, c.ActivityActive)
	bob := token(t, w.bob)
	code := codeOf(w.s1)

	if res := postJSON(t, base+"/api/participants/heartbeat", "", bob); res.status != http.StatusNoContent {
		t.Fatalf("heartbeat before the ban: %d", res.status)
	}
	if res := postJSON(t, banURL(base, w.bob.Id), "", token(t, w.hostA)); res.status != http.StatusOK {
		t.Fatalf("ban: %d %s", res.status, res.body)
	}
	checks := []struct {
		name, method, path, body string
	}{
		{"heartbeat", http.MethodPost, "/api/participants/heartbeat", ""},
		{"auth-refresh", http.MethodPost, "/api/collections/participants/auth-refresh", ""},
		{"own record", http.MethodGet, "/api/collections/participants/records/" + w.bob.Id, ""},
		{"own session", http.MethodGet, "/api/collections/sessions/records/" + w.s1.Id, ""},
		{"answer", http.MethodPost, "/api/collections/responses/records",
			`{"activity":"` + act.Id + `","participant":"` + w.bob.Id + `","value":{"choices":[0]}}`},
	}
	for _, ch := range checks {
		if res := doJSON(t, ch.method, base+ch.path, ch.body, bob); res.status != http.StatusUnauthorized {
			t.Errorf("%s with a banned token: %d %s, want 401", ch.name, res.status, res.body)
		}
	}
	live := getJSON(t, base+"/api/live/"+code, bob)
	if live.status != http.StatusOK || decodeLive(t, live.body).Me != nil {
		t.Errorf("live state with a banned token: %d %s", live.status, live.body)
	}
	// Ada, not banned, goes on.
	if res := postJSON(t, base+"/api/participants/heartbeat", "", token(t, w.ada)); res.status != http.StatusNoContent {
		t.Errorf("another participant's heartbeat: %d", res.status)
	}
}

// A ban closes the participant's realtime connection at once and refuses
// a new subscribe with the token; others are not touched.
func TestBanClosesRealtime(t *testing.T) {
	w := newWorld(t, config.Default())
	base := startServer(t, w.app).URL
	topic := "live/" + codeOf(w.s1)
	bob, ada := openSSE(t, base), openSSE(t, base)
	bob.subscribe(t, base, token(t, w.bob), topic)
	ada.subscribe(t, base, token(t, w.ada), topic)
	bob.next(t, 5*time.Second) // the welcomes
	ada.next(t, 5*time.Second)

	if res := postJSON(t, banURL(base, w.bob.Id), "", token(t, w.hostA)); res.status != http.StatusOK {
		t.Fatalf("ban: %d %s", res.status, res.body)
	}
	deadline := time.After(5 * time.Second)
	for closed := false; !closed; {
		select {
		case _, ok := <-bob.events:
			closed = !ok
		case <-deadline:
			t.Fatal("the banned participant's realtime connection is still open")
		}
	}
	// Ada hears the lower count, on a connection that stays open.
	if ev := ada.next(t, 5*time.Second); decodeLive(t, []byte(ev.data)).Participants.Count != 1 {
		t.Errorf("count after the ban: %s", ev.data)
	}
	again := openSSE(t, base)
	body, _ := json.Marshal(map[string]any{"clientId": again.id, "subscriptions": []string{topic}})
	if res := postJSON(t, base+"/api/realtime", string(body), token(t, w.bob)); res.status != http.StatusUnauthorized {
		t.Errorf("subscribe with a banned token: %d %s, want 401", res.status, res.body)
	}
	if events := again.drain(300 * time.Millisecond); len(events) != 0 {
		t.Errorf("a refused subscribe got %d events", len(events))
	}
}

// A banned device cannot join the session again under any nickname while
// it sends its token; the banned nickname stays taken; the ban is of this
// session only.
func TestBannedDeviceCannotRejoin(t *testing.T) {
	w := newWorld(t, config.Default())
	base := startServer(t, w.app).URL
	code := codeOf(w.s1)
	id, tok := joinAs(t, base, code, "Mallory", "")
	if res := postJSON(t, banURL(base, id), "", token(t, w.hostA)); res.status != http.StatusOK {
		t.Fatalf("ban: %d %s", res.status, res.body)
	}
	for _, nick := range []string{"Mallory", "Eve", "Trent"} {
		res := postJSON(t, base+"/api/join", `{"code":"`+code+`","nickname":"`+nick+`"}`, tok)
		if res.status != http.StatusForbidden || fieldCodeOf(t, res.body, "code") != "banned" {
			t.Errorf("rejoin as %q with the banned token: %d %s, want 403 banned", nick, res.status, res.body)
		}
		check := getJSON(t, base+"/api/join/check?code="+code+"&nickname="+nick, tok)
		if check.status != http.StatusForbidden || fieldCodeOf(t, check.body, "code") != "banned" {
			t.Errorf("join check as %q with the banned token: %d %s", nick, check.status, check.body)
		}
	}
	// Without the token: the nickname's key stays reserved.
	res := postJSON(t, base+"/api/join", `{"code":"`+code+`","nickname":"MALL0RY"}`, "")
	if res.status != http.StatusConflict || fieldCodeOf(t, res.body, "nickname") != "nickname_taken" {
		t.Errorf("the banned nickname without the token: %d %s, want 409 nickname_taken", res.status, res.body)
	}
	// Another session is not this ban's business.
	if _, other := joinAs(t, base, codeOf(w.s2), "Mallory", tok); other == "" {
		t.Error("no token from another session's join")
	}
	// A token that does not verify is no ban.
	joinAs(t, base, code, "Newcomer", "not-a-token")
}

// The live count and the export: a banned participant no longer counts in
// the room, and the export keeps their answers and says they were banned.
func TestBanInLiveCountAndExport(t *testing.T) {
	w := newWorld(t, config.Default())
	base := startServer(t, w.app).URL
	act := createActivity(t, w.app, w.s1, "poll", `{"options":["a","b"]}`)
	setActivityStatus(t, w.app, act, c.ActivityActive)
	answer := postJSON(t, base+"/api/collections/responses/records",
		`{"activity":"`+act.Id+`","participant":"`+w.bob.Id+`","value":{"choices":[1]}}`, token(t, w.bob))
	if answer.status != http.StatusOK {
		t.Fatalf("answer: %d %s", answer.status, answer.body)
	}
	if n := decodeLive(t, getJSON(t, base+"/api/live/"+codeOf(w.s1), "").body).Participants.Count; n != 2 {
		t.Fatalf("count before the ban = %d, want 2", n)
	}
	owner := token(t, w.hostA)
	if res := postJSON(t, banURL(base, w.bob.Id), "", owner); res.status != http.StatusOK {
		t.Fatalf("ban: %d %s", res.status, res.body)
	}
	waitFor(t, func() bool {
		return decodeLive(t, getJSON(t, base+"/api/live/"+codeOf(w.s1), "").body).Participants.Count == 1
	})

	exp := getJSON(t, base+"/api/sessions/"+w.s1.Id+"/export", owner)
	var doc struct {
		Participants []struct {
			ID     string `json:"id"`
			Banned bool   `json:"banned"`
		} `json:"participants"`
		Responses []struct {
			Participant string `json:"participant"`
		} `json:"responses"`
	}
	if err := json.Unmarshal(exp.body, &doc); err != nil {
		t.Fatalf("export: %v %s", err, exp.body)
	}
	banned := map[string]bool{}
	for _, p := range doc.Participants {
		banned[p.ID] = p.Banned
	}
	if len(banned) != 2 || !banned[w.bob.Id] || banned[w.ada.Id] {
		t.Errorf("export participants: %+v", doc.Participants)
	}
	if len(doc.Responses) != 1 || doc.Responses[0].Participant != w.bob.Id {
		t.Errorf("export lost the banned participant's answer: %+v", doc.Responses)
	}
	csvRes := getJSON(t, base+"/api/sessions/"+w.s1.Id+"/export?format=csv", owner)
	rows, err := csv.NewReader(strings.NewReader(string(csvRes.body))).ReadAll()
	if err != nil || len(rows) != 2 {
		t.Fatalf("csv: %v %q", err, rows)
	}
	if last := len(rows[0]) - 1; rows[0][last] != "participant_banned" || rows[1][last] != "true" {
		t.Errorf("csv banned column: %q / %q", rows[0], rows[1])
	}
}

// waitFor polls cond for up to 3 s (the live state is coalesced).
func waitFor(t testing.TB, cond func() bool) {
	t.Helper()
	for end := time.Now().Add(3 * time.Second); time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatal("condition not met within 3 s")
}

// setBlockedWords sets a session's own blocked words as its host would.
func setBlockedWords(t testing.TB, base string, w *world, session *core.Record, words string) httpResult {
	t.Helper()
	return doJSON(t, http.MethodPatch, base+"/api/collections/sessions/records/"+session.Id, `{"blocked_words":`+words+`}`, token(t, w.hostA))
}

// Nicknames pass the word filter at join and join check: the server's
// list, with look-alike and spaced spellings, and the session's own words.
func TestJoinNicknameFilter(t *testing.T) {
	w := newWorld(t, config.Default())
	base := startServer(t, w.app).URL
	code := codeOf(w.s1)
	refused := []string{"Fuck", "f u c k", "fu\u0441k", "ＳＨＩＴ", "Big Shits", "s.h.i.t"}
	for _, nick := range refused {
		res := postJSON(t, base+"/api/join", `{"code":"`+code+`","nickname":"`+nick+`"}`, "")
		if res.status != http.StatusBadRequest || fieldCodeOf(t, res.body, "nickname") != "blocked_word" {
			t.Errorf("join as %q: %d %s, want 400 blocked_word", nick, res.status, res.body)
		}
		check := getJSON(t, base+"/api/join/check?code="+code+"&nickname="+strings.ReplaceAll(nick, " ", "%20"), "")
		if check.status != http.StatusBadRequest || fieldCodeOf(t, check.body, "nickname") != "blocked_word" {
			t.Errorf("join check of %q: %d %s, want 400 blocked_word", nick, check.status, check.body)
		}
	}
	if res := setBlockedWords(t, base, w, w.s1, `["  Kotlin "]`); res.status != http.StatusOK {
		t.Fatalf("set blocked words: %d %s", res.status, res.body)
	}
	for _, nick := range []string{"KOTLIN", "k o t l i n", "Kotlin fan"} {
		res := postJSON(t, base+"/api/join", `{"code":"`+code+`","nickname":"`+nick+`"}`, "")
		if res.status != http.StatusBadRequest || fieldCodeOf(t, res.body, "nickname") != "blocked_word" {
			t.Errorf("join as %q with the session's words: %d %s", nick, res.status, res.body)
		}
	}
	// Other sessions keep their own lists; words inside a longer word pass.
	joinAs(t, base, codeOf(w.s2), "Kotlin", "")
	joinAs(t, base, code, "Scunthorpe", "")
	joinAs(t, base, code, "Kotlinx", "")
}

// Saves other than joins (superusers, Go code) filter a new nickname too,
// and leave an unchanged one alone: a ban after the host blocked a word
// in someone's nickname still goes through.
func TestParticipantSaveFilter(t *testing.T) {
	w := newWorld(t, config.Default())
	base := startServer(t, w.app).URL
	col, err := w.app.FindCollectionByNameOrId(c.Participants)
	if err != nil {
		t.Fatal(err)
	}
	p := core.NewRecord(col)
	p.Set(c.ParticipantSession, w.s1.Id)
	p.Set(c.ParticipantNickname, "bullshit")
	p.SetRandomPassword()
	if err := w.app.Save(p); errFieldCode(err, "nickname") != "blocked_word" {
		t.Errorf("create with a blocked nickname: %v", err)
	}
	ada := refetch(t, w.app, w.ada)
	ada.Set(c.ParticipantNickname, "Twat")
	if err := w.app.Save(ada); errFieldCode(err, "nickname") != "blocked_word" {
		t.Errorf("rename to a blocked nickname: %v", err)
	}
	if res := setBlockedWords(t, base, w, w.s1, `["bob"]`); res.status != http.StatusOK {
		t.Fatalf("set blocked words: %d %s", res.status, res.body)
	}
	if res := postJSON(t, banURL(base, w.bob.Id), "", token(t, w.hostA)); res.status != http.StatusOK {
		t.Errorf("ban of a participant whose nickname is now blocked: %d %s", res.status, res.body)
	}
}

// A session's blocked words: a list of strings, stored normalised, within
// the limits; the owner reads them, a participant of the session does not.
func TestSessionBlockedWords(t *testing.T) {
	w := newWorld(t, config.Default())
	base := startServer(t, w.app).URL
	bad := map[string]string{
		"not a list":  `"kotlin"`,
		"not strings": `[1, 2]`,
		"empty word":  `["ok", "  "]`,
		"repeated":    `["Kotlin", "KOTLIN"]`,
		"look-alike":  `["bob", "B0B"]`,
		"too long":    `["` + strings.Repeat("x", 41) + `"]`,
		"too many":    `[` + strings.TrimSuffix(strings.Repeat(`"x",`, 101), ",") + `]`,
	}
	for name, words := range bad {
		res := setBlockedWords(t, base, w, w.s1, words)
		if res.status != http.StatusBadRequest || fieldCodeOf(t, res.body, "blocked_words") != "invalid_blocked_words" {
			t.Errorf("%s: %d %s, want 400 invalid_blocked_words", name, res.status, res.body)
		}
	}
	if res := setBlockedWords(t, base, w, w.s1, `["  java   script ", "Ｋｏｔｌｉｎ"]`); res.status != http.StatusOK ||
		!strings.Contains(string(res.body), `"blocked_words":["java script","Kotlin"]`) {
		t.Fatalf("set blocked words: %d %s", res.status, res.body)
	}
	if res := setBlockedWords(t, base, w, w.s1, `null`); res.status != http.StatusOK || !strings.Contains(string(res.body), `"blocked_words":[]`) {
		t.Errorf("clear blocked words: %d %s", res.status, res.body)
	}
	setBlockedWords(t, base, w, w.s1, `["kotlin"]`)
	owner := getJSON(t, base+"/api/collections/sessions/records/"+w.s1.Id, token(t, w.hostA))
	if !strings.Contains(string(owner.body), `"blocked_words":["kotlin"]`) {
		t.Errorf("the owner does not see the blocked words: %s", owner.body)
	}
	part := getJSON(t, base+"/api/collections/sessions/records/"+w.s1.Id, token(t, w.ada))
	if part.status != http.StatusOK || strings.Contains(string(part.body), "blocked_words") {
		t.Errorf("a participant sees the blocked words: %d %s", part.status, part.body)
	}
	// A new session takes them on create too.
	res := postJSON(t, base+"/api/collections/sessions/records", `{"title":"T","blocked_words":["a","A"]}`, token(t, w.hostA))
	if res.status != http.StatusBadRequest || fieldCodeOf(t, res.body, "blocked_words") != "invalid_blocked_words" {
		t.Errorf("create with repeated words: %d %s", res.status, res.body)
	}
}

// Word-cloud words pass the server's list and the session's own, beside
// the activity's blocklist.
func TestWordcloudFilter(t *testing.T) {
	w := newWorld(t, config.Default())
	base := startServer(t, w.app).URL
	act := createActivity(t, w.app, w.s1, "wordcloud", `{"max_length":20,"blocklist":["darn"]}`)
	setActivityStatus(t, w.app, act, c.ActivityActive)
	if res := setBlockedWords(t, base, w, w.s1, `["kotlin"]`); res.status != http.StatusOK {
		t.Fatalf("set blocked words: %d %s", res.status, res.body)
	}
	send := func(words string) httpResult {
		return postJSON(t, base+"/api/collections/responses/records",
			`{"activity":"`+act.Id+`","participant":"`+w.ada.Id+`","value":{"words":`+words+`}}`, token(t, w.ada))
	}
	for _, words := range []string{`["Kotlin"]`, `["k o t l i n"]`, `["bitches"]`, `["f.u.c.k"]`, `["Darn"]`} {
		res := send(words)
		if res.status != http.StatusBadRequest || fieldCodeOf(t, res.body, "value") != "word_blocked" {
			t.Errorf("words %s: %d %s, want 400 word_blocked", words, res.status, res.body)
		}
	}
	if res := send(`["go","rust"]`); res.status != http.StatusOK {
		t.Errorf("clean words: %d %s", res.status, res.body)
	}
}
