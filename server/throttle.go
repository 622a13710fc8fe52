package server

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"

	"conflicto/apierr"
)

// A phone that is refused waits for Retry-After; a script does not. When
// one token sends thousands of writes a second, answering each refusal at
// once would keep the server as busy as accepting them: every refusal is
// a request to route, authenticate, log and answer, on the two cores the
// rest of the room is using. So the throttle answers a refusal at once
// only when it starts a streak. A write that arrives while the previous
// refusal's Retry-After is still running ignored it: its 429 is paced,
// one per refusalGap per key, each held until its turn (at most
// maxRefusalHold), it gets no log line of its own (a line every
// refusalLogEvery says how many there were), and it skips PocketBase's
// activity log (the dashboard's logs). Whatever the client's speed and
// however many connections it opens, its refusals then leave about one per
// refusalGap, spread out rather than in bursts (at most C per
// maxRefusalHold for C connections, when the queue is longer than the
// hold). The answer a client gets is the same 429, its Retry-After counted
// from when it is sent.

// refusalGap is how far apart one key's held refusals leave.
const refusalGap = 100 * time.Millisecond

// maxRefusalHold is the longest a repeated refusal is held.
const maxRefusalHold = 10 * time.Second

// maxHeldRefusals bounds the refusals held at once, server-wide (each is
// a sleeping goroutine and an open connection); beyond it they leave at
// once.
const maxHeldRefusals = 10000

// refusalLogEvery is how often a streak's repeated refusals are logged.
const refusalLogEvery = 10 * time.Second

// skipActivityLogKey is PocketBase's request-event key that keeps a
// request out of its activity log when the handler returns no error
// (apis.SkipSuccessActivityLog sets it, but also calls the next handler).
// TestRepeatedRefusalsAreHeldAndQuiet fails if PocketBase renames it.
const skipActivityLogKey = "__skipSuccessActivityLogger"

// quietRequestKey marks a request the stdout request log leaves out
// because another line accounts for it.
const quietRequestKey = "conflictoQuiet"

// throttle answers the refusals of one limit.
type throttle struct {
	app    core.App
	logger *slog.Logger
	what   string // what is limited, for the log ("writes")
	held   atomic.Int64

	// stopping is closed when the server shuts down: held refusals leave
	// at once instead of keeping the drain waiting.
	stopping chan struct{}
	stopOnce sync.Once

	mu      sync.Mutex
	streaks map[string]*streak
}

// streak is a key's run of refusals.
type streak struct {
	until time.Time // when the last refusal's Retry-After ends
	next  time.Time // when the next held refusal may leave
	quiet int       // repeated refusals not logged yet
	total int       // repeated refusals in the streak
}

func newThrottle(app core.App, logger *slog.Logger, what string) *throttle {
	t := &throttle{app: app, logger: logger, what: what, streaks: map[string]*streak{}, stopping: make(chan struct{})}
	if app != nil {
		app.OnTerminate().Bind(&hook.Handler[*core.TerminateEvent]{
			Priority: -10001, // before the drain (lifecycle.go), which waits for held requests
			Func: func(e *core.TerminateEvent) error {
				t.stopOnce.Do(func() { close(t.stopping) })
				return e.Next()
			},
		})
	}
	return t
}

// refuse answers a refused request of key: 429 with Retry-After (retry)
// and message, held and quiet when key is ignoring an earlier Retry-After.
func (t *throttle) refuse(e *core.RequestEvent, key string, retry time.Duration, message string) error {
	now := time.Now()
	t.mu.Lock()
	s := t.streaks[key]
	repeated := s != nil && now.Before(s.until)
	if s == nil {
		s = &streak{}
		t.streaks[key] = s
		time.AfterFunc(refusalLogEvery, func() { t.report(key) })
	}
	var wait time.Duration
	if repeated {
		s.quiet++
		s.total++
		slot := later(now, s.next)
		s.next = slot.Add(refusalGap)
		wait = min(slot.Sub(now), maxRefusalHold)
	} else {
		s.next = now.Add(refusalGap)
	}
	// The Retry-After this refusal carries runs from when it is sent.
	s.until = later(s.until, now.Add(wait+max(retry-wait, time.Second)))
	t.mu.Unlock()

	if !repeated {
		return apierr.TooManyRequests(e, retry, message) // an ordinary refusal: logged like any request
	}
	if t.held.Add(1) <= maxHeldRefusals {
		start := time.Now()
		sleep(e.Request.Context(), t.stopping, wait)
		retry -= time.Since(start)
	}
	t.held.Add(-1)
	observerOf(t.app).refusalHeld()
	e.Set(skipActivityLogKey, true)
	e.Set(quietRequestKey, true)
	return e.JSON(http.StatusTooManyRequests, apierr.TooManyRequests(e, retry, message))
}

// report logs how many repeated refusals key had since the last report,
// and forgets the streak once its Retry-After is over.
func (t *throttle) report(key string) {
	t.mu.Lock()
	s := t.streaks[key]
	if s == nil {
		t.mu.Unlock()
		return
	}
	quiet, total := s.quiet, s.total
	s.quiet = 0
	over := !time.Now().Before(s.until)
	if over {
		delete(t.streaks, key)
	} else {
		time.AfterFunc(refusalLogEvery, func() { t.report(key) })
	}
	t.mu.Unlock()
	if quiet > 0 {
		t.logger.Warn("throttled: refusals held for ignoring Retry-After",
			slog.String("limit", t.what), slog.String("key", key),
			slog.Int("refused", quiet), slog.Int("refused_in_streak", total), slog.Bool("streak_over", over))
	}
}

// later returns the later of a and b.
func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// sleep sleeps for d, or until ctx is done or stop is closed.
func sleep(ctx context.Context, stop <-chan struct{}, d time.Duration) {
	if d <= 0 {
		return
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
	case <-ctx.Done():
	case <-stop:
	}
}
