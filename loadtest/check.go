package main

import (
	"context"
	"encoding/json"
	"fmt"
)

// compareIDs lists the ids of collection matching filter and compares
// them with want: none missing, none extra, and totalItems agreeing.
func compareIDs(ctx context.Context, api *API, token, collection, filter string, want []string) []string {
	items, total, err := listAll(ctx, api, token, collection, filter, "id")
	if err != nil {
		return []string{err.Error()}
	}
	var problems []string
	if total != len(want) {
		problems = append(problems, fmt.Sprintf("%s: the server lists %d, %d were acknowledged", collection, total, len(want)))
	}
	got := make(map[string]bool, len(items))
	for _, raw := range items {
		var r struct {
			ID string `json:"id"`
		}
		if err := json.Unmarshal(raw, &r); err != nil {
			return append(problems, fmt.Sprintf("decode %s: %v", collection, err))
		}
		if got[r.ID] {
			problems = append(problems, fmt.Sprintf("%s: %s listed twice", collection, r.ID))
		}
		got[r.ID] = true
	}
	wanted := make(map[string]bool, len(want))
	for _, id := range want {
		wanted[id] = true
		if !got[id] {
			problems = append(problems, fmt.Sprintf("%s: acknowledged %s is missing", collection, id))
		}
	}
	for id := range got {
		if !wanted[id] {
			problems = append(problems, fmt.Sprintf("%s: %s was never acknowledged", collection, id))
		}
	}
	return capProblems(problems)
}

// capProblems keeps a report readable when everything is wrong.
func capProblems(p []string) []string {
	const most = 20
	if len(p) <= most {
		return p
	}
	return append(p[:most:most], fmt.Sprintf("… and %d more", len(p)-most))
}
