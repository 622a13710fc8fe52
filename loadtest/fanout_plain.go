package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
)

// Rules of presponses for the two plain baseline variants. The scoped one
// is what a plain PocketBase app needs to keep one session's records to
// that session's audience: the rule follows the session relation, so
// PocketBase runs one SQL query per subscriber per change.
const (
	plainScopedRule = `session.code = @request.query.code`
	plainOpenRule   = ``
)

// runFanoutPlain is the baseline of fanout: K anonymous streams subscribe
// to presponses records, whose list rule is the scoped or the open one
// (variant "scoped" or "open"); then one record is created per round, and
// the tool times its arrival at every stream.
func runFanoutPlain(ctx, checkCtx context.Context, api *API, sse *http.Client, o *Options, pid int, variant string) *Run {
	run := &Run{Scenario: "fanout", Target: "plain-" + variant, Main: "delivery", Params: map[string]any{"k": o.K, "rounds": o.Rounds}}
	fx, err := SetupPlain(ctx, api, o)
	if err != nil {
		run.Check([]string{"setup: " + err.Error()})
		return run
	}
	rule := plainScopedRule
	if variant == "open" {
		rule = plainOpenRule
	}
	run.Params["rule"] = rule
	_, _, err = api.Do(ctx, http.MethodPatch, "/api/collections/presponses", fx.SuperToken,
		map[string]any{"listRule": rule, "viewRule": rule}, nil)
	if err != nil {
		run.Check([]string{"set the presponses rule: " + err.Error()})
		return run
	}
	// One participant per round: presponses allows one response per
	// participant and session, as Conflicto one per participant and activity.
	voters := make([]string, o.Rounds)
	for r := range voters {
		var p struct {
			ID string `json:"id"`
		}
		_, _, err := api.Do(ctx, http.MethodPost, "/api/collections/pparticipants/records", "",
			map[string]string{"session": fx.SessionID, "nickname": fmt.Sprintf("voter%d", r+1)}, &p)
		if err != nil {
			run.Check([]string{"create a participant: " + err.Error()})
			return run
		}
		voters[r] = p.ID
	}

	rss := StartRSS(pid)
	options, _ := json.Marshal(map[string]any{"query": map[string]string{"code": fx.Code}})
	topic := "presponses/*?options=" + url.QueryEscape(string(options))
	var tracker Tracker
	inbox := NewInbox(o.K)
	var messages, undecodable, mistimed atomic.Int64
	handle := func(i int, ev Event) {
		if !strings.HasPrefix(ev.Name, "presponses/") {
			return
		}
		messages.Add(1)
		inbox.Add(i, ev, tracker.Match(i, ev.Data, ev.At))
	}
	decode := func(a Arrival) {
		var msg struct {
			Record struct {
				ID string `json:"id"`
			} `json:"record"`
		}
		if json.Unmarshal(a.Event.Data, &msg) != nil {
			undecodable.Add(1)
		} else if a.Timed != "" && msg.Record.ID != a.Timed {
			mistimed.Add(1)
		}
	}
	connectRec, subRec := NewRecorder(), NewRecorder()
	progress("plain-%s: %d streams subscribe to presponses", variant, o.K)
	streams, openErr := OpenStreams(ctx, sse, api, o.K, o.ConnectC, func(int) (string, []string) {
		return "", []string{topic}
	}, handle, connectRec, subRec)
	var problems []string
	if openErr != nil {
		problems = append(problems, openErr.Error())
	}
	defer streams.Close()
	sleepCtx(ctx, settle)

	deliveryRec, changeRec := NewRecorder(), NewRecorder()
	cpu := StartCPU(pid)
	timed, each := deliveryRounds(ctx, o, &tracker, deliveryRec, settle, "the record", func() { inbox.Drain(decode) }, func(r int) (string, func() []string) {
		id := randomID(15)
		progress("plain-%s: round %d: create presponses %s", variant, r, id)
		return id, func() []string {
			_, err := api.Timed(ctx, changeRec, http.MethodPost, "/api/collections/presponses/records", "", map[string]any{
				"id":          id,
				"session":     fx.SessionID,
				"participant": voters[r-1],
				"value":       map[string]any{"choices": []int{r % len(pollOptions)}},
			}, nil)
			if err != nil {
				return []string{err.Error()}
			}
			return nil
		}
	})
	problems = append(problems, timed...)
	run.CPU = cpu.Stop(len(each.P99))
	run.RSSMB = rss.Stop()
	streams.Close()
	inbox.Drain(decode)
	if n := undecodable.Load(); n > 0 {
		problems = append(problems, fmt.Sprintf("%d record messages were not JSON", n))
	}
	if n := mistimed.Load(); n > 0 {
		problems = append(problems, fmt.Sprintf("%d record messages were timed as the created record but are another", n))
	}
	if n := streams.failed.Load(); n > 0 {
		problems = append(problems, fmt.Sprintf("%d streams ended with an error", n))
	}
	run.Ops = map[string]Summary{
		"connect":   connectRec.Summary(),
		"subscribe": subRec.Summary(),
		"change":    changeRec.Summary(),
		"delivery":  deliveryRec.Summary(),
	}
	run.Extra = map[string]any{"record_messages": messages.Load()}
	each.AddTo(run.Extra)
	run.Check(problems)
	return run
}
