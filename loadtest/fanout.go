package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync/atomic"
	"time"
)

// settle is the pause between subscribing and the first change, and between
// two changes: longer than Conflicto's 200 ms coalescing interval, so that
// every change goes out on its own, on the leading edge.
const settle = time.Second

// liveMessage is the part of a live document the tool reads.
type liveMessage struct {
	Activity *struct {
		ID string `json:"id"`
	} `json:"activity"`
	Participants struct {
		Count int `json:"count"`
	} `json:"participants"`
	Version int64 `json:"version"`
}

// runFanoutConflicto is the fanout scenario on Conflicto: K anonymous
// streams subscribe to live/{code}; the host advances Rounds times, and
// each time the tool times the arrival at every stream of a live message
// whose activity is the new one.
func runFanoutConflicto(ctx, checkCtx context.Context, api *API, sse *http.Client, o *Options, pid int) *Run {
	run := &Run{Scenario: "fanout", Target: "conflicto", Main: "delivery", Params: map[string]any{"k": o.K, "rounds": o.Rounds}}
	fx, err := SetupConflicto(ctx, api, o, o.Rounds+1)
	if err != nil {
		run.Check([]string{"setup: " + err.Error()})
		return run
	}
	rss := StartRSS(pid)
	topic := "live/" + fx.Code
	var tracker Tracker
	var welcomed, backwards, messages atomic.Int64
	versions := make([]atomic.Int64, o.K)
	handle := func(i int, ev Event) {
		if ev.Name != topic {
			return
		}
		messages.Add(1)
		var doc liveMessage
		if json.Unmarshal(ev.Data, &doc) != nil {
			return
		}
		if prev := versions[i].Swap(doc.Version); prev == 0 {
			welcomed.Add(1)
		} else if doc.Version < prev {
			backwards.Add(1)
		}
		if doc.Activity != nil {
			tracker.Seen(i, doc.Activity.ID, ev.At)
		}
	}
	connectRec, subRec := NewRecorder(), NewRecorder()
	progress("conflicto: %d streams subscribe to %s", o.K, topic)
	streams, openErr := OpenStreams(ctx, sse, api, o.K, o.ConnectC, func(int) (string, []string) {
		return "", []string{topic}
	}, handle, connectRec, subRec)
	var problems []string
	if openErr != nil {
		problems = append(problems, openErr.Error())
	}
	defer streams.Close()
	waitFor(ctx, 30*time.Second, func() bool { return welcomed.Load() >= int64(streams.Open()) })
	if w := welcomed.Load(); w != int64(o.K) {
		problems = append(problems, fmt.Sprintf("%d of %d subscribers got the welcome document", w, o.K))
	}
	sleepCtx(ctx, settle)

	deliveryRec, advanceRec := NewRecorder(), NewRecorder()
	for r := 1; r <= o.Rounds && ctx.Err() == nil; r++ {
		want := fx.Polls[r].ID
		progress("conflicto: round %d: advance to %s", r, want)
		ch := tracker.Begin(want, o.K, deliveryRec)
		got, _, err := advance(ctx, api, fx, advanceRec)
		switch {
		case err != nil:
			problems = append(problems, err.Error())
		case got != want:
			problems = append(problems, fmt.Sprintf("round %d: advance activated %q, want %q", r, got, want))
		}
		if missing := tracker.Wait(ch, o.RoundTimeout); missing > 0 {
			problems = append(problems, fmt.Sprintf("round %d: %d of %d subscribers did not get the new activity within %s", r, missing, o.K, o.RoundTimeout))
		}
		sleepCtx(ctx, settle)
	}
	run.RSSMB = rss.Stop()
	streams.Close()
	if ctx.Err() != nil {
		problems = append(problems, "stopped by the -timeout deadline before all rounds ran")
	}

	if n := backwards.Load(); n > 0 {
		problems = append(problems, fmt.Sprintf("%d live messages went back in version", n))
	}
	if n := streams.failed.Load(); n > 0 {
		problems = append(problems, fmt.Sprintf("%d streams ended with an error", n))
	}
	var live liveMessage
	if _, _, err := api.Do(checkCtx, http.MethodGet, "/api/live/"+fx.Code, "", nil, &live); err != nil {
		problems = append(problems, "live state: "+err.Error())
	} else if last := fx.Polls[o.Rounds].ID; live.Activity == nil || live.Activity.ID != last {
		problems = append(problems, "the live state does not show the last activity "+last)
	}
	run.Ops = map[string]Summary{
		"connect":   connectRec.Summary(),
		"subscribe": subRec.Summary(),
		"advance":   advanceRec.Summary(),
		"delivery":  deliveryRec.Summary(),
	}
	run.Extra = map[string]any{"live_messages": messages.Load()}
	run.Check(problems)
	return run
}
