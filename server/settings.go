package server

import (
	"fmt"
	"log/slog"

	"github.com/pocketbase/pocketbase/core"

	"conflicto/config"
)

// PocketBase's settings for a new data folder: the dashboard says "Acme"
// and mails link to localhost until an operator changes them.
const (
	pocketBaseAppName = "Acme"
	pocketBaseAppURL  = "http://localhost:8090"
)

// AppName is the application name a new data folder gets (the dashboard's
// title, the sender of PocketBase's mails).
const AppName = "Conflicto"

func registerSettings(app core.App, cfg config.Config, logger *slog.Logger) {
	app.OnServe().BindFunc(func(e *core.ServeEvent) error {
		changed, err := BrandSettings(e.App, cfg.PublicURL)
		if err != nil {
			return err
		}
		if changed {
			logger.Info("settings branded", "app_name", AppName, "app_url", cfg.PublicURL)
		}
		return e.Next()
	})
}

// BrandSettings gives a data folder still on PocketBase's defaults the app
// name Conflicto and publicURL (CONFLICTO_PUBLIC_URL) as its app URL. A
// value an operator changed in the dashboard is theirs and stays; so this
// runs at every start and only ever touches defaults. It reports whether it
// saved anything.
func BrandSettings(app core.App, publicURL string) (bool, error) {
	settings, err := app.Settings().Clone() // the live copy changes only once saved
	if err != nil {
		return false, fmt.Errorf("read the settings: %w", err)
	}
	changed := false
	if settings.Meta.AppName == pocketBaseAppName {
		settings.Meta.AppName = AppName
		changed = true
	}
	if settings.Meta.AppURL == pocketBaseAppURL && publicURL != "" && publicURL != pocketBaseAppURL {
		settings.Meta.AppURL = publicURL
		changed = true
	}
	if !changed {
		return false, nil
	}
	if err := app.Save(settings); err != nil {
		return false, fmt.Errorf("save the branded settings: %w", err)
	}
	return true, nil
}
