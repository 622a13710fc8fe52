package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"
)

// backupStall is the most a backup may stall answers at p99 (issue 16:
// a backup taken during a vote storm must not stall them for more).
const backupStall = time.Second

// takeBackup asks the server for one of PocketBase's own backups (POST
// /api/backups as the superuser, which answers once the backup is
// written) and deletes it again. Conflicto and the plain baseline share
// the route.
func takeBackup(ctx context.Context, api *API, superToken string) (time.Time, time.Time, error) {
	name := "loadtest_" + randomFrom("abcdefghijklmnopqrstuvwxyz0123456789", 10) + ".zip"
	start := time.Now()
	_, _, err := api.Do(ctx, http.MethodPost, "/api/backups", superToken, map[string]string{"name": name}, nil)
	end := time.Now()
	if err != nil {
		return start, end, fmt.Errorf("backup: %w", err)
	}
	if _, _, err := api.Do(ctx, http.MethodDelete, "/api/backups/"+name, superToken, nil, nil); err != nil {
		progress("could not delete the backup %s: %v", name, err)
	}
	return start, end, nil
}

// timedOp is one operation's interval and outcome, kept to find the ones
// that overlapped the backup.
type timedOp struct {
	start  time.Time
	d      time.Duration
	status int
	err    error
}

// backupWindow takes one backup during the vote storm (-backup): it
// starts when a quarter of the votes are acknowledged, and the votes whose
// interval overlaps it are recorded apart.
type backupWindow struct {
	api        *API
	superToken string
	trigger    int

	mu         sync.Mutex
	ops        []timedOp
	started    bool
	done       chan struct{}
	start, end time.Time
	err        error
}

func newBackupWindow(api *API, superToken string, votes int) *backupWindow {
	return &backupWindow{api: api, superToken: superToken, trigger: max(votes/4, 1), done: make(chan struct{})}
}

// vote notes one vote and starts the backup at the trigger.
func (b *backupWindow) vote(ctx context.Context, op timedOp, acked int) {
	b.mu.Lock()
	b.ops = append(b.ops, op)
	start := !b.started && acked >= b.trigger
	if start {
		b.started = true
	}
	b.mu.Unlock()
	if start {
		go func() {
			defer close(b.done)
			progress("backup: started during the vote storm")
			s, e, err := takeBackup(ctx, b.api, b.superToken)
			b.mu.Lock()
			b.start, b.end, b.err = s, e, err
			b.mu.Unlock()
			progress("backup: took %s", e.Sub(s).Round(time.Millisecond))
		}()
	}
}

// finish waits for the backup and returns the votes that overlapped it,
// its length, and the problems: a failed or missed backup, votes during it
// over backupStall at p99.
func (b *backupWindow) finish() (Summary, time.Duration, []string) {
	b.mu.Lock()
	started := b.started
	b.mu.Unlock()
	if !started {
		return Summary{}, 0, []string{"the backup never started: too few votes acknowledged"}
	}
	<-b.done
	b.mu.Lock()
	defer b.mu.Unlock()
	rec := NewRecorder()
	for _, op := range b.ops {
		if op.start.Before(b.end) && op.start.Add(op.d).After(b.start) {
			rec.Add(op.start, op.d, op.status, op.err)
		}
	}
	s := rec.Summary()
	var problems []string
	if b.err != nil {
		problems = append(problems, b.err.Error())
	}
	if s.Count == 0 {
		problems = append(problems, "no vote overlapped the backup (raise -n)")
	}
	if s.P99Ms > float64(backupStall/time.Millisecond) {
		problems = append(problems, fmt.Sprintf("votes during the backup: p99 %.0f ms, over %s", s.P99Ms, backupStall))
	}
	return s, b.end.Sub(b.start), problems
}

// transportErr is err unless it is only a status the server answered
// (the recorder counts those by status).
func transportErr(err error) error {
	var se *StatusError
	if errors.As(err, &se) {
		return nil
	}
	return err
}
