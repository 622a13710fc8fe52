package commands

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/archive"
	"github.com/pocketbase/pocketbase/tools/osutils"
	"github.com/pocketbase/pocketbase/tools/security"
	"github.com/spf13/cobra"

	"conflicto/config"
)

// backupName is what a backup may be called: PocketBase's own rule for
// names in the backups store.
var backupName = regexp.MustCompile(`^[a-z0-9_-]+\.zip$`)

// restoreExclude are the data folder's entries a restore leaves in place,
// as PocketBase's own restore does: the local backups, its temporary
// files, the certificate cache; and the folder PocketBase watches for
// other processes' changes (a backup has none, and moving it would wake
// the watcher of the app being closed).
var restoreExclude = []string{core.LocalBackupsDirName, core.LocalTempDirName, core.LocalAutocertCacheDirName, core.LocalNotifyDirName, "lost+found"}

// NewBackup returns the backup command: PocketBase's own backup (a
// consistent copy of the databases taken while the server runs, and the
// uploaded files) written to the backups store the settings name: the
// data folder's backups/, or the S3 bucket of CONFLICTO_BACKUP_S3_*.
func NewBackup(app core.App) *cobra.Command {
	return &cobra.Command{
		Use:   "backup [NAME]",
		Short: "Writes a backup of the data folder to the backups store (local or S3); the server may keep running",
		Example: "  conflicto backup\n" +
			"  conflicto backup before_keynote.zip",
		Args:         cobra.MaximumNArgs(1),
		SilenceUsage: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			name := "conflicto_" + time.Now().UTC().Format("20060102150405") + ".zip"
			if len(args) == 1 {
				name = args[0]
				if !backupName.MatchString(name) {
					return fmt.Errorf("%q is not a backup name (expected lower-case letters, digits, _ and -, ending in .zip)", name)
				}
			}
			start := time.Now()
			if err := app.CreateBackup(cmd.Context(), name); err != nil {
				return fmt.Errorf("backup %s: %w", name, err)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Backup %s written to %s in %s.\n", name, backupStore(app), time.Since(start).Round(time.Millisecond))
			return nil
		},
	}
}

// NewRestore returns the restore command: it replaces the data folder's
// databases and files with those of a backup, FILE being a zip on this
// machine or the name of a backup in the backups store. The server must be
// stopped (it refuses while one answers at cfg.HTTP). The data as it was is
// first saved as a backup named pre_restore_TIME.zip, so a restore is
// undone by restoring that.
func NewRestore(app core.App, cfg config.Config) *cobra.Command {
	var force bool
	c := &cobra.Command{
		Use:   "restore FILE",
		Short: "Replaces the data folder with a backup (a zip file, or a name in the backups store); stop the server first",
		Example: "  conflicto restore ./conflicto_20261201090000.zip\n" +
			"  conflicto restore @auto_pb_backup_conflicto_20261201090000.zip",
		Args:         cobra.ExactArgs(1),
		SilenceUsage: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context() // cobra's Execute sets one
			if !force {
				probe, cancel := context.WithTimeout(ctx, time.Second)
				err := Check(probe, LocalURL(cfg.HTTP))
				cancel()
				if err == nil {
					return fmt.Errorf("a server is running at %s: stop it before restoring (or --force if it serves another data folder)", cfg.HTTP)
				}
			}
			return restore(ctx, app, args[0], cmd.OutOrStdout())
		},
	}
	c.Flags().BoolVar(&force, "force", false, "restore even though a server answers at "+config.VarHTTP)
	return c
}

func restore(ctx context.Context, app core.App, file string, out io.Writer) error {
	tempDir := filepath.Join(app.DataDir(), core.LocalTempDirName) // emptied at every start
	if err := os.MkdirAll(tempDir, 0o755); err != nil {
		return err
	}
	zipPath, cleanup, err := fetchBackup(ctx, app, file, tempDir)
	if err != nil {
		return err
	}
	defer cleanup()

	extracted := filepath.Join(tempDir, "conflicto_restore_"+security.PseudorandomString(8))
	defer os.RemoveAll(extracted)
	if err := archive.Extract(zipPath, extracted); err != nil {
		return fmt.Errorf("%s is not a backup: %w", file, err)
	}
	if err := checkDatabase(filepath.Join(extracted, "data.db")); err != nil {
		return fmt.Errorf("%s is not a backup: %w", file, err)
	}

	// The data as it is now, in case this was the wrong backup.
	saved := "pre_restore_" + time.Now().UTC().Format("20060102150405") + ".zip"
	if err := app.CreateBackup(ctx, saved); err != nil {
		return fmt.Errorf("save the current data before restoring (nothing was changed): %w", err)
	}

	// Close the databases, then swap the folders' contents.
	if err := app.ClearBootstrap(); err != nil {
		return fmt.Errorf("close the databases: %w", err)
	}
	old := filepath.Join(tempDir, "conflicto_replaced_"+security.PseudorandomString(8))
	if err := osutils.MoveDirContent(app.DataDir(), old, restoreExclude...); err != nil {
		return fmt.Errorf("move the current data aside (nothing was changed): %w", err)
	}
	if err := osutils.MoveDirContent(extracted, app.DataDir(), restoreExclude...); err != nil {
		if back := osutils.MoveDirContent(old, app.DataDir(), restoreExclude...); back != nil {
			return errors.Join(fmt.Errorf("move the backup in: %w", err), fmt.Errorf("put the current data back from %s: %w", old, back))
		}
		return fmt.Errorf("move the backup in (the current data is back): %w", err)
	}
	fmt.Fprintf(out, "Restored %s into %s. The data it replaced is saved as %s in %s.\n", file, app.DataDir(), saved, backupStore(app))
	return nil
}

// fetchBackup returns the path of the zip to restore: file itself when it
// is a file here, else the backup of that name from the backups store,
// downloaded into dir.
func fetchBackup(ctx context.Context, app core.App, file, dir string) (string, func(), error) {
	if st, err := os.Stat(file); err == nil && st.Mode().IsRegular() {
		return file, func() {}, nil
	}
	fsys, err := app.NewBackupsFilesystem()
	if err != nil {
		return "", nil, fmt.Errorf("open the backups store: %w", err)
	}
	defer fsys.Close()
	fsys.SetContext(ctx)
	if ok, _ := fsys.Exists(file); !ok || strings.ContainsAny(file, `/\`) {
		return "", nil, fmt.Errorf("%s is neither a file here nor a backup in %s", file, backupStore(app))
	}
	r, err := fsys.GetReader(file)
	if err != nil {
		return "", nil, fmt.Errorf("read %s from %s: %w", file, backupStore(app), err)
	}
	defer r.Close()
	tmp, err := os.CreateTemp(dir, "conflicto_restore_*.zip")
	if err != nil {
		return "", nil, err
	}
	cleanup := func() { os.Remove(tmp.Name()) }
	_, err = io.Copy(tmp, r)
	if err = errors.Join(err, tmp.Close()); err != nil {
		cleanup()
		return "", nil, fmt.Errorf("download %s: %w", file, err)
	}
	return tmp.Name(), cleanup, nil
}

// checkDatabase opens a restored data.db and runs SQLite's integrity check.
func checkDatabase(path string) error {
	if _, err := os.Stat(path); err != nil {
		return errors.New("it holds no data.db")
	}
	db, err := core.DefaultDBConnect(path)
	if err != nil {
		return fmt.Errorf("open its data.db: %w", err)
	}
	defer db.Close()
	var result string
	if err := db.NewQuery("PRAGMA integrity_check").Row(&result); err != nil {
		return fmt.Errorf("check its data.db: %w", err)
	}
	if result != "ok" {
		return fmt.Errorf("its data.db is damaged: %s", result)
	}
	return nil
}

// backupStore names where the app's backups go.
func backupStore(app core.App) string {
	if s3 := app.Settings().Backups.S3; s3.Enabled {
		return "S3 bucket " + s3.Bucket
	}
	return filepath.Join(app.DataDir(), core.LocalBackupsDirName)
}
