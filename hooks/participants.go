package hooks

import (
	"time"

	"github.com/pocketbase/pocketbase/core"

	"conflicto/apierr"
	c "conflicto/collections"
	"conflicto/nickname"
	"conflicto/presence"
)

// registerParticipants binds the participant rules.
func registerParticipants(app core.App, presence *presence.Writer) {
	app.OnRecordCreate(c.Participants).BindFunc(func(e *core.RecordEvent) error {
		return normalizeNickname(e, "")
	})
	app.OnRecordUpdate(c.Participants).BindFunc(func(e *core.RecordEvent) error {
		old, err := stored(e.App, e.Record)
		if err != nil {
			return err
		}
		if e.Record.GetString(c.ParticipantSession) != old.GetString(c.ParticipantSession) {
			return apierr.Invalid(c.ParticipantSession, "immutable", "A participant cannot move to another session.")
		}
		return normalizeNickname(e, old.GetString(c.ParticipantNicknameKey))
	})
	app.OnRecordEnrich(c.Participants).BindFunc(func(e *core.RecordEnrichEvent) error {
		e.Record.WithCustomData(true)
		e.Record.Set(c.ParticipantPresence, c.Presence(e.Record.GetDateTime(c.ParticipantLastSeen).Time(), time.Now()))
		return e.Next()
	})
	// A participant who subscribes to realtime is alive.
	app.OnRealtimeSubscribeRequest().BindFunc(func(e *core.RealtimeSubscribeRequestEvent) error {
		if err := e.Next(); err != nil {
			return err
		}
		if e.Auth != nil && e.Auth.Collection().Name == c.Participants {
			presence.Touch(e.Auth)
		}
		return nil
	})
}

// normalizeNickname stores the display form and the collision key on every
// Save of a participant (REST, batch, the dashboard, Go code). POST
// /api/join does not Save: it inserts directly (routes/join.go) and applies
// the same normalisation itself, so a rule added here must be added there
// too; TestJoinFiresExactlyTheAfterCreateEvents pins what a join fires. The
// (session, nickname_key) index does the rest. A new nickname (oldKey is
// the stored key, "" on create) also passes the word filter.
func normalizeNickname(e *core.RecordEvent, oldKey string) error {
	display, err := nickname.Normalize(e.Record.GetString(c.ParticipantNickname))
	if err != nil {
		return apierr.Invalid(c.ParticipantNickname, nickname.Code(err), nickname.Message(err))
	}
	e.Record.Set(c.ParticipantNickname, display)
	e.Record.Set(c.ParticipantNicknameKey, nickname.Key(display))
	if err := filterNickname(e.App, e.Record, oldKey); err != nil {
		return err
	}
	return e.Next()
}
