package webtest

import (
	"net/http"
	"net/url"
	"testing"
)

// host is the session's owner, driving it through the API as a host
// console would.
type host struct {
	t     testing.TB
	s     *server
	token string
	id    string // the session
	code  string
	acts  []string // activity ids in order
}

// newHost creates a host account (as the superuser: sign-up is off) and
// logs in.
func newHost(t testing.TB, s *server) *host {
	t.Helper()
	var su struct{ Token string }
	s.must(http.MethodPost, "/api/collections/_superusers/auth-with-password", "",
		map[string]string{"identity": suEmail, "password": suPassword}, &su)
	s.must(http.MethodPost, "/api/collections/users/records", su.Token,
		map[string]string{"email": "host@example.com", "password": "host-password-1", "passwordConfirm": "host-password-1"}, nil)
	var auth struct{ Token string }
	s.must(http.MethodPost, "/api/collections/users/auth-with-password", "",
		map[string]string{"identity": "host@example.com", "password": "host-password-1"}, &auth)
	return &host{t: t, s: s, token: auth.Token}
}

// createSession creates a draft session with the given activities
// (type, title, config).
func (h *host) createSession(title string, activities ...map[string]any) {
	h.t.Helper()
	var rec struct{ ID, Code string }
	h.s.must(http.MethodPost, "/api/collections/sessions/records", h.token, map[string]any{"title": title}, &rec)
	h.id, h.code = rec.ID, rec.Code
	for _, a := range activities {
		a["session"] = h.id
		var act struct{ ID string }
		h.s.must(http.MethodPost, "/api/collections/activities/records", h.token, a, &act)
		h.acts = append(h.acts, act.ID)
	}
}

func (h *host) setStatus(status string) {
	h.t.Helper()
	h.s.must(http.MethodPatch, "/api/collections/sessions/records/"+h.id, h.token, map[string]string{"status": status}, nil)
}

func (h *host) advance() {
	h.t.Helper()
	h.s.must(http.MethodPost, "/api/sessions/"+h.id+"/advance", h.token, nil, nil)
}

func (h *host) reveal(i int) {
	h.t.Helper()
	h.s.must(http.MethodPatch, "/api/collections/activities/records/"+h.acts[i], h.token, map[string]bool{"revealed": true}, nil)
}

// reset starts a poker round again (its votes are deleted).
func (h *host) reset(i int) {
	h.t.Helper()
	h.s.must(http.MethodPost, "/api/activities/"+h.acts[i]+"/reset", h.token, nil, nil)
}

// kick deletes a participant, as the host's console does.
func (h *host) kick(nickname string) {
	h.t.Helper()
	h.s.must(http.MethodDelete, "/api/collections/participants/records/"+h.participant(nickname), h.token, nil, nil)
}

// ban bans a participant from the session (POST /api/participants/{id}/ban).
func (h *host) ban(nickname string) {
	h.t.Helper()
	h.s.must(http.MethodPost, "/api/participants/"+h.participant(nickname)+"/ban", h.token, nil, nil)
}

// participant is the id of the session's participant with this nickname.
func (h *host) participant(nickname string) string {
	h.t.Helper()
	var list struct {
		Items []struct{ ID string }
	}
	q := url.Values{"filter": {"session = '" + h.id + "' && nickname = '" + nickname + "'"}}
	h.s.must(http.MethodGet, "/api/collections/participants/records?"+q.Encode(), h.token, nil, &list)
	if len(list.Items) != 1 {
		h.t.Fatalf("participant %q: %d records", nickname, len(list.Items))
	}
	return list.Items[0].ID
}

// live is the public live document, the server's word the pages must show.
type live struct {
	Participants struct{ Count int }
	Activity     map[string]any
	Leaderboard  []struct {
		Nickname string
		Score    int
	}
}

func (h *host) live() live {
	h.t.Helper()
	var l live
	h.s.must(http.MethodGet, "/api/live/"+h.code, "", nil, &l)
	return l
}

// suggestion is the server's suggestion for a taken nickname.
func (h *host) suggestion(nickname string) string {
	h.t.Helper()
	var res struct {
		Available  bool
		Suggestion string
	}
	q := url.Values{"code": {h.code}, "nickname": {nickname}}
	h.s.must(http.MethodGet, "/api/join/check?"+q.Encode(), "", nil, &res)
	if res.Available || res.Suggestion == "" {
		h.t.Fatalf("nickname %q: available %v, suggestion %q", nickname, res.Available, res.Suggestion)
	}
	return res.Suggestion
}
