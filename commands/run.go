package commands

import (
	"log/slog"
	"os"

	"github.com/pocketbase/pocketbase"
	"github.com/pocketbase/pocketbase/cmd"
	"github.com/spf13/cobra"

	"conflicto/config"
)

// Run adds Conflicto's commands to app (serve, healthcheck, hosts, backup,
// restore, PocketBase's superuser, and extra: those main builds from higher
// rooms, such as openapi) and executes the command line in args. It returns
// the exit code: 0, or 1 when the command failed (serve unable to listen, a
// failed migration, a refused hosts change, an unknown command or flag).
// Since PocketBase 0.40, Execute returns a command's error after the
// terminate hooks ran.
func Run(app *pocketbase.PocketBase, cfg config.Config, logger *slog.Logger, args []string, extra ...*cobra.Command) int {
	// PocketBase's error writer prints to stdout, where only JSON logs go.
	app.RootCmd.SetErr(os.Stderr)
	app.RootCmd.Version = Version // --version: Conflicto's, not PocketBase's

	app.RootCmd.SetArgs(args)

	healthcheck := NewHealthcheck(cfg)
	app.RootCmd.AddCommand(cmd.NewSuperuserCommand(app), NewServe(app, cfg, logger), healthcheck, NewHosts(app),
		NewBackup(app), NewRestore(app, cfg))
	app.RootCmd.AddCommand(extra...)

	// The health check only probes a running server over HTTP: it runs
	// without app.Execute, which would bootstrap the app (open the data
	// dir, run the system migrations) for nothing.
	if c, _, err := app.RootCmd.Find(args); err == nil && c == healthcheck {
		if app.RootCmd.Execute() != nil {
			return 1
		}
		return 0
	}

	if err := app.Execute(); err != nil {
		logger.Error("conflicto stopped with an error", "error", err)
		return 1
	}
	return 0
}
