package main

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
)

// Fixture is what a Conflicto run needs on the server: a host, an active
// session and its polls, the first of which is active.
type Fixture struct {
	SuperToken string
	HostToken  string
	SessionID  string
	Code       string
	Polls      []Poll // in position order; Polls[0] is active after setup
}

// Poll is one poll activity of the fixture.
type Poll struct {
	ID      string
	Options int
}

// pollOptions are the options of every fixture poll.
var pollOptions = []string{"Red", "Green", "Blue", "Yellow"}

// superuserToken signs in as the superuser.
func superuserToken(ctx context.Context, api *API, email, password string) (string, error) {
	var auth struct {
		Token string `json:"token"`
	}
	_, _, err := api.Do(ctx, http.MethodPost, "/api/collections/_superusers/auth-with-password", "",
		map[string]string{"identity": email, "password": password}, &auth)
	if err != nil {
		return "", fmt.Errorf("superuser sign-in (flags -su-email, -su-password): %w", err)
	}
	return auth.Token, nil
}

// SetupConflicto prepares the fixture through the API: the superuser
// creates a host; the host creates a session with polls, activates it and
// advances to the first poll.
func SetupConflicto(ctx context.Context, api *API, o *Options, polls int) (*Fixture, error) {
	fx := &Fixture{}
	var err error
	if fx.SuperToken, err = superuserToken(ctx, api, o.SuEmail, o.SuPassword); err != nil {
		return nil, err
	}

	email, password := "host-"+randomID(10)+"@loadtest.invalid", randomID(20)
	_, _, err = api.Do(ctx, http.MethodPost, "/api/collections/users/records", fx.SuperToken, map[string]any{
		"email": email, "password": password, "passwordConfirm": password, "verified": true, "name": "Load test host",
	}, nil)
	if err != nil {
		return nil, fmt.Errorf("create host: %w", err)
	}
	var auth struct {
		Token string `json:"token"`
	}
	_, _, err = api.Do(ctx, http.MethodPost, "/api/collections/users/auth-with-password", "",
		map[string]string{"identity": email, "password": password}, &auth)
	if err != nil {
		return nil, fmt.Errorf("host sign-in: %w", err)
	}
	fx.HostToken = auth.Token

	var session struct {
		ID   string `json:"id"`
		Code string `json:"code"`
	}
	_, _, err = api.Do(ctx, http.MethodPost, "/api/collections/sessions/records", fx.HostToken,
		map[string]any{"title": "Load test " + o.Scenario}, &session)
	if err != nil {
		return nil, fmt.Errorf("create session: %w", err)
	}
	fx.SessionID, fx.Code = session.ID, session.Code

	for i := range polls {
		var act struct {
			ID string `json:"id"`
		}
		_, _, err = api.Do(ctx, http.MethodPost, "/api/collections/activities/records", fx.HostToken, map[string]any{
			"session": fx.SessionID,
			"type":    "poll",
			"title":   fmt.Sprintf("Question %d", i+1),
			"config":  map[string]any{"options": pollOptions},
		}, &act)
		if err != nil {
			return nil, fmt.Errorf("create poll %d: %w", i+1, err)
		}
		fx.Polls = append(fx.Polls, Poll{ID: act.ID, Options: len(pollOptions)})
	}

	_, _, err = api.Do(ctx, http.MethodPatch, "/api/collections/sessions/records/"+fx.SessionID, fx.HostToken,
		map[string]any{"status": "active"}, nil)
	if err != nil {
		return nil, fmt.Errorf("activate session: %w", err)
	}
	id, _, err := advance(ctx, api, fx, nil)
	if err != nil {
		return nil, err
	}
	if len(fx.Polls) > 0 && id != fx.Polls[0].ID {
		return nil, fmt.Errorf("advance activated %q, want the first poll %q", id, fx.Polls[0].ID)
	}
	return fx, nil
}

// advance asks the server to move the session to its next activity and
// returns the id of the activity it activated ("" past the end).
func advance(ctx context.Context, api *API, fx *Fixture, rec *Recorder) (string, int, error) {
	var out struct {
		Activity *struct {
			ID string `json:"id"`
		} `json:"activity"`
	}
	path := "/api/sessions/" + fx.SessionID + "/advance"
	var status int
	var err error
	if rec != nil {
		status, err = api.Timed(ctx, rec, http.MethodPost, path, fx.HostToken, map[string]any{}, &out)
	} else {
		status, _, err = api.Do(ctx, http.MethodPost, path, fx.HostToken, map[string]any{}, &out)
	}
	if err != nil {
		return "", status, fmt.Errorf("advance: %w", err)
	}
	if out.Activity == nil {
		return "", status, nil
	}
	return out.Activity.ID, status, nil
}

// PlainFixture is what a plain PocketBase run needs: an active psessions
// record and the superuser's token.
type PlainFixture struct {
	SuperToken string
	SessionID  string
	Code       string
}

// SetupPlain creates the plain baseline's session as the superuser.
func SetupPlain(ctx context.Context, api *API, o *Options) (*PlainFixture, error) {
	fx := &PlainFixture{Code: randomCode()}
	var err error
	if fx.SuperToken, err = superuserToken(ctx, api, o.SuEmail, o.SuPassword); err != nil {
		return nil, err
	}
	var session struct {
		ID string `json:"id"`
	}
	_, _, err = api.Do(ctx, http.MethodPost, "/api/collections/psessions/records", fx.SuperToken,
		map[string]any{"title": "Load test " + o.Scenario, "code": fx.Code, "status": "active"}, &session)
	if err != nil {
		return nil, fmt.Errorf("create plain session (is -url a plainpb server?): %w", err)
	}
	fx.SessionID = session.ID
	return fx, nil
}

// listPage is one page of a PocketBase record list.
type listPage struct {
	Page       int               `json:"page"`
	TotalPages int               `json:"totalPages"`
	TotalItems int               `json:"totalItems"`
	Items      []json.RawMessage `json:"items"`
}

// listAll reads every record of collection matching filter, as the holder
// of token, keeping only fields. It returns the items and the totalItems
// the server reported.
func listAll(ctx context.Context, api *API, token, collection, filter, fields string) ([]json.RawMessage, int, error) {
	var items []json.RawMessage
	total := 0
	for page := 1; ; page++ {
		q := url.Values{
			"filter":  {filter},
			"fields":  {fields},
			"perPage": {"500"},
			"page":    {fmt.Sprint(page)},
			"sort":    {"id"},
		}
		var p listPage
		_, _, err := api.Do(ctx, http.MethodGet, "/api/collections/"+collection+"/records?"+q.Encode(), token, nil, &p)
		if err != nil {
			return nil, 0, fmt.Errorf("list %s: %w", collection, err)
		}
		items = append(items, p.Items...)
		total = p.TotalItems
		if page >= p.TotalPages || len(p.Items) == 0 {
			return items, total, nil
		}
	}
}

const idAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789"

// randomID returns n random characters valid in a PocketBase record id.
func randomID(n int) string {
	return randomFrom(idAlphabet, n)
}

// randomCode returns a join code for the plain baseline's session.
func randomCode() string {
	return randomFrom("ABCDEFGHJKLMNPQRSTUVWXYZ23456789", 6)
}

func randomFrom(alphabet string, n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}
