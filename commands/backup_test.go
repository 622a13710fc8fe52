package commands_test

import (
	"archive/zip"
	"bytes"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
	"github.com/pocketbase/pocketbase/core"
	"github.com/spf13/cobra"

	c "conflicto/collections"
	"conflicto/commands"
	"conflicto/config"
	"conflicto/server"
)

// run executes cmd with args and returns stdout and the error.
func run(cmd *cobra.Command, args ...string) (string, error) {
	var out bytes.Buffer
	cmd.SetArgs(args)
	cmd.SetOut(&out)
	cmd.SetErr(io.Discard)
	err := cmd.Execute()
	return out.String(), err
}

// nowhere is a listen address nothing answers on.
func nowhere(t *testing.T) config.Config {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	cfg := config.Default()
	cfg.HTTP = addr
	return cfg
}

func addHostRecord(t *testing.T, app core.App, email string) {
	t.Helper()
	if _, err := hosts(app, "a-long-password\n", "add", email, "--password-stdin"); err != nil {
		t.Fatal(err)
	}
}

func hostEmails(t *testing.T, app core.App) []string {
	t.Helper()
	recs, err := app.FindAllRecords(c.Users)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range recs {
		out = append(out, r.Email())
	}
	return out
}

// A backup taken, then a change, then a restore of that backup: the data
// is the backup's, and the replaced data was saved as a backup itself.
func TestBackupAndRestoreByName(t *testing.T) {
	app := hostsApp(t)
	if _, err := hosts(app, "", "list"); err != nil { // migrates
		t.Fatal(err)
	}
	addHostRecord(t, app, "kept@example.com")

	out, err := run(commands.NewBackup(app), "before_keynote.zip")
	if err != nil {
		t.Fatal(err)
	}
	store := filepath.Join(app.DataDir(), core.LocalBackupsDirName)
	if !strings.Contains(out, "Backup before_keynote.zip written to "+store) {
		t.Fatalf("backup output %q", out)
	}
	addHostRecord(t, app, "after@example.com")

	out, err = run(commands.NewRestore(app, nowhere(t)), "before_keynote.zip")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "Restored before_keynote.zip into "+app.DataDir()) || !strings.Contains(out, "pre_restore_") {
		t.Fatalf("restore output %q", out)
	}
	if err := app.Bootstrap(); err != nil {
		t.Fatal(err)
	}
	if got := hostEmails(t, app); len(got) != 1 || got[0] != "kept@example.com" {
		t.Fatalf("hosts after the restore = %v, want the backup's only", got)
	}
	saved, _ := filepath.Glob(filepath.Join(store, "pre_restore_*.zip"))
	if len(saved) != 1 {
		t.Fatalf("pre-restore backups: %v", saved)
	}

	// Restoring the saved one undoes the restore.
	if _, err := run(commands.NewRestore(app, nowhere(t)), filepath.Base(saved[0])); err != nil {
		t.Fatal(err)
	}
	if err := app.Bootstrap(); err != nil {
		t.Fatal(err)
	}
	if got := hostEmails(t, app); len(got) != 2 {
		t.Fatalf("hosts after undoing the restore = %v, want both", got)
	}
}

// A backup zip copied to another machine restores into an empty data folder.
func TestRestoreFileIntoEmptyDataDir(t *testing.T) {
	src := hostsApp(t)
	if _, err := hosts(src, "", "list"); err != nil {
		t.Fatal(err)
	}
	addHostRecord(t, src, "ada@example.com")
	if _, err := run(commands.NewBackup(src)); err != nil {
		t.Fatal(err)
	}
	zips, _ := filepath.Glob(filepath.Join(src.DataDir(), core.LocalBackupsDirName, "conflicto_*.zip"))
	if len(zips) != 1 {
		t.Fatalf("default-named backups: %v", zips)
	}
	file := filepath.Join(t.TempDir(), "copied.zip")
	data, err := os.ReadFile(zips[0])
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, data, 0o600); err != nil {
		t.Fatal(err)
	}

	dst := newApp(t)
	if _, err := run(commands.NewRestore(dst, nowhere(t)), file); err != nil {
		t.Fatal(err)
	}
	if err := dst.Bootstrap(); err != nil {
		t.Fatal(err)
	}
	if got := hostEmails(t, dst); len(got) != 1 || got[0] != "ada@example.com" {
		t.Fatalf("hosts = %v", got)
	}
}

func TestBackupAndRestoreRefusals(t *testing.T) {
	app := hostsApp(t)
	if _, err := hosts(app, "", "list"); err != nil {
		t.Fatal(err)
	}
	addHostRecord(t, app, "ada@example.com")

	notZip := filepath.Join(t.TempDir(), "notes.zip")
	os.WriteFile(notZip, []byte("not a zip"), 0o600)
	noDB := filepath.Join(t.TempDir(), "nodb.zip")
	f, _ := os.Create(noDB)
	zw := zip.NewWriter(f)
	w, _ := zw.Create("storage/x.txt")
	w.Write([]byte("x"))
	zw.Close()
	f.Close()
	badDB := filepath.Join(t.TempDir(), "baddb.zip")
	f, _ = os.Create(badDB)
	zw = zip.NewWriter(f)
	w, _ = zw.Create("data.db")
	w.Write(bytes.Repeat([]byte("garbage!"), 1024))
	zw.Close()
	f.Close()

	// A server answering at CONFLICTO_HTTP.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(200) })}
	go srv.Serve(l)
	defer srv.Close()
	running := config.Default()
	running.HTTP = l.Addr().String()

	for _, s := range []struct {
		name    string
		cmd     *cobra.Command
		args    []string
		wantErr string
	}{
		{"a name that is not a backup name", commands.NewBackup(app), []string{"../escape.zip"}, "is not a backup name"},
		{"a name without .zip", commands.NewBackup(app), []string{"nightly"}, "is not a backup name"},
		{"nothing to restore", commands.NewRestore(app, nowhere(t)), []string{"missing.zip"}, "is neither a file here nor a backup in"},
		{"a path into the store", commands.NewRestore(app, nowhere(t)), []string{"../data.db"}, "is neither a file here nor a backup in"},
		{"not a zip", commands.NewRestore(app, nowhere(t)), []string{notZip}, "is not a backup"},
		{"a zip without data.db", commands.NewRestore(app, nowhere(t)), []string{noDB}, "holds no data.db"},
		{"a damaged data.db", commands.NewRestore(app, nowhere(t)), []string{badDB}, "is not a backup"},
		{"a server is running", commands.NewRestore(app, running), []string{noDB}, "a server is running at " + running.HTTP},
	} {
		t.Run(s.name, func(t *testing.T) {
			_, err := run(s.cmd, s.args...)
			if err == nil || !strings.Contains(err.Error(), s.wantErr) {
				t.Fatalf("error = %v, want one containing %q", err, s.wantErr)
			}
		})
	}
	// Nothing was changed by the refusals.
	if got := hostEmails(t, app); len(got) != 1 {
		t.Fatalf("hosts = %v", got)
	}
	if saved, _ := filepath.Glob(filepath.Join(app.DataDir(), core.LocalBackupsDirName, "pre_restore_*")); len(saved) != 0 {
		t.Fatalf("a refused restore saved %v", saved)
	}
}

// With the backups in an S3 bucket, backup uploads there and restore
// downloads by name.
func TestBackupAndRestoreThroughS3(t *testing.T) {
	backend := s3mem.New()
	if err := backend.CreateBucket("conflicto-backups"); err != nil {
		t.Fatal(err)
	}
	s3 := httptest.NewServer(gofakes3.New(backend).Server())
	defer s3.Close()
	store := config.Backup{Managed: true, Keep: 3, S3: config.BackupS3{
		Bucket: "conflicto-backups", Region: "us-east-1", Endpoint: s3.URL,
		AccessKey: "key", Secret: "secret", ForcePathStyle: true,
	}}

	app := hostsApp(t)
	if _, err := hosts(app, "", "list"); err != nil {
		t.Fatal(err)
	}
	if _, err := server.SyncBackups(app, store); err != nil {
		t.Fatal(err)
	}
	addHostRecord(t, app, "kept@example.com")
	out, err := run(commands.NewBackup(app), "nightly.zip")
	if err != nil || !strings.Contains(out, "written to S3 bucket conflicto-backups") {
		t.Fatalf("backup: %q, %v", out, err)
	}
	addHostRecord(t, app, "after@example.com")

	if _, err := run(commands.NewRestore(app, nowhere(t)), "nightly.zip"); err != nil {
		t.Fatal(err)
	}
	if err := app.Bootstrap(); err != nil {
		t.Fatal(err)
	}
	if got := hostEmails(t, app); len(got) != 1 || got[0] != "kept@example.com" {
		t.Fatalf("hosts after the restore = %v", got)
	}
	if _, err := backend.HeadObject("conflicto-backups", "nightly.zip"); err != nil {
		t.Fatalf("the backup is not in the bucket: %v", err)
	}
}

// What stands in the way is reported, and nothing is changed: a backups
// store that cannot be reached, a data folder whose temporary folder or
// local backups folder cannot be made.
func TestBackupAndRestoreFailures(t *testing.T) {
	app := hostsApp(t)
	if _, err := hosts(app, "", "list"); err != nil {
		t.Fatal(err)
	}
	addHostRecord(t, app, "ada@example.com")
	if _, err := run(commands.NewBackup(app), "good.zip"); err != nil {
		t.Fatal(err)
	}
	good := filepath.Join(t.TempDir(), "good.zip")
	data, err := os.ReadFile(filepath.Join(app.DataDir(), core.LocalBackupsDirName, "good.zip"))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(good, data, 0o600)

	// An S3 endpoint where nothing listens.
	if _, err := server.SyncBackups(app, config.Backup{Managed: true, Keep: 3, S3: config.BackupS3{
		Bucket: "b", Region: "us-east-1", Endpoint: "http://" + nowhere(t).HTTP, AccessKey: "k", Secret: "s", ForcePathStyle: true,
	}}); err != nil {
		t.Fatal(err)
	}
	if _, err := run(commands.NewBackup(app), "unreachable.zip"); err == nil || !strings.Contains(err.Error(), "backup unreachable.zip") {
		t.Fatalf("backup to an unreachable store: %v", err)
	}
	if _, err := run(commands.NewRestore(app, nowhere(t)), good); err == nil || !strings.Contains(err.Error(), "nothing was changed") {
		t.Fatalf("restore without a store for the current data: %v", err)
	}
	if _, err := server.SyncBackups(app, config.Backup{Managed: true, Keep: 3}); err != nil {
		t.Fatal(err)
	}

	// The temporary folder is a file.
	temp := filepath.Join(app.DataDir(), core.LocalTempDirName)
	os.RemoveAll(temp)
	os.WriteFile(temp, []byte("x"), 0o600)
	if _, err := run(commands.NewRestore(app, nowhere(t)), good); err == nil {
		t.Fatal("restore with no room for its temporary files: no error")
	}
	os.Remove(temp)

	// The local backups folder is a file.
	local := filepath.Join(app.DataDir(), core.LocalBackupsDirName)
	os.RemoveAll(local)
	os.WriteFile(local, []byte("x"), 0o600)
	if _, err := run(commands.NewRestore(app, nowhere(t)), "good.zip"); err == nil || !strings.Contains(err.Error(), "open the backups store") {
		t.Fatalf("restore by name without a backups store: %v", err)
	}
	if got := hostEmails(t, app); len(got) != 1 {
		t.Fatalf("hosts = %v", got)
	}
}

// A restore with --force goes ahead though something answers at
// CONFLICTO_HTTP (a server of another data folder).
func TestRestoreForce(t *testing.T) {
	app := hostsApp(t)
	if _, err := hosts(app, "", "list"); err != nil {
		t.Fatal(err)
	}
	addHostRecord(t, app, "ada@example.com")
	if _, err := run(commands.NewBackup(app), "forced.zip"); err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(200) })}
	go srv.Serve(l)
	defer srv.Close()
	other := config.Default()
	other.HTTP = l.Addr().String()
	if _, err := run(commands.NewRestore(app, other), "forced.zip", "--force"); err != nil {
		t.Fatal(err)
	}
}
