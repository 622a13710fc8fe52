package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
)

// openTarget drives the second baseline: creates of a two-field record in
// popen, a collection with an empty create rule and no relation (plainpb).
// A join is {key: batch, value: nickname}; a vote is {key: batch, value:
// the participant's id and the choice}. batch tells this run's records
// from those of the rounds before it.
type openTarget struct {
	api   *API
	token string // the superuser's, for the checks only
	batch string
}

func (t *openTarget) Name() string { return "plain-open" }
func (t *openTarget) Options() int { return len(pollOptions) }

// Superuser is the plainpb server's superuser, for a backup during a vote.
func (t *openTarget) Superuser() (*API, string) { return t.api, t.token }

func (t *openTarget) create(ctx context.Context, rec *Recorder, value string) (string, int, error) {
	var out struct {
		ID string `json:"id"`
	}
	status, err := t.api.Timed(ctx, rec, http.MethodPost, "/api/collections/popen/records", "",
		map[string]string{"key": t.batch, "value": value}, &out)
	return out.ID, status, err
}

func (t *openTarget) Join(ctx context.Context, rec *Recorder, nickname string) (Participant, int, error) {
	id, status, err := t.create(ctx, rec, nickname)
	return Participant{ID: id, Nickname: nickname}, status, err
}

func (t *openTarget) Vote(ctx context.Context, rec *Recorder, p Participant, choice int) (string, int, error) {
	return t.create(ctx, rec, p.ID+":"+strconv.Itoa(choice))
}

func (t *openTarget) CheckJoins(ctx context.Context, acked []Participant) []string {
	ids := make([]string, len(acked))
	for i, p := range acked {
		ids[i] = p.ID
	}
	return compareIDs(ctx, t.api, t.token, "popen", fmt.Sprintf("key='%s' && value!~':'", t.batch), ids)
}

// CheckVotes compares the vote records of the batch (the setup's joins
// are records of the same batch without a ':').
func (t *openTarget) CheckVotes(ctx context.Context, acked map[string]int) []string {
	items, _, err := listAll(ctx, t.api, t.token, "popen", fmt.Sprintf("key='%s' && value~':'", t.batch), "id,value")
	if err != nil {
		return []string{err.Error()}
	}
	var problems []string
	stored := map[string]bool{}
	for _, raw := range items {
		var r struct {
			ID    string `json:"id"`
			Value string `json:"value"`
		}
		if err := json.Unmarshal(raw, &r); err != nil {
			return []string{"decode popen: " + err.Error()}
		}
		stored[r.ID] = true
		want, ok := acked[r.ID]
		if !ok {
			problems = append(problems, "popen has "+r.ID+", which was never acknowledged")
		} else if _, choice, _ := cutLast(r.Value, ':'); choice != strconv.Itoa(want) {
			problems = append(problems, fmt.Sprintf("popen %s holds %q, choice %d was sent", r.ID, r.Value, want))
		}
	}
	for id := range acked {
		if !stored[id] {
			problems = append(problems, "acknowledged record "+id+" is missing")
		}
	}
	return capProblems(problems)
}

func cutLast(s string, sep byte) (string, string, bool) {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == sep {
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
}
