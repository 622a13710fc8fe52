package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
)

// plainTarget drives record creates on the plain baseline: pparticipants
// for joins, presponses for votes.
type plainTarget struct {
	api *API
	fx  *PlainFixture
}

func (t *plainTarget) Name() string              { return "plain" }
func (t *plainTarget) Options() int              { return len(pollOptions) }
func (t *plainTarget) Superuser() (*API, string) { return t.api, t.fx.SuperToken }

func (t *plainTarget) Join(ctx context.Context, rec *Recorder, nickname string) (Participant, int, error) {
	var out struct {
		ID string `json:"id"`
	}
	status, err := t.api.Timed(ctx, rec, http.MethodPost, "/api/collections/pparticipants/records", "",
		map[string]string{"session": t.fx.SessionID, "nickname": nickname}, &out)
	return Participant{ID: out.ID, Nickname: nickname}, status, err
}

func (t *plainTarget) Vote(ctx context.Context, rec *Recorder, p Participant, choice int) (string, int, error) {
	var out struct {
		ID string `json:"id"`
	}
	status, err := t.api.Timed(ctx, rec, http.MethodPost, "/api/collections/presponses/records", "", map[string]any{
		"session":     t.fx.SessionID,
		"participant": p.ID,
		"value":       map[string]any{"choices": []int{choice}},
	}, &out)
	return out.ID, status, err
}

func (t *plainTarget) CheckJoins(ctx context.Context, acked []Participant) []string {
	ids := make([]string, len(acked))
	for i, p := range acked {
		ids[i] = p.ID
	}
	return compareIDs(ctx, t.api, t.fx.SuperToken, "pparticipants", "session='"+t.fx.SessionID+"'", ids)
}

func (t *plainTarget) CheckVotes(ctx context.Context, acked map[string]int) []string {
	items, _, err := listAll(ctx, t.api, t.fx.SuperToken, "presponses", "session='"+t.fx.SessionID+"'", "id,value")
	if err != nil {
		return []string{err.Error()}
	}
	var problems []string
	stored := map[string]bool{}
	for _, raw := range items {
		var r struct {
			ID    string `json:"id"`
			Value struct {
				Choices []int `json:"choices"`
			} `json:"value"`
		}
		if err := json.Unmarshal(raw, &r); err != nil {
			return []string{"decode presponses: " + err.Error()}
		}
		stored[r.ID] = true
		want, ok := acked[r.ID]
		if !ok {
			problems = append(problems, "presponses has "+r.ID+", which was never acknowledged")
		} else if len(r.Value.Choices) != 1 || r.Value.Choices[0] != want {
			problems = append(problems, fmt.Sprintf("presponses %s holds %v, %d was sent", r.ID, r.Value.Choices, want))
		}
	}
	for id := range acked {
		if !stored[id] {
			problems = append(problems, "acknowledged response "+id+" is missing")
		}
	}
	return capProblems(problems)
}
