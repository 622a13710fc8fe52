package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"sync"
	"time"
)

// Env is where the servers under test are: given by flags, or started by
// the tool with -compare.
type Env struct {
	ConflictoURL, PlainURL string
	ConflictoPID, PlainPID int

	mu      sync.Mutex
	servers []*Server
	tmp     string
	keep    bool
}

// Close stops the servers the tool started and removes their directory
// (unless -keep). It is safe to call more than once.
func (e *Env) Close() {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, s := range e.servers {
		s.Stop()
	}
	e.servers = nil
	if e.tmp != "" {
		if e.keep {
			progress("kept %s", e.tmp)
		} else {
			os.RemoveAll(e.tmp)
		}
		e.tmp = ""
	}
}

// setup fills env from the flags, starting both servers for -compare.
func (e *Env) setup(ctx context.Context, o *Options) error {
	switch {
	case o.Compare:
		tmp, err := os.MkdirTemp("", "conflicto-loadtest-")
		if err != nil {
			return err
		}
		e.mu.Lock()
		e.tmp, e.keep = tmp, o.Keep
		e.mu.Unlock()
		conflicto, plain, err := buildServers(ctx, tmp)
		if err != nil {
			return err
		}
		for _, srv := range []struct{ name, bin string }{{"conflicto", conflicto}, {"plainpb", plain}} {
			s, err := StartServer(ctx, srv.name, srv.bin, tmp, o)
			if err != nil {
				return err
			}
			e.mu.Lock()
			e.servers = append(e.servers, s)
			e.mu.Unlock()
			if srv.name == "conflicto" {
				e.ConflictoURL, e.ConflictoPID = s.URL, s.PID
			} else {
				e.PlainURL, e.PlainPID = s.URL, s.PID
			}
		}
	case o.Target == "plain":
		e.PlainURL, e.PlainPID = o.URL, o.PID
	default:
		e.ConflictoURL, e.ConflictoPID = o.URL, o.PID
		e.PlainURL, e.PlainPID = o.PlainURL, o.PlainPID
	}
	return nil
}

// run prepares the servers and runs the scenario against each.
func run(ctx, checkCtx context.Context, o *Options, env *Env) (*Report, error) {
	if err := env.setup(ctx, o); err != nil {
		return nil, err
	}
	rep := NewReport(o.Scenario)
	if o.Commit != "" {
		rep.Commit = o.Commit
	}
	hc := newHTTPClient(max(o.C, o.ConnectC))
	if o.Scenario == "event" || o.Scenario == "flood" || o.Scenario == "soak" {
		hc = newHTTPClient(256) // phones act on their own, not C at a time
	}
	sse := newSSEClient()
	first := true
	pause := func() { // let the previous run's background work settle
		if !first {
			sleepCtx(ctx, 2*time.Second)
		}
		first = false
	}

	if o.Scenario == "join" || o.Scenario == "vote" {
		// Rounds alternate the targets (A B C A B C ...), so that a change
		// of the machine's load during the invocation falls on all of them.
		for round := 1; round <= o.Repeat && ctx.Err() == nil; round++ {
			for _, t := range joinVoteTargets(env) {
				pause()
				target, err := t(ctx, hc, o)
				if err != nil {
					return nil, err
				}
				r := joinOrVote(ctx, checkCtx, target, o)
				r.Round = round
				rep.Runs = append(rep.Runs, r)
			}
		}
	}
	if env.ConflictoURL != "" {
		api := &API{Base: env.ConflictoURL, HC: hc}
		switch o.Scenario {
		case "event", "soak":
			pause()
			rep.Runs = append(rep.Runs, runEvent(ctx, checkCtx, api, sse, o, env.ConflictoPID))
		case "flood":
			rep.Runs = append(rep.Runs, runFlood(ctx, checkCtx, api, o, env.ConflictoPID)...)
		}
	}
	if o.Scenario == "fanout" {
		// Rounds alternate the targets as for join and vote: Conflicto,
		// then the plain broadcast with the scoped rule and with the empty
		// one, -repeat times.
		for round := 1; round <= o.Repeat && ctx.Err() == nil; round++ {
			if env.ConflictoURL != "" {
				pause()
				r := runFanoutConflicto(ctx, checkCtx, &API{Base: env.ConflictoURL, HC: hc}, sse, o, env.ConflictoPID)
				r.Round = round
				rep.Runs = append(rep.Runs, r)
			}
			if env.PlainURL != "" {
				for _, variant := range []string{"scoped", "open"} {
					pause()
					r := runFanoutPlain(ctx, checkCtx, &API{Base: env.PlainURL, HC: hc}, sse, o, env.PlainPID, variant)
					r.Round = round
					rep.Runs = append(rep.Runs, r)
				}
			}
		}
	}
	if len(rep.Runs) == 0 {
		return nil, fmt.Errorf("nothing to run")
	}
	rep.Finish()
	return rep, nil
}

// targetMaker prepares one target's fixture for one run.
type targetMaker func(ctx context.Context, hc *http.Client, o *Options) (Target, error)

// joinVoteTargets are the targets of the join and vote scenarios, in the
// order of a round: Conflicto, then the rule-bearing plain baseline, then
// the plain create with an empty rule (both on the plainpb server).
func joinVoteTargets(env *Env) []targetMaker {
	var out []targetMaker
	if env.ConflictoURL != "" {
		out = append(out, func(ctx context.Context, hc *http.Client, o *Options) (Target, error) {
			api := &API{Base: env.ConflictoURL, HC: hc}
			fx, err := SetupConflicto(ctx, api, o, 1)
			if err != nil {
				return nil, fmt.Errorf("conflicto setup: %w", err)
			}
			return &conflictoTarget{api: api, fx: fx, activity: fx.Polls[0]}, nil
		})
	}
	if env.PlainURL != "" {
		out = append(out, func(ctx context.Context, hc *http.Client, o *Options) (Target, error) {
			api := &API{Base: env.PlainURL, HC: hc}
			fx, err := SetupPlain(ctx, api, o)
			if err != nil {
				return nil, fmt.Errorf("plain setup: %w", err)
			}
			return &plainTarget{api: api, fx: fx}, nil
		}, func(ctx context.Context, hc *http.Client, o *Options) (Target, error) {
			api := &API{Base: env.PlainURL, HC: hc}
			token, err := superuserToken(ctx, api, o.SuEmail, o.SuPassword)
			if err != nil {
				return nil, fmt.Errorf("plain-open setup: %w", err)
			}
			return &openTarget{api: api, token: token, batch: randomID(12)}, nil
		})
	}
	return out
}

func joinOrVote(ctx, checkCtx context.Context, t Target, o *Options) *Run {
	if o.Scenario == "join" {
		return runJoin(ctx, checkCtx, t, o)
	}
	return runVote(ctx, checkCtx, t, o)
}
