// Package memo keeps in memory what every join and every answer reads and
// almost nothing writes: a session's status and cap, an activity's state
// and parsed rules, the session of a participant, and the number of
// participants of a session. Each read through the database costs a
// statement parse and page reads on a connection whose cache the last
// write emptied; four of them per answer were most of its CPU.
//
// Correctness rules:
//   - An entry is dropped by the record's after-success hooks, which
//     PocketBase runs once the write has committed. A write that rolls
//     back leaves the database as it was, and so the entry.
//   - A read that started before a drop does not store what it read
//     (a generation counter): a slow reader cannot put back the state a
//     commit has just replaced.
//   - Inside a transaction nothing is read from or stored in the memo:
//     the transaction may see (and roll back) what others do not.
//   - The participant count is exact (count.go).
//
// Each app has its own memo (Register stores it in the app's store), so
// test apps side by side never share entries.
package memo

import (
	"sync"

	"github.com/pocketbase/pocketbase/core"
)

const storeKey = "conflicto.memo"

// maxEntries bounds each map: past it the map starts over (the entries
// are only a cache, and a server's working set is a few live sessions).
var maxEntries = 50_000

// Memo is one app's read-mostly state. A nil *Memo reads the database
// every time.
type Memo struct {
	mu           sync.Mutex
	gen          uint64 // bumped by every drop
	sessions     map[string]*Session
	codes        map[string]string // join code → session id
	activities   map[string]*Activity
	participants map[string]string       // participant id → session id
	auth         map[string]*core.Record // participant id → record, for tokens (auth.go)
	counts       map[string]int          // session id → participants (count.go)

	tokens tokens // checked participant tokens (tokens.go)

	// joins serialises the joins' count-and-insert writes with the
	// other participant writes outside a transaction (count.go).
	joins sync.Mutex
}

// Register creates app's memo and binds the hooks that keep it current.
// It is bound first, so that every later after-success hook already
// reads the new state.
func Register(app core.App) *Memo {
	m := &Memo{}
	m.reset()
	app.Store().Set(storeKey, m)
	bindInvalidation(app, m)
	return m
}

// Of returns app's memo, or nil when none was registered.
func Of(app core.App) *Memo {
	m, _ := app.Store().Get(storeKey).(*Memo)
	return m
}

func (m *Memo) reset() {
	m.sessions = map[string]*Session{}
	m.codes = map[string]string{}
	m.activities = map[string]*Activity{}
	m.participants = map[string]string{}
	m.auth = map[string]*core.Record{}
	m.counts = map[string]int{}
}

// usable reports whether reads through app may use the memo.
func (m *Memo) usable(app core.App) bool {
	return m != nil && !app.IsTransactional()
}

// keep stores what a read that started at generation gen found, unless a
// drop came in between.
func (m *Memo) keep(gen uint64, store func()) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.gen != gen {
		return
	}
	if len(m.sessions) > maxEntries || len(m.activities) > maxEntries ||
		len(m.participants) > maxEntries || len(m.counts) > maxEntries || len(m.auth) > maxEntries {
		m.reset()
	}
	store()
}

// drop forgets entries and bumps the generation.
func (m *Memo) drop(forget func()) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.gen++
	forget()
}

// Forget empties the memo (for an operator's or a test's raw write that
// no hook sees).
func (m *Memo) Forget() {
	if m == nil {
		return
	}
	m.drop(m.reset)
}
