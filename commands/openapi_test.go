package commands_test

import (
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase"

	"conflicto/commands"
	"conflicto/config"
)

// TestOpenAPICommand: `conflicto openapi` prints what its builder makes
// and exits 0; a builder that fails makes it exit 1.
func TestOpenAPICommand(t *testing.T) {
	for _, s := range []struct {
		name  string
		build func() ([]byte, error)
		out   string
		code  int
	}{
		{"a document", func() ([]byte, error) { return []byte(`{"openapi":"3.1.0"}`), nil }, "{\"openapi\":\"3.1.0\"}\n", 0},
		{"a failure", func() ([]byte, error) { return nil, errors.New("no schema") }, "", 1},
	} {
		t.Run(s.name, func(t *testing.T) {
			app := pocketbase.NewWithConfig(pocketbase.Config{HideStartBanner: true, DefaultDataDir: t.TempDir()})
			var out strings.Builder
			app.RootCmd.SetOut(&out)
			silenceStderr(t)
			code := commands.Run(app, config.Default(), slog.New(slog.NewTextHandler(io.Discard, nil)), []string{"openapi"}, commands.NewOpenAPI(s.build))
			if code != s.code || out.String() != s.out {
				t.Fatalf("exit %d, printed %q; want %d, %q", code, out.String(), s.code, s.out)
			}
		})
	}
}
