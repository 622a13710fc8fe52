package memo

import (
	"github.com/pocketbase/pocketbase/core"

	c "conflicto/collections"
)

// Participant returns the participants record with id, for the check of
// a participant's token (server/participant_auth.go): a copy of its own
// for the caller, who may change it (an enrich does). The kept record is
// dropped when the participant is updated (a new token key) or deleted (a
// kick), and with everything when a collection changes (a new token
// secret). Its last_seen is that of when it was read: the presence writer
// writes last_seen without hooks, and only ever forward in time.
func (m *Memo) Participant(app core.App, id string) (*core.Record, error) {
	if !m.usable(app) {
		return app.FindRecordById(c.Participants, id)
	}
	m.mu.Lock()
	r, ok := m.auth[id]
	gen := m.gen
	m.mu.Unlock()
	if ok {
		return r.Fresh(), nil
	}
	r, err := app.FindRecordById(c.Participants, id)
	if err != nil {
		return nil, err
	}
	kept := r.Fresh()
	m.keep(gen, func() { m.auth[id] = kept })
	return r, nil
}
