package memo

import (
	"fmt"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	c "conflicto/collections"
)

// The cap on a session's participants is checked when a join writes,
// under the joins lock. Counting the session's participants there
// (COUNT(*) over its index entries) grew with the audience; the memo
// keeps the count instead, and keeps it exact:
//   - a join reads the kept count and inserts with one statement (no
//     transaction: BEGIN and COMMIT would only hold the single writer
//     longer), or, when no count is kept, counts and inserts in one
//     transaction; either under the joins lock, and it keeps count+1 only
//     once the write has committed and only if no drop came in between;
//   - every other participant create or delete drops the count after its
//     statement: outside a transaction under the same lock (so that no
//     join reads the count between the statement and the drop), inside
//     one without it (taking the lock there could wait for a join that
//     waits for the writer). A join that read the count before such a
//     statement inserts after that transaction commits and keeps nothing
//     (the drop bumped the generation); one that reads after the drop
//     counts in its own transaction, which waits for the writer. Only
//     joins are capped (a superuser's creates are not), so a cap check
//     that missed a superuser's uncommitted create changes nothing;
//   - anything unexpected (an error, a transaction around the join)
//     counts again from the table.

// Join runs insert, which writes the participant p through tx, if p's
// session has fewer than limit participants; full reports that it had not
// (and insert did not run). The error is insert's or the count's. A
// joined participant is kept (auth.go): its first answer, a moment later,
// finds it.
func (m *Memo) Join(app core.App, p *core.Record, limit int, insert func(tx core.App) error) (full bool, err error) {
	sessionID := p.GetString(c.ParticipantSession)
	if !m.usable(app) {
		err = app.RunInTransaction(func(tx core.App) error {
			n, err := countParticipants(tx, sessionID)
			if err != nil {
				return err
			}
			if full = n >= limit; full {
				return nil
			}
			return insert(tx)
		})
		return full, err
	}

	m.joins.Lock()
	defer m.joins.Unlock()
	m.mu.Lock()
	n, known := m.counts[sessionID]
	gen := m.gen
	m.mu.Unlock()
	after := n
	join := func(tx core.App) error {
		if !known {
			var err error
			if n, err = countParticipants(tx, sessionID); err != nil {
				return err
			}
		}
		after = n
		if full = n >= limit; full {
			return nil
		}
		if err := insert(tx); err != nil {
			return err
		}
		after = n + 1
		return nil
	}
	if known {
		// One statement needs no transaction of its own (a plain Save
		// has none either): BEGIN and COMMIT would only hold the writer
		// longer.
		err = join(app)
	} else {
		err = app.RunInTransaction(join)
	}
	if err != nil {
		m.drop(func() { delete(m.counts, sessionID) })
		return full, err
	}
	if full {
		m.keep(gen, func() { m.counts[sessionID] = after })
		return true, nil
	}
	kept := p.Fresh()
	m.keep(gen, func() {
		m.counts[sessionID] = after
		m.auth[p.Id] = kept
		m.participants[p.Id] = sessionID
	})
	return false, nil
}

func countParticipants(tx core.App, sessionID string) (int, error) {
	var n int
	err := tx.DB().Select("COUNT(*)").From(c.Participants).
		Where(dbx.HashExp{c.ParticipantSession: sessionID}).Row(&n)
	if err != nil {
		return 0, fmt.Errorf("count participants: %w", err)
	}
	return n, nil
}

// participantWrite wraps the statement of a participant create or delete
// that is not a join (see above).
func (m *Memo) participantWrite(e *core.RecordEvent) error {
	sessionID := e.Record.GetString(c.ParticipantSession)
	if !e.App.IsTransactional() {
		m.joins.Lock()
		defer m.joins.Unlock()
	}
	err := e.Next()
	m.drop(func() {
		delete(m.counts, sessionID)
		delete(m.participants, e.Record.Id)
		delete(m.auth, e.Record.Id)
	})
	return err
}
