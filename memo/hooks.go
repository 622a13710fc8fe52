package memo

import (
	"github.com/pocketbase/pocketbase/core"

	c "conflicto/collections"
)

// bindInvalidation binds the drops: after a committed update or delete of
// a session, an activity or a participant (a new token key, a kick), its
// entries go; participant
// creates and deletes other than joins also drop the session's count
// (count.go); a change of a collection (its schema, its token secret)
// empties the memo.
func bindInvalidation(app core.App, m *Memo) {
	dropSession := func(e *core.RecordEvent) error {
		m.drop(func() {
			if s, ok := m.sessions[e.Record.Id]; ok {
				delete(m.codes, s.Code)
			}
			delete(m.codes, e.Record.GetString(c.SessionCode))
			delete(m.sessions, e.Record.Id)
			delete(m.counts, e.Record.Id)
		})
		return e.Next()
	}
	app.OnRecordAfterUpdateSuccess(c.Sessions).BindFunc(dropSession)
	app.OnRecordAfterDeleteSuccess(c.Sessions).BindFunc(dropSession)

	dropActivity := func(e *core.RecordEvent) error {
		m.drop(func() { delete(m.activities, e.Record.Id) })
		return e.Next()
	}
	app.OnRecordAfterUpdateSuccess(c.Activities).BindFunc(dropActivity)
	app.OnRecordAfterDeleteSuccess(c.Activities).BindFunc(dropActivity)

	dropParticipant := func(e *core.RecordEvent) error {
		m.drop(func() {
			delete(m.participants, e.Record.Id)
			delete(m.auth, e.Record.Id)
			delete(m.counts, e.Record.GetString(c.ParticipantSession))
		})
		return e.Next()
	}
	app.OnRecordAfterUpdateSuccess(c.Participants).BindFunc(dropParticipant)
	app.OnRecordAfterDeleteSuccess(c.Participants).BindFunc(dropParticipant)
	app.OnRecordCreateExecute(c.Participants).BindFunc(m.participantWrite)
	app.OnRecordDeleteExecute(c.Participants).BindFunc(m.participantWrite)

	forgetAll := func(e *core.CollectionEvent) error {
		m.Forget()
		return e.Next()
	}
	app.OnCollectionAfterUpdateSuccess().BindFunc(forgetAll)
	app.OnCollectionAfterDeleteSuccess().BindFunc(forgetAll)
}
