package main

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// runVote is the vote scenario against one target: N participants join
// (recorded as "join (setup)"), then every one of them answers the current
// poll at concurrency C; afterwards the stored responses and the results
// must equal the acknowledged answers.
func runVote(ctx, checkCtx context.Context, t Target, o *Options) *Run {
	run := &Run{Scenario: "vote", Target: t.Name(), Main: "vote", Params: map[string]any{"n": o.N, "c": o.C}}
	joinRec := NewRecorder()
	names, order := nicknames(o.N, false)
	progress("%s: %d joins (setup)", t.Name(), o.N)
	joined := joinAll(ctx, t, joinRec, names, order, o.C)

	progress("%s: %d votes at concurrency %d", t.Name(), len(joined.acked), o.C)
	rec := NewRecorder()
	var mu sync.Mutex
	acked := map[string]int{}
	var other []string
	idx := make([]int, len(joined.acked))
	for i := range idx {
		idx[i] = i
	}
	options := t.Options()
	var backup *backupWindow
	if o.Backup {
		api, token := t.Superuser()
		backup = newBackupWindow(api, token, len(joined.acked))
		run.Params["backup"] = true
	}
	forEach(ctx, o.C, idx, func(i int) {
		choice := i % options
		start := time.Now()
		id, status, err := t.Vote(ctx, rec, joined.acked[i], choice)
		d := time.Since(start)
		mu.Lock()
		switch {
		case err == nil:
			acked[id] = choice
		case ctx.Err() == nil && len(other) < 5:
			other = append(other, err.Error())
		}
		n := len(acked)
		mu.Unlock()
		if backup != nil {
			backup.vote(ctx, timedOp{start: start, d: d, status: status, err: transportErr(err)}, n)
		}
	})
	run.Ops = map[string]Summary{"join (setup)": joinRec.Summary(), "vote": rec.Summary()}
	run.Extra = map[string]any{"joined": len(joined.acked), "answers_acknowledged": len(acked)}

	problems := append([]string{}, other...)
	if backup != nil {
		during, took, bad := backup.finish()
		run.Ops["vote during backup"] = during
		run.Extra["backup_s"] = round2(took.Seconds())
		problems = append(problems, bad...)
	}
	if ctx.Err() != nil {
		problems = append(problems, "stopped by the -timeout deadline before all votes were sent")
	}
	if len(joined.acked) != o.N {
		problems = append(problems, fmt.Sprintf("only %d of %d setup joins succeeded", len(joined.acked), o.N))
	}
	if len(acked) != len(joined.acked) {
		problems = append(problems, fmt.Sprintf("%d of %d answers acknowledged", len(acked), len(joined.acked)))
	}
	progress("%s: checking answers and results against the server", t.Name())
	problems = append(problems, t.CheckVotes(checkCtx, acked)...)
	run.Check(problems)
	return run
}
