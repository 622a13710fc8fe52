// Package commands holds Conflicto's own CLI commands.
package commands

import (
	"errors"
	"net/http"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/spf13/cobra"

	"conflicto/config"
)

// NewServe returns the serve command. Its --http and --origins flags are
// read (and validated) by config.Load before the app is built; they are
// declared here so that cobra accepts them and lists them in --help.
func NewServe(app core.App, cfg config.Config) *cobra.Command {
	c := &cobra.Command{
		Use:          "serve",
		Short:        "Starts the web server (listen address from CONFLICTO_HTTP or --http)",
		Args:         cobra.NoArgs,
		SilenceUsage: true,
		RunE: func(*cobra.Command, []string) error {
			err := apis.Serve(app, apis.ServeConfig{
				HttpAddr:       cfg.HTTP,
				AllowedOrigins: cfg.CORSOrigins,
			})
			if errors.Is(err, http.ErrServerClosed) {
				return nil
			}
			return err
		},
	}
	c.Flags().String("http", cfg.HTTP, "TCP address to listen on (overrides "+config.VarHTTP+")")
	c.Flags().StringSlice("origins", cfg.CORSOrigins, "CORS allowed origins (overrides "+config.VarCORSOrigins+")")
	return c
}
