// Package commands holds Conflicto's own CLI commands and the exit codes
// of the binary (Run).
package commands

import (
	"errors"
	"log/slog"
	"net"
	"net/http"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
	"github.com/spf13/cobra"

	"conflicto/config"
)

// Version is the version of the build, set at link time:
//
//	go build -ldflags "-X conflicto/commands.Version=1.4.0"
//
// The Dockerfile and .ci/run pass one; a plain go build or go run says dev.
var Version = "dev"

// NewServe returns the serve command. Its --http and --origins flags are
// read (and validated) by config.Load before the app is built; they are
// declared here so that cobra accepts them and lists them in --help.
// Once listening it logs one start line (see logStartLine).
func NewServe(app core.App, cfg config.Config, logger *slog.Logger) *cobra.Command {
	c := &cobra.Command{
		Use:          "serve",
		Short:        "Starts the web server (listen address from CONFLICTO_HTTP or --http)",
		Args:         cobra.NoArgs,
		SilenceUsage: true,
		RunE: func(*cobra.Command, []string) error {
			app.OnServe().Bind(logStartLine(cfg, logger))
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

// logStartLine says where the server listens, once it does: the listen
// address, the dashboard, the public join URL and the version. PocketBase's
// banner is hidden (it is not JSON), and without this line an operator
// whose superuser is set by environment saw only "superuser ensured".
// It opens the listener itself, so the line carries the real address (a
// port 0 included) and is written only when the port was free.
func logStartLine(cfg config.Config, logger *slog.Logger) *hook.Handler[*core.ServeEvent] {
	return &hook.Handler[*core.ServeEvent]{
		Id: "conflictoStartLine",
		Func: func(e *core.ServeEvent) error {
			if e.Listener == nil {
				l, err := net.Listen("tcp", e.Server.Addr)
				if err != nil {
					return err
				}
				e.Listener = l
			}
			if err := e.Next(); err != nil {
				_ = e.Listener.Close()
				return err
			}
			addr := e.Listener.Addr().String()
			logger.Info("conflicto started",
				"listen", addr,
				"dashboard", LocalURL(addr)+"/_/",
				"join_url", cfg.PublicURL+"/join/",
				"version", Version,
			)
			return nil
		},
	}
}
