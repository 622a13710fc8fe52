package hooks

import (
	"errors"
	"fmt"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"conflicto/apierr"
	c "conflicto/collections"
	"conflicto/config"
	"conflicto/nickname"
)

// registerParticipants binds the participant rules and the join routes.
func registerParticipants(app core.App, cfg config.Config, presence *presenceWriter) {
	app.OnRecordCreate(c.Participants).BindFunc(normalizeNickname)
	app.OnRecordUpdate(c.Participants).BindFunc(func(e *core.RecordEvent) error {
		old, err := stored(e.App, e.Record)
		if err != nil {
			return err
		}
		if e.Record.GetString(c.ParticipantSession) != old.GetString(c.ParticipantSession) {
			return apierr.Invalid(c.ParticipantSession, "immutable", "A participant cannot move to another session.")
		}
		return normalizeNickname(e)
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
			presence.touch(e.Auth)
		}
		return nil
	})
	registerJoinRoutes(app, cfg, presence)
}

// normalizeNickname stores the display form and the collision key, for
// every save path; the (session, nickname_key) index does the rest.
func normalizeNickname(e *core.RecordEvent) error {
	display, err := nickname.Normalize(e.Record.GetString(c.ParticipantNickname))
	if err != nil {
		return apierr.Invalid(c.ParticipantNickname, nickname.Code(err), nicknameMessage(err))
	}
	e.Record.Set(c.ParticipantNickname, display)
	e.Record.Set(c.ParticipantNicknameKey, nickname.Key(display))
	return e.Next()
}

func nicknameMessage(err error) string {
	if errors.Is(err, nickname.ErrLength) {
		return fmt.Sprintf("Nickname must be 1 to %d characters.", nickname.MaxLength)
	}
	return "Nickname must not contain control characters or invalid text."
}
