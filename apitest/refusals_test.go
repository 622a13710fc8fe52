package apitest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/tests"

	c "conflicto/collections"
	"conflicto/config"
)

// TestRuleRefusalsNameTheField: a create refused by a collection's API rule
// is no longer PocketBase's bare 400 "Failed to create record." with empty
// data. A 400 names the field to fix; a caller of the wrong kind gets 403;
// no token 401; a token that no longer resolves (a kicked participant's)
// 401 on every record route of Conflicto's collections.
func TestRuleRefusalsNameTheField(t *testing.T) {
	t.Parallel()

	const (
		responseRecords = "/api/collections/responses/records"
		kicked          = "kicked participant of S1"
		garbage         = "a token that does not parse"
	)
	scenarios := []struct {
		name   string
		actor  string
		method string
		url    string
		body   string
		status int
		want   []string
	}{
		// sessions
		{name: "a host names another host as owner", actor: actorOwner, url: sessionRecords,
			body: `{"title":"Retro","owner":"HOSTB"}`, status: 400, want: []string{errCode("owner", "forbidden_owner")}},
		{name: "the SDK sends a foreign owner and a status", actor: actorOwner, url: sessionRecords,
			body: `{"title":"Retro","owner":"HOSTB","status":"draft"}`, status: 400, want: []string{errCode("owner", "forbidden_owner")}},
		{name: "the SDK sends a blank owner and status: the host owns it", actor: actorOwner, url: sessionRecords,
			body: `{"title":"Retro","owner":"","status":""}`, status: 200, want: []string{`"owner":"HOSTA"`, `"status":"draft"`}},
		{name: "a host names themselves", actor: actorOwner, url: sessionRecords,
			body: `{"title":"Retro","owner":"HOSTA","status":"draft"}`, status: 200, want: []string{`"owner":"HOSTA"`}},
		{name: "a participant creates a session", actor: actorParticipant, url: sessionRecords,
			body: `{"title":"Retro"}`, status: 403, want: []string{`"status":403`}},
		{name: "nobody creates a session", actor: actorAnonymous, url: sessionRecords,
			body: `{"title":"Retro"}`, status: 401, want: []string{`"status":401`}},
		// activities
		{name: "a host adds an activity to another host's session", actor: actorOtherHost, url: activityRecords,
			body: `{"session":"S1","type":"poker","title":"Q"}`, status: 400, want: []string{errCode("session", "validation_missing_rel_records")}},
		{name: "an activity of an unknown session", actor: actorOwner, url: activityRecords,
			body: `{"session":"nosuchsession00","type":"poker","title":"Q"}`, status: 400, want: []string{errCode("session", "validation_missing_rel_records")}},
		{name: "an activity without a session", actor: actorOwner, url: activityRecords,
			body: `{"type":"poker","title":"Q"}`, status: 400, want: []string{errCode("session", "validation_required")}},
		{name: "an activity with a blank session", actor: actorOwner, url: activityRecords,
			body: `{"session":"","type":"poker","title":"Q"}`, status: 400, want: []string{errCode("session", "validation_required")}},
		{name: "a participant adds an activity", actor: actorParticipant, url: activityRecords,
			body: `{"session":"S1","type":"poker","title":"Q"}`, status: 403, want: []string{`"status":403`}},
		{name: "nobody adds an activity", actor: actorAnonymous, url: activityRecords,
			body: `{"session":"S1","type":"poker","title":"Q"}`, status: 401, want: []string{`"status":401`}},
		// responses
		{name: "a participant answers for someone else", actor: actorParticipant, url: responseRecords,
			body: `{"activity":"A1","participant":"BOB","value":{"choices":[0]}}`, status: 400, want: []string{errCode("participant", "forbidden_participant")}},
		{name: "an answer without a participant", actor: actorParticipant, url: responseRecords,
			body: `{"activity":"A1","value":{"choices":[0]}}`, status: 400, want: []string{errCode("participant", "validation_required")}},
		{name: "an answer to another session's activity", actor: actorParticipant, url: responseRecords,
			body: `{"activity":"B1","participant":"ADA","value":{"choices":[0]}}`, status: 400, want: []string{errCode("activity", "validation_missing_rel_records")}},
		{name: "an answer to an unknown activity", actor: actorParticipant, url: responseRecords,
			body: `{"activity":"nosuchactivity0","participant":"ADA","value":{"choices":[0]}}`, status: 400, want: []string{errCode("activity", "validation_missing_rel_records")}},
		{name: "an answer without an activity", actor: actorParticipant, url: responseRecords,
			body: `{"participant":"ADA","value":{"choices":[0]}}`, status: 400, want: []string{errCode("activity", "validation_required")}},
		{name: "a host answers", actor: actorOwner, url: responseRecords,
			body: `{"activity":"A1","participant":"ADA","value":{"choices":[0]}}`, status: 403, want: []string{`"status":403`}},
		{name: "nobody answers", actor: actorAnonymous, url: responseRecords,
			body: `{"activity":"A1","participant":"ADA","value":{"choices":[0]}}`, status: 401, want: []string{`"status":401`}},
		{name: "an answer of one's own passes", actor: actorParticipant, url: responseRecords,
			body: `{"activity":"A1","participant":"ADA","value":{"choices":[0]}}`, status: 200, want: []string{`"participant":"ADA"`}},
		// dead tokens
		{name: "a kicked participant answers", actor: kicked, url: responseRecords,
			body: `{"activity":"A1","participant":"EVE","value":{"choices":[0]}}`, status: 401, want: []string{`"status":401`, "token"}},
		{name: "a kicked participant changes their answer", actor: kicked, method: http.MethodPatch, url: responseRecords + "/R1",
			body: `{"value":{"choices":[1]}}`, status: 401, want: []string{`"status":401`}},
		{name: "a kicked participant views their session", actor: kicked, method: http.MethodGet, url: sessionRecords + "/S1",
			status: 401, want: []string{`"status":401`}},
		{name: "a garbage token answers", actor: garbage, url: responseRecords,
			body: `{"activity":"A1","participant":"ADA","value":{"choices":[0]}}`, status: 401, want: []string{`"status":401`}},
		{name: "a garbage token on a list", actor: garbage, method: http.MethodGet, url: activityRecords,
			status: 401, want: []string{`"status":401`}},
		{name: "a kicked participant, the collection named by id", actor: kicked, url: "/api/collections/RESPONSESID/records",
			body: `{"activity":"A1","participant":"EVE","value":{"choices":[0]}}`, status: 401, want: []string{`"status":401`}},
		{name: "a foreign owner, the collection named by id", actor: actorOwner, url: "/api/collections/SESSIONSID/records",
			body: `{"title":"Retro","owner":"HOSTB"}`, status: 400, want: []string{errCode("owner", "forbidden_owner")}},
	}

	for _, s := range scenarios {
		t.Run(s.name, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t, config.Default())
			a1 := createActivity(t, w.app, w.s1, "poll", pollConfig)
			activate(t, w.app, a1)
			b1 := createActivity(t, w.app, w.s2, "poll", pollConfig)
			activate(t, w.app, b1)
			eve := createParticipant(t, w.app, w.s1, "Eve")
			r1 := saveResponse(t, w.app, a1, eve, `{"choices":[0]}`)

			var headers map[string]string
			switch s.actor {
			case kicked:
				headers = map[string]string{"Authorization": token(t, eve)}
				if err := w.app.Delete(refetch(t, w.app, eve)); err != nil {
					t.Fatal(err)
				}
			case garbage:
				headers = map[string]string{"Authorization": "not-a-token"}
			default:
				headers = w.headers(t, s.actor)
			}
			ids := map[string]string{}
			for _, name := range []string{c.Sessions, c.Responses} {
				col, err := w.app.FindCollectionByNameOrId(name)
				if err != nil {
					t.Fatal(err)
				}
				ids[name] = col.Id
			}
			fillIDs := func(v string) string {
				return strings.NewReplacer("R1", r1.Id, "EVE", eve.Id, "ADA", w.ada.Id, "BOB", w.bob.Id,
					"SESSIONSID", ids[c.Sessions], "RESPONSESID", ids[c.Responses]).
					Replace(fill(w, v, a1, b1))
			}
			method := s.method
			if method == "" {
				method = http.MethodPost
			}
			(&tests.ApiScenario{
				Method:          method,
				URL:             fillIDs(s.url),
				Body:            strings.NewReader(fillIDs(s.body)),
				Headers:         headers,
				ExpectedStatus:  s.status,
				ExpectedContent: fillAllIDs(s.want, fillIDs),
				AfterTestFunc: func(t testing.TB, _ *tests.TestApp, res *http.Response) {
					checkNamesAField(t, res)
				},
				TestAppFactory: w.factory,
			}).Test(t)
		})
	}
}

func fillAllIDs(list []string, f func(string) string) []string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = f(s)
	}
	return out
}

// checkNamesAField fails a 400 whose data names no field with a code.
func checkNamesAField(t testing.TB, res *http.Response) {
	t.Helper()
	if res.StatusCode != http.StatusBadRequest {
		return
	}
	var body struct {
		Data map[string]struct {
			Code string `json:"code"`
		} `json:"data"`
	}
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &body); err != nil {
		t.Fatalf("decode %s: %v", raw, err)
	}
	if len(body.Data) == 0 {
		t.Fatalf("a 400 without a field: %s", raw)
	}
	for field, fe := range body.Data {
		if fe.Code == "" {
			t.Fatalf("data.%s has no code: %s", field, raw)
		}
	}
}

// TestKickedParticipantsTokenOnLiveStaysPublic: the dead-token 401 is for
// Conflicto's record routes only; the public live state still answers a
// kicked phone (without "me").
func TestKickedParticipantsTokenOnLiveStaysPublic(t *testing.T) {
	t.Parallel()
	w := newWorld(t, config.Default())
	eve := createParticipant(t, w.app, w.s1, "Eve")
	tok := token(t, eve)
	if err := w.app.Delete(refetch(t, w.app, eve)); err != nil {
		t.Fatal(err)
	}
	(&tests.ApiScenario{
		Method:             http.MethodGet,
		URL:                "/api/live/" + w.s1.GetString(c.SessionCode),
		Headers:            map[string]string{"Authorization": tok},
		ExpectedStatus:     200,
		ExpectedContent:    []string{`"participants":{"count":2}`},
		NotExpectedContent: []string{`"me"`},
		TestAppFactory:     w.factory,
	}).Test(t)
}
