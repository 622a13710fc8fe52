// Command conflicto is the Conflicto live-audience engagement server:
// PocketBase plus Conflicto's collections, rules, hooks and routes.
package main

import (
	"embed"
	"fmt"
	"io/fs"
	"os"
	"sync/atomic"

	"github.com/pocketbase/pocketbase"
	"github.com/pocketbase/pocketbase/cmd"
	"github.com/pocketbase/pocketbase/plugins/migratecmd"
	"github.com/pocketbase/pocketbase/tools/osutils"
	"github.com/spf13/cobra"

	"conflicto/commands"
	"conflicto/config"
	"conflicto/hooks"
	"conflicto/logging"
	_ "conflicto/migrations"
)

//go:embed all:pb_public
var publicFiles embed.FS

func main() {
	loaded, err := config.Load(os.LookupEnv, os.Environ(), os.Args[1:])
	logger := logging.New(os.Stdout, loaded.Config.LogLevel, loaded.Config.LogFormat)
	for _, w := range loaded.Warnings {
		logger.Warn(w)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	cfg := loaded.Config

	encryptionEnv := ""
	if cfg.EncryptionKey != "" {
		encryptionEnv = config.VarEncryptionKey
	}
	app := pocketbase.NewWithConfig(pocketbase.Config{
		HideStartBanner:      true,
		DefaultDataDir:       cfg.DataDir,
		DefaultEncryptionEnv: encryptionEnv,
	})

	migratecmd.MustRegister(app, app.RootCmd, migratecmd.Config{
		TemplateLang: migratecmd.TemplateLangGo,
		Automigrate:  osutils.IsProbablyGoRun(),
		Dir:          "migrations",
	})

	public, err := fs.Sub(publicFiles, "pb_public")
	if err != nil {
		logger.Error("embedded pb_public is missing", "error", err)
		os.Exit(1)
	}
	hooks.Register(app, cfg, logger, public)

	// PocketBase's error writer prints to stdout, where only JSON logs go.
	app.RootCmd.SetErr(os.Stderr)

	healthcheck := commands.NewHealthcheck(cfg)
	app.RootCmd.AddCommand(
		cmd.NewSuperuserCommand(app),
		commands.NewServe(app, cfg),
		healthcheck,
	)

	// The health check only probes a running server over HTTP: it runs
	// without app.Execute, which would bootstrap the app (open the data
	// dir, run the system migrations) for nothing.
	if c, _, err := app.RootCmd.Find(os.Args[1:]); err == nil && c == healthcheck {
		if app.RootCmd.Execute() != nil {
			os.Exit(1)
		}
		return
	}

	// app.Execute prints a command's error but does not return it; keep it
	// so that a failed command (serve unable to listen, a failed
	// migration) exits non-zero.
	var failed atomic.Bool
	keepFailure(app.RootCmd, &failed)
	if err := app.Execute(); err != nil {
		logger.Error("conflicto stopped with an error", "error", err)
		os.Exit(1)
	}
	if failed.Load() {
		os.Exit(1)
	}
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
