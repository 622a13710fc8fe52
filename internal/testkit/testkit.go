// Package testkit holds what the test packages (apitest, server, e2e,
// webtest, the walk-through) share and cannot share through _test.go files:
// the server binary built as the Dockerfile builds it, and an app's router
// built as apis.Serve builds it. Only tests import it.
package testkit

import (
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
)

// BuildBinary builds the Go package pkg into a new temporary folder with
// the Dockerfile's command (CGO_ENABLED=0 go build -trimpath -ldflags="-s
// -w"), stamping version into conflicto/commands.Version when it is not
// empty. It returns the binary's path; the caller removes its folder.
func BuildBinary(pkg, version string) (string, error) {
	dir, err := os.MkdirTemp("", "conflicto-bin-")
	if err != nil {
		return "", err
	}
	ldflags := "-s -w"
	if version != "" {
		ldflags += " -X conflicto/commands.Version=" + version
	}
	out := filepath.Join(dir, "conflicto")
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags="+ldflags, "-o", out, pkg)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if msg, err := cmd.CombinedOutput(); err != nil {
		os.RemoveAll(dir)
		return "", fmt.Errorf("go build: %v\n%s", err, msg)
	}
	return out, nil
}

// Mux is app's router with its OnServe hooks bound, as apis.Serve builds
// it, to serve in process (httptest) without a listening app.
func Mux(app core.App) (http.Handler, error) {
	r, err := apis.NewRouter(app)
	if err != nil {
		return nil, err
	}
	var mux http.Handler
	err = app.OnServe().Trigger(&core.ServeEvent{App: app, Router: r}, func(e *core.ServeEvent) error {
		mux, err = e.Router.BuildMux()
		return err
	})
	return mux, err
}
