package commands_test

import (
	"io"
	"log/slog"
	"os"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase"

	"conflicto/commands"
	"conflicto/config"
)

// TestRunExitCodes: what a script or a container sees of each command line
// (the e2e tests check the same through the real binary).
func TestRunExitCodes(t *testing.T) {
	dead := deadURL(t)
	scenarios := []struct {
		name string
		args []string
		want int
	}{
		{"an unknown command", []string{"bakup"}, 1},
		{"a backup name that is not one", []string{"backup", "../x.zip"}, 1},
		{"a restore of nothing", []string{"restore", "missing.zip"}, 1},
		{"an unknown subcommand", []string{"hosts", "rename"}, 1},
		{"an unknown flag", []string{"hosts", "list", "--colour"}, 1},
		{"hosts list on a fresh data dir", []string{"hosts", "list"}, 0},
		{"a refused hosts add", []string{"hosts", "add", "not-an-email"}, 1},
		{"healthcheck of a dead address", []string{"healthcheck", "--url", dead}, 1},
		{"version", []string{"--version"}, 0},
	}
	for _, s := range scenarios {
		t.Run(s.name, func(t *testing.T) {
			app := pocketbase.NewWithConfig(pocketbase.Config{HideStartBanner: true, DefaultDataDir: t.TempDir()})
			logger := slog.New(slog.NewTextHandler(io.Discard, nil))
			silenceStderr(t)
			if got := commands.Run(app, config.Default(), logger, s.args); got != s.want {
				t.Fatalf("exit code %d, want %d", got, s.want)
			}
		})
	}
}

// TestRunVersion: --version prints Conflicto's version, not PocketBase's.
func TestRunVersion(t *testing.T) {
	app := pocketbase.NewWithConfig(pocketbase.Config{HideStartBanner: true, DefaultDataDir: t.TempDir()})
	var out strings.Builder
	app.RootCmd.SetOut(&out)
	if got := commands.Run(app, config.Default(), slog.New(slog.NewTextHandler(io.Discard, nil)), []string{"--version"}); got != 0 {
		t.Fatalf("exit code %d", got)
	}
	if !strings.Contains(out.String(), "version "+commands.Version) {
		t.Fatalf("--version printed %q, want version %s", out.String(), commands.Version)
	}
}

// silenceStderr sends os.Stderr (where Run has cobra print errors) to
// nowhere for the test.
func silenceStderr(t *testing.T) {
	t.Helper()
	devnull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	saved := os.Stderr
	os.Stderr = devnull
	t.Cleanup(func() {
		os.Stderr = saved
		devnull.Close()
	})
}
