// Command conflicto is the Conflicto live-audience engagement server:
// PocketBase plus Conflicto's collections, rules, hooks and routes.
package main

import (
	"embed"
	"fmt"
	"io/fs"
	"os"

	"github.com/pocketbase/pocketbase"
	"github.com/pocketbase/pocketbase/plugins/migratecmd"
	"github.com/pocketbase/pocketbase/tools/osutils"

	"conflicto/commands"
	"conflicto/config"
	"conflicto/logging"
	_ "conflicto/migrations"
	"conflicto/openapi"
	"conflicto/server"
	"conflicto/wire"
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
		DBConnect:            server.DBConnect,
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
	wire.App(app, cfg, logger, public)
	printAPI := commands.NewOpenAPI(func() ([]byte, error) { return openapi.Print(app, cfg, commands.Version) })
	os.Exit(commands.Run(app, cfg, logger, os.Args[1:], printAPI))
}
