package e2e

import (
	"context"
	"fmt"
	"net/http"
	"testing"
)

type record struct {
	ID   string `json:"id"`
	Code string `json:"code"`
}

// phone is a joined participant.
type phone struct{ id, token string }

// stormSession makes a host, an active session whose first of three polls
// is running, and phones participants joined over HTTP (concurrency at
// once). It returns the superuser's token, the running poll and the
// phones.
func stormSession(t *testing.T, srv *server, phones, concurrency int) (su struct{ Token string }, act record, joined []phone) {
	t.Helper()
	srv.must(http.MethodPost, "/api/collections/_superusers/auth-with-password", "",
		map[string]string{"identity": suEmail, "password": suPassword}, &su)
	var host, session record
	srv.must(http.MethodPost, "/api/collections/users/records", su.Token,
		map[string]string{"email": "host@example.com", "password": "host-password-1", "passwordConfirm": "host-password-1"}, &host)
	srv.must(http.MethodPost, "/api/collections/sessions/records", su.Token,
		map[string]any{"title": "Storm", "owner": host.ID}, &session)
	for i := range 3 {
		srv.must(http.MethodPost, "/api/collections/activities/records", su.Token, map[string]any{
			"session": session.ID, "type": "poll", "title": fmt.Sprintf("Poll %d", i+1),
			"config": map[string]any{"options": []string{"Yes", "No"}},
		}, nil)
	}
	srv.must(http.MethodPatch, "/api/collections/sessions/records/"+session.ID, su.Token, map[string]string{"status": "active"}, nil)
	var advanced struct{ Activity record }
	srv.must(http.MethodPost, "/api/sessions/"+session.ID+"/advance", su.Token, nil, &advanced)
	act = advanced.Activity

	joined = make([]phone, phones)
	parallel(phones, concurrency, func(i int) {
		var out struct {
			Token  string
			Record record
		}
		if _, err := srv.call(context.Background(), http.MethodPost, "/api/join", "",
			map[string]string{"code": session.Code, "nickname": fmt.Sprintf("phone %d", i)}, &out); err != nil {
			t.Error(err) // not Fatal: this runs on a worker goroutine
			return
		}
		joined[i] = phone{out.Record.ID, out.Token}
	})
	if t.Failed() {
		t.FailNow()
	}
	return su, act, joined
}

// storedAnswers lists the answers of act on a server: response id →
// participant id, and how many answers each participant has.
func storedAnswers(t *testing.T, srv *server, act string) (stored map[string]string, perParticipant map[string]int) {
	t.Helper()
	var su struct{ Token string }
	srv.must(http.MethodPost, "/api/collections/_superusers/auth-with-password", "",
		map[string]string{"identity": suEmail, "password": suPassword}, &su)
	stored, perParticipant = map[string]string{}, map[string]int{}
	for page := 1; ; page++ {
		var list struct {
			TotalPages int
			Items      []struct{ ID, Participant string }
		}
		srv.must(http.MethodGet, fmt.Sprintf("/api/collections/responses/records?perPage=500&page=%d&filter=(activity='%s')", page, act), su.Token, nil, &list)
		for _, r := range list.Items {
			stored[r.ID] = r.Participant
			perParticipant[r.Participant]++
		}
		if page >= list.TotalPages {
			return stored, perParticipant
		}
	}
}
