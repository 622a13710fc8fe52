package apitest_test

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
	"github.com/pocketbase/pocketbase/core"

	"conflicto/config"
	"conflicto/server"
	"conflicto/wire"
)

// The CONFLICTO_BACKUP_* settings become PocketBase's backup settings when
// the app bootstraps (serve, backup, restore), and the backups go where
// they say: here an S3 fake in process.
func TestBackupSettingsFromTheEnvironment(t *testing.T) {
	backend := s3mem.New()
	if err := backend.CreateBucket("conflicto-backups"); err != nil {
		t.Fatal(err)
	}
	s3 := httptest.NewServer(gofakes3.New(backend).Server())
	defer s3.Close()

	cfg := config.Default()
	cfg.Backup = config.Backup{Managed: true, Cron: "0 */6 * * *", Keep: 5, S3: config.BackupS3{
		Bucket: "conflicto-backups", Region: "us-east-1", Endpoint: s3.URL,
		AccessKey: "key", Secret: "secret", ForcePathStyle: true,
	}}
	app := core.NewBaseApp(core.BaseAppConfig{DataDir: t.TempDir()})
	wire.App(app, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), nil)
	if err := app.Bootstrap(); err != nil {
		t.Fatal(err)
	}
	defer app.ClearBootstrap()

	b := app.Settings().Backups
	if b.Cron != "0 */6 * * *" || b.CronMaxKeep != 5 || !b.S3.Enabled || b.S3.Bucket != "conflicto-backups" || b.S3.Endpoint != s3.URL || !b.S3.ForcePathStyle {
		t.Fatalf("backup settings after bootstrap: %+v", b)
	}
	if changed, err := server.SyncBackups(app, cfg.Backup); err != nil || changed {
		t.Fatalf("a second sync: changed %v, %v; want nothing to do", changed, err)
	}

	if err := app.CreateBackup(context.Background(), "to_s3.zip"); err != nil {
		t.Fatal(err)
	}
	obj, err := backend.HeadObject("conflicto-backups", "to_s3.zip")
	if err != nil || obj.Size < 1024 {
		t.Fatalf("the backup is not in the bucket: %+v, %v", obj, err)
	}

	// Back to the data folder: the environment owns the settings, so
	// unset S3 variables clear the bucket.
	local := config.Backup{Managed: true, Keep: 3}
	if changed, err := server.SyncBackups(app, local); err != nil || !changed {
		t.Fatalf("sync to local: changed %v, %v", changed, err)
	}
	if b := app.Settings().Backups; b.S3.Enabled || b.Cron != "" || b.CronMaxKeep != 3 {
		t.Fatalf("backup settings: %+v", b)
	}
}

func TestBackupSettingsLeftToTheDashboard(t *testing.T) {
	app := newTestApp(t, config.Default())
	defer app.Cleanup()
	settings, _ := app.Settings().Clone()
	settings.Backups.Cron = "@daily"
	settings.Backups.CronMaxKeep = 9
	if err := app.Save(settings); err != nil {
		t.Fatal(err)
	}
	if changed, err := server.SyncBackups(app, config.Backup{Keep: 3}); err != nil || changed {
		t.Fatalf("unmanaged sync: changed %v, %v", changed, err)
	}
	if b := app.Settings().Backups; b.Cron != "@daily" || b.CronMaxKeep != 9 {
		t.Fatalf("the dashboard's settings changed: %+v", b)
	}
}

// A schedule that only has the shape of one is refused by PocketBase's
// own validation, naming the variables.
func TestBackupSettingsRefuseABadSchedule(t *testing.T) {
	app := newTestApp(t, config.Default())
	defer app.Cleanup()
	_, err := server.SyncBackups(app, config.Backup{Managed: true, Cron: "61 * * * *", Keep: 3})
	if err == nil || !strings.Contains(err.Error(), "CONFLICTO_BACKUP_*") || !strings.Contains(err.Error(), "cron") {
		t.Fatalf("error = %v, want one naming CONFLICTO_BACKUP_* and the cron", err)
	}
	if b := app.Settings().Backups; b.Cron != "" {
		t.Fatalf("a refused schedule was saved: %+v", b)
	}
}
