package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	c "conflicto/collections"
)

// participantTokenDuration is the life of a participant's auth token: a
// working day, long enough for an event (auth-refresh extends it while the
// session runs), where PocketBase's default is five days. Once the session
// is completed the token stops working after a grace period whatever its
// expiry (hooks/tokens.go).
const participantTokenDuration = 12 * 60 * 60

// pocketBaseTokenDuration is PocketBase's default, restored by the down
// migration.
const pocketBaseTokenDuration = 5 * 24 * 60 * 60

func init() {
	m.Register(func(app core.App) error {
		return setParticipantTokenDuration(app, participantTokenDuration)
	}, func(app core.App) error {
		return setParticipantTokenDuration(app, pocketBaseTokenDuration)
	})
}

func setParticipantTokenDuration(app core.App, seconds int64) error {
	participants, err := app.FindCollectionByNameOrId(c.Participants)
	if err != nil {
		return err
	}
	participants.AuthToken.Duration = seconds
	return app.Save(participants)
}
