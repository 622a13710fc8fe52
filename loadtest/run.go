package main

import (
	"context"
	"fmt"
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
	if o.Scenario == "event" || o.Scenario == "soak" {
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

	if env.ConflictoURL != "" {
		pause()
		api := &API{Base: env.ConflictoURL, HC: hc}
		switch o.Scenario {
		case "join", "vote":
			fx, err := SetupConflicto(ctx, api, o, 1)
			if err != nil {
				return nil, fmt.Errorf("conflicto setup: %w", err)
			}
			t := &conflictoTarget{api: api, fx: fx, activity: fx.Polls[0]}
			rep.Runs = append(rep.Runs, joinOrVote(ctx, checkCtx, t, o))
		case "fanout":
			rep.Runs = append(rep.Runs, runFanoutConflicto(ctx, checkCtx, api, sse, o, env.ConflictoPID))
		case "event", "soak":
			rep.Runs = append(rep.Runs, runEvent(ctx, checkCtx, api, sse, o, env.ConflictoPID))
		}
	}
	if env.PlainURL != "" && o.Scenario != "event" && o.Scenario != "soak" {
		api := &API{Base: env.PlainURL, HC: hc}
		switch o.Scenario {
		case "join", "vote":
			pause()
			fx, err := SetupPlain(ctx, api, o)
			if err != nil {
				return nil, fmt.Errorf("plain setup: %w", err)
			}
			rep.Runs = append(rep.Runs, joinOrVote(ctx, checkCtx, &plainTarget{api: api, fx: fx}, o))
		case "fanout":
			for _, variant := range []string{"scoped", "open"} {
				pause()
				rep.Runs = append(rep.Runs, runFanoutPlain(ctx, checkCtx, api, sse, o, env.PlainPID, variant))
			}
		}
	}
	if len(rep.Runs) == 0 {
		return nil, fmt.Errorf("nothing to run")
	}
	rep.Finish()
	return rep, nil
}

func joinOrVote(ctx, checkCtx context.Context, t Target, o *Options) *Run {
	if o.Scenario == "join" {
		return runJoin(ctx, checkCtx, t, o)
	}
	return runVote(ctx, checkCtx, t, o)
}
