package hooks

import (
	"github.com/pocketbase/pocketbase/core"

	"conflicto/config"
)

// registerParticipants binds the participant rules and the join routes.
func registerParticipants(app core.App, cfg config.Config) {}
