package commands

import (
	"log/slog"
	"os"
	"sync/atomic"

	"github.com/pocketbase/pocketbase"
	"github.com/pocketbase/pocketbase/cmd"
	"github.com/spf13/cobra"

	"conflicto/config"
)

// Run adds Conflicto's commands to app (serve, healthcheck, PocketBase's
// superuser) and executes the command line in args. It returns the exit
// code: PocketBase's Execute prints a command's error but does not return
// it, so failures (serve unable to listen, a failed migration) are caught
// here to exit non-zero.
func Run(app *pocketbase.PocketBase, cfg config.Config, logger *slog.Logger, args []string) int {
	// PocketBase's error writer prints to stdout, where only JSON logs go.
	app.RootCmd.SetErr(os.Stderr)

	healthcheck := NewHealthcheck(cfg)
	app.RootCmd.AddCommand(cmd.NewSuperuserCommand(app), NewServe(app, cfg), healthcheck)

	// The health check only probes a running server over HTTP: it runs
	// without app.Execute, which would bootstrap the app (open the data
	// dir, run the system migrations) for nothing.
	if c, _, err := app.RootCmd.Find(args); err == nil && c == healthcheck {
		if app.RootCmd.Execute() != nil {
			return 1
		}
		return 0
	}

	var failed atomic.Bool
	keepFailure(app.RootCmd, &failed)
	if err := app.Execute(); err != nil {
		logger.Error("conflicto stopped with an error", "error", err)
		return 1
	}
	if failed.Load() {
		return 1
	}
	return 0
}

// keepFailure wraps the RunE of c and all its subcommands to set failed
// when one returns an error.
func keepFailure(c *cobra.Command, failed *atomic.Bool) {
	if run := c.RunE; run != nil {
		c.RunE = func(c *cobra.Command, args []string) error {
			err := run(c, args)
			if err != nil {
				failed.Store(true)
			}
			return err
		}
	}
	for _, sub := range c.Commands() {
		keepFailure(sub, failed)
	}
}
