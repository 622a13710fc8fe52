package apitest_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	c "conflicto/collections"
)

// TestBadInputSweep sends every custom route and every collection's
// create and update malformed JSON, wrong types, oversized bodies, huge
// strings and invalid UTF-8: the answer is always a 4xx with a message,
// never a 5xx, and nothing is written.
func TestBadInputSweep(t *testing.T) {
	w := newMatrixWorld(t)
	defer w.app.Cleanup()
	srv := startServer(t, w.app)

	type target struct {
		method, url, actor string
		fields             []string // the body fields worth corrupting
	}
	targets := []target{
		{"POST", "/api/join", actorAnonymous, []string{"code", "nickname"}},
		{"POST", "/api/participants/heartbeat", actorParticipant, nil},
		{"POST", "/api/sessions/S1/advance", actorOwner, nil},
		{"POST", "/api/sessions/S1/reorder", actorOwner, []string{"activities"}},
		{"POST", "/api/sessions/S1/duplicate", actorOwner, nil},
		{"POST", "/api/activities/A1/reset", actorOwner, nil},
		{"POST", "/api/participants/BOB/ban", actorOwner, nil},
		{"POST", "/api/collections/sessions/records", actorOwner, []string{"title", "description", "max_participants", "owner", "status", "blocked_words"}},
		{"PATCH", "/api/collections/sessions/records/S1", actorOwner, []string{"title", "description", "max_participants", "status", "blocked_words"}},
		{"POST", "/api/collections/activities/records", actorOwner, []string{"session", "type", "title", "config", "position"}},
		{"PATCH", "/api/collections/activities/records/A1", actorOwner, []string{"title", "config", "status", "revealed", "notes"}},
		{"POST", "/api/collections/responses/records", actorParticipant2, []string{"activity", "participant", "value"}},
		{"PATCH", "/api/collections/responses/records/R1", actorParticipant, []string{"value"}},
		// Only superusers may write participants through REST; their input is checked all the same.
		{"POST", "/api/collections/participants/records", actorSuperuser, []string{"session", "nickname", "password"}},
		{"PATCH", "/api/collections/participants/records/ADA", actorSuperuser, []string{"nickname", "session"}},
		{"POST", "/api/collections/users/records", actorSuperuser, []string{"email", "password", "name"}},
		{"PATCH", "/api/collections/users/records/HOSTA", actorOwner, []string{"email", "name"}},
	}
	hugeValue := strings.Repeat("x", 200_000)
	bodies := func(fields []string) map[string]string {
		b := map[string]string{
			"malformed JSON":      `{"title":`,
			"top-level array":     `[1,2,3]`,
			"top-level string":    `"hello"`,
			"oversized body":      `{"title":"` + strings.Repeat("y", 40<<20) + `"}`,
			"invalid UTF-8 key":   "{\"\xff\xfe\":1}",
			"deeply nested":       strings.Repeat("[", 100_000) + strings.Repeat("]", 100_000),
			"trailing garbage":    `{"title":"ok"} trailing`,
			"empty object, wrong": `{"unknown_field":{"a":[1,{"b":null}]}}`,
		}
		for _, f := range fields {
			for kind, v := range map[string]string{
				"number": `12345678901234567890`, "array": `[1,"a"]`, "object": `{"x":1}`,
				"bool": `true`, "huge string": `"` + hugeValue + `"`, "invalid UTF-8": "\"\xff\xfe\xfd\"",
				"control characters": `"a\u0000b\u0007"`,
			} {
				if f == "revealed" && kind == "bool" {
					continue // the one well-typed value
				}
				b[fmt.Sprintf("%s as %s", f, kind)] = fmt.Sprintf(`{%q:%s}`, f, v)
			}
		}
		return b
	}

	counts := func() string {
		var parts []string
		for _, col := range []string{c.Sessions, c.Activities, c.Participants, c.Responses} {
			n, err := w.app.CountRecords(col)
			if err != nil {
				t.Fatal(err)
			}
			parts = append(parts, fmt.Sprintf("%s=%d", col, n))
		}
		return strings.Join(parts, " ")
	}
	snapshot := func() string {
		var parts []string
		for _, r := range []string{w.s1.Id, w.a1.Id} {
			col := c.Sessions
			if r == w.a1.Id {
				col = c.Activities
			}
			rec, err := w.app.FindRecordById(col, r)
			if err != nil {
				t.Fatal(err)
			}
			parts = append(parts, fmt.Sprint(rec.PublicExport()))
		}
		return counts() + strings.Join(parts, "|")
	}

	// Routes that read their input from the path and the query.
	huge := strings.Repeat("x", 100_000)
	for _, path := range []string{
		"/api/join/check?code=S1CODE&nickname=%FF%FE",
		"/api/join/check?code=S1CODE&nickname=" + huge[:5000],
		"/api/join/check?code=%00%01&nickname=Ada",
		"/api/join/check",
		"/api/live/%FF%FE",
		"/api/live/" + huge[:5000],
		"/api/live/%FF/qr.svg",
		"/api/activities/%00/results",
		"/api/sessions/S1/export?format=%FF",
		"/api/sessions/S1/export?format=xml",
	} {
		before := snapshot()
		url := srv.URL + strings.NewReplacer("S1CODE", w.s1.GetString(c.SessionCode), "S1", w.s1.Id).Replace(path)
		res := doJSON(t, "GET", url, "", w.headers(t, actorOwner)["Authorization"])
		if res.status < 400 || res.status >= 500 || !strings.Contains(string(res.body), `"message":"`) {
			t.Errorf("GET %.80s: status %d, want a 4xx with a message: %.300s", path, res.status, res.body)
		}
		if res.status == 400 && !namesAField(res.body) {
			t.Errorf("GET %.80s: a 400 that names no field: %.300s", path, res.body)
		}
		if after := snapshot(); after != before {
			t.Errorf("GET %.80s wrote something", path)
		}
	}

	for _, tg := range targets {
		for name, body := range bodies(tg.fields) {
			before := snapshot()
			url := srv.URL + w.fill(tg.url)
			res := doJSON(t, tg.method, url, body, w.headers(t, tg.actor)["Authorization"])
			label := fmt.Sprintf("%s %s with %s", tg.method, tg.url, name)
			if res.status < 400 || res.status >= 500 {
				t.Errorf("%s: status %d, want 4xx: %.300s", label, res.status, res.body)
				continue
			}
			if !strings.Contains(string(res.body), `"message":"`) {
				t.Errorf("%s: no message in %.300s", label, res.body)
			}
			if res.status == 400 && !namesAField(res.body) {
				t.Errorf("%s: a 400 that names no field: %.300s", label, res.body)
			}
			if after := snapshot(); after != before {
				t.Errorf("%s: a refused request wrote something:\n before %s\n after  %s", label, before, after)
			}
		}
	}
}

// namesAField reports whether an error body carries data.<field>.code.
func namesAField(body []byte) bool {
	var e struct {
		Data map[string]struct {
			Code string `json:"code"`
		} `json:"data"`
	}
	if json.Unmarshal(body, &e) != nil || len(e.Data) == 0 {
		return false
	}
	for _, fe := range e.Data {
		if fe.Code == "" {
			return false
		}
	}
	return true
}

// The dashboard (a superuser) sends a record back whole, hidden and
// system fields included: that must keep working under the strict bodies.
func TestDashboardSendsRecordsBackWhole(t *testing.T) {
	w := newMatrixWorld(t)
	defer w.app.Cleanup()
	srv := startServer(t, w.app)
	su := w.headers(t, actorSuperuser)["Authorization"]
	for _, target := range []struct{ collection, id string }{
		{c.Sessions, w.s1.Id}, {c.Activities, w.a1.Id}, {c.Participants, w.ada.Id}, {c.Responses, w.r1.Id},
	} {
		url := srv.URL + "/api/collections/" + target.collection + "/records/" + target.id
		got := getJSON(t, url, su)
		if got.status != 200 {
			t.Fatalf("read %s: %d %s", target.collection, got.status, got.body)
		}
		if res := doJSON(t, "PATCH", url, string(got.body), su); res.status != 200 {
			t.Fatalf("send %s back whole: %d %s", target.collection, res.status, res.body)
		}
	}
}

// A member named twice is refused with its field named (PocketBase 0.40
// refuses it too, but with no field; v0.39 let the last one win), and
// nothing is written.
func TestDuplicateFieldIsRefusedByName(t *testing.T) {
	w := newMatrixWorld(t)
	defer w.app.Cleanup()
	srv := startServer(t, w.app)
	url := srv.URL + "/api/collections/sessions/records/" + w.s1.Id
	before := w.s1.GetString(c.SessionTitle)
	res := doJSON(t, "PATCH", url, `{"title":"One","title":"Two"}`, w.headers(t, actorOwner)["Authorization"])
	if res.status != 400 || !strings.Contains(string(res.body), errCode("title", "duplicate_field")) {
		t.Fatalf("status %d %s, want 400 with title.code duplicate_field", res.status, res.body)
	}
	after, err := w.app.FindRecordById(c.Sessions, w.s1.Id)
	if err != nil {
		t.Fatal(err)
	}
	if after.GetString(c.SessionTitle) != before {
		t.Fatalf("title changed to %q", after.GetString(c.SessionTitle))
	}
	// Inside a JSON field too: the error names the record field.
	url = srv.URL + "/api/collections/activities/records/" + w.a1.Id
	res = doJSON(t, "PATCH", url, `{"config":{"options":["a","b"],"options":["c","d"]}}`, w.headers(t, actorOwner)["Authorization"])
	if res.status != 400 || !strings.Contains(string(res.body), errCode("config", "duplicate_field")) {
		t.Fatalf("nested: status %d %s, want 400 with config.code duplicate_field", res.status, res.body)
	}
}
