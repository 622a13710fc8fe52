package main

import (
	"context"
	"fmt"
	"net/http"
	"slices"
)

// Participant is one acknowledged join.
type Participant struct {
	ID       string
	Token    string // empty on the plain baseline, which has no auth
	Nickname string
}

// Target is a server under test seen through the work of the join and vote
// scenarios: Conflicto, or plain PocketBase doing the equivalent record
// creates.
type Target interface {
	// Name is "conflicto" or "plain".
	Name() string
	// Join adds a participant with nickname, recording the request in rec.
	Join(ctx context.Context, rec *Recorder, nickname string) (Participant, int, error)
	// Vote answers the current poll for p with option choice, recording the
	// request in rec. It returns the id of the stored response.
	Vote(ctx context.Context, rec *Recorder, p Participant, choice int) (string, int, error)
	// Options is the number of options of the current poll.
	Options() int
	// CheckJoins compares the server's participants with the acknowledged
	// joins and returns the differences.
	CheckJoins(ctx context.Context, acked []Participant) []string
	// CheckVotes compares the server's responses and results with the
	// acknowledged answers (response id → choice).
	CheckVotes(ctx context.Context, acked map[string]int) []string
	// Superuser is the API and the superuser's token (for -backup).
	Superuser() (*API, string)
}

// conflictoTarget drives POST /api/join and responses of the current poll.
type conflictoTarget struct {
	api      *API
	fx       *Fixture
	activity Poll // the poll being answered
}

func (t *conflictoTarget) Name() string              { return "conflicto" }
func (t *conflictoTarget) Options() int              { return t.activity.Options }
func (t *conflictoTarget) Superuser() (*API, string) { return t.api, t.fx.SuperToken }

func (t *conflictoTarget) Join(ctx context.Context, rec *Recorder, nickname string) (Participant, int, error) {
	var out struct {
		Token  string `json:"token"`
		Record struct {
			ID       string `json:"id"`
			Nickname string `json:"nickname"`
		} `json:"record"`
	}
	status, err := t.api.Timed(ctx, rec, http.MethodPost, "/api/join", "",
		map[string]string{"code": t.fx.Code, "nickname": nickname}, &out)
	if err != nil {
		return Participant{}, status, err
	}
	if out.Token == "" || out.Record.ID == "" {
		return Participant{}, status, fmt.Errorf("join answered %d without token or record id", status)
	}
	return Participant{ID: out.Record.ID, Token: out.Token, Nickname: out.Record.Nickname}, status, nil
}

func (t *conflictoTarget) Vote(ctx context.Context, rec *Recorder, p Participant, choice int) (string, int, error) {
	var out struct {
		ID string `json:"id"`
	}
	status, err := t.api.Timed(ctx, rec, http.MethodPost, "/api/collections/responses/records", p.Token, map[string]any{
		"activity":    t.activity.ID,
		"participant": p.ID,
		"value":       map[string]any{"choices": []int{choice}},
	}, &out)
	return out.ID, status, err
}

func (t *conflictoTarget) CheckJoins(ctx context.Context, acked []Participant) []string {
	ids := make([]string, len(acked))
	for i, p := range acked {
		ids[i] = p.ID
	}
	problems := compareIDs(ctx, t.api, t.fx.HostToken, "participants", "session='"+t.fx.SessionID+"'", ids)

	var live struct {
		Participants struct {
			Count int `json:"count"`
		} `json:"participants"`
	}
	if _, _, err := t.api.Do(ctx, http.MethodGet, "/api/live/"+t.fx.Code, "", nil, &live); err != nil {
		problems = append(problems, "live state: "+err.Error())
	} else if live.Participants.Count != len(acked) {
		problems = append(problems, fmt.Sprintf("live state counts %d participants, %d joins were acknowledged", live.Participants.Count, len(acked)))
	}
	return problems
}

func (t *conflictoTarget) CheckVotes(ctx context.Context, acked map[string]int) []string {
	return checkActivityVotes(ctx, t.api, t.fx, t.activity, acked)
}

// checkActivityVotes compares one Conflicto poll's stored responses and
// its results (as the host) with the acknowledged answers.
func checkActivityVotes(ctx context.Context, api *API, fx *Fixture, poll Poll, acked map[string]int) []string {
	ids := make([]string, 0, len(acked))
	tally := make([]int, poll.Options)
	for id, choice := range acked {
		ids = append(ids, id)
		tally[choice]++
	}
	problems := compareIDs(ctx, api, fx.HostToken, "responses", "activity='"+poll.ID+"'", ids)

	var res struct {
		Counts    []int `json:"counts"`
		Voters    int   `json:"voters"`
		Responses int   `json:"responses"`
	}
	if _, _, err := api.Do(ctx, http.MethodGet, "/api/activities/"+poll.ID+"/results", fx.HostToken, nil, &res); err != nil {
		return append(problems, "results: "+err.Error())
	}
	if !slices.Equal(res.Counts, tally) {
		problems = append(problems, fmt.Sprintf("results of %s count %v, the acknowledged answers %v", poll.ID, res.Counts, tally))
	}
	if res.Voters != len(acked) || res.Responses != len(acked) {
		problems = append(problems, fmt.Sprintf("results of %s say %d voters and %d responses, %d answers were acknowledged", poll.ID, res.Voters, res.Responses, len(acked)))
	}
	return problems
}
