package server

import (
	"fmt"
	"log/slog"
	"reflect"

	"github.com/pocketbase/pocketbase/core"

	"conflicto/config"
)

// registerBackups writes the CONFLICTO_BACKUP_* variables into PocketBase's
// backup settings (what the dashboard's Settings > Backups shows) when the
// app bootstraps: at serve, and for the backup and restore commands, which
// must reach the same store. PocketBase schedules the backups itself
// (its cron reloads with the settings).
func registerBackups(app core.App, cfg config.Config, logger *slog.Logger) {
	app.OnBootstrap().BindFunc(func(e *core.BootstrapEvent) error {
		if err := e.Next(); err != nil {
			return err
		}
		changed, err := SyncBackups(e.App, cfg.Backup)
		if err != nil {
			return err
		}
		if changed {
			logger.Info("backup settings written from the environment",
				"cron", cfg.Backup.Cron, "keep", cfg.Backup.Keep, "s3_bucket", cfg.Backup.S3.Bucket)
		}
		return nil
	})
}

// SyncBackups makes the app's backup settings those of b when the
// environment manages them (b.Managed), and leaves them to the dashboard
// otherwise. It validates them as the dashboard would (the schedule's
// fields included) and reports whether it saved anything.
func SyncBackups(app core.App, b config.Backup) (bool, error) {
	if !b.Managed {
		return false, nil
	}
	settings, err := app.Settings().Clone()
	if err != nil {
		return false, fmt.Errorf("read settings: %w", err)
	}
	want := settings.Backups
	want.Cron = b.Cron
	want.CronMaxKeep = b.Keep
	want.S3 = core.S3Config{
		Enabled:        b.S3.Bucket != "",
		Bucket:         b.S3.Bucket,
		Region:         b.S3.Region,
		Endpoint:       b.S3.Endpoint,
		AccessKey:      b.S3.AccessKey,
		Secret:         b.S3.Secret,
		ForcePathStyle: b.S3.ForcePathStyle,
	}
	if err := want.Validate(); err != nil {
		return false, fmt.Errorf("backup settings from %s*: %w", config.Prefix+"BACKUP_", err)
	}
	if reflect.DeepEqual(want, settings.Backups) {
		return false, nil
	}
	settings.Backups = want
	if err := app.Save(settings); err != nil {
		return false, fmt.Errorf("save the backup settings: %w", err)
	}
	return true, nil
}
