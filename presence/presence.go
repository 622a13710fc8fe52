// Package presence records participants' signs of life (last_seen) in
// batches, off the answer path.
package presence

import (
	"fmt"
	"sync"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	c "conflicto/collections"
)

// FlushInterval is how long signs of life gather before they are
// written together.
const FlushInterval = time.Second

// Writer records participants' last_seen. Every phone of a keynote
// heartbeats every few seconds; one write transaction per heartbeat would
// queue them all on SQLite's single writer in front of the answers. Signs of
// life are gathered in memory instead and written in one transaction per
// second, at most one per participant per c.LastSeenResolution. Presence is
// a display hint: the up to one second lost in a crash does not matter.
type Writer struct {
	app      core.App
	interval time.Duration

	mu      sync.Mutex
	pending map[string]time.Time // participant id → seen at
	timer   *time.Timer
	closed  bool
	// onFlush is told the size of every batch written (the metrics).
	onFlush func(n int)
}

// storeKey is where New leaves the writer in its app's store, for Of.
const storeKey = "conflicto.presence"

// New returns the app's writer, flushing every interval; it writes what is
// pending when the app terminates.
func New(app core.App, interval time.Duration) *Writer {
	w := &Writer{app: app, interval: interval, pending: map[string]time.Time{}}
	app.OnTerminate().BindFunc(func(e *core.TerminateEvent) error {
		w.close()
		return e.Next()
	})
	app.Store().Set(storeKey, w)
	return w
}

// Touch notes that p showed a sign of life now. It never blocks on the
// database.
func (w *Writer) Touch(p *core.Record) {
	now := time.Now().UTC()
	if last := p.GetDateTime(c.ParticipantLastSeen).Time(); !last.IsZero() && now.Sub(last) < c.LastSeenResolution {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return
	}
	w.pending[p.Id] = now
	if w.timer == nil {
		w.timer = time.AfterFunc(w.interval, w.flushLogged)
	}
}

func (w *Writer) flushLogged() {
	if err := w.Flush(); err != nil {
		w.app.Logger().Error("presence: write last_seen", "error", err)
	}
}

// Flush writes the gathered signs of life in one transaction now (the
// timer does it within an interval). A row whose
// last_seen is already fresher than the resolution is left alone, so
// racing writers (or a second task) keep to one write per period.
func (w *Writer) Flush() error {
	w.mu.Lock()
	batch := w.pending
	w.pending = map[string]time.Time{}
	w.timer = nil
	w.mu.Unlock()
	if len(batch) == 0 {
		return nil
	}
	err := w.app.RunInTransaction(func(tx core.App) error {
		q := tx.DB().NewQuery(
			"UPDATE {{" + c.Participants + "}} SET [[" + c.ParticipantLastSeen + "]] = {:seen} " +
				"WHERE [[id]] = {:id} AND ([[" + c.ParticipantLastSeen + "]] = '' OR [[" + c.ParticipantLastSeen + "]] < {:cutoff})",
		).Prepare()
		defer q.Close()
		for id, seen := range batch {
			stamp, err := types.ParseDateTime(seen)
			if err != nil {
				return err
			}
			cutoff, _ := types.ParseDateTime(seen.Add(-c.LastSeenResolution))
			if _, err := q.Bind(dbx.Params{"seen": stamp.String(), "id": id, "cutoff": cutoff.String()}).Execute(); err != nil {
				return fmt.Errorf("update last_seen of %s: %w", id, err)
			}
		}
		return nil
	})
	w.mu.Lock()
	onFlush := w.onFlush
	w.mu.Unlock()
	if err == nil && onFlush != nil {
		onFlush(len(batch))
	}
	return err
}

// OnFlush sets f to be told the size of every batch Flush writes (the
// metrics' presence flush size).
func (w *Writer) OnFlush(f func(n int)) {
	w.mu.Lock()
	w.onFlush = f
	w.mu.Unlock()
}

// close stops the timer and writes what is pending.
func (w *Writer) close() {
	w.mu.Lock()
	w.closed = true
	if w.timer != nil {
		w.timer.Stop()
	}
	w.mu.Unlock()
	w.flushLogged()
}

// Of returns the writer New bound to app, or nil.
func Of(app core.App) *Writer {
	w, _ := app.Store().Get(storeKey).(*Writer)
	return w
}
