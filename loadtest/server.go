package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Server is a server process the tool started for -compare.
type Server struct {
	Name string
	URL  string
	PID  int
	Log  string // its stdout and stderr
	cmd  *exec.Cmd
	exit chan error
}

// moduleRoot returns the directory of the main module (where go.mod is).
func moduleRoot(ctx context.Context) (string, error) {
	out, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		return "", fmt.Errorf("run the tool from inside the conflicto module")
	}
	return filepath.Dir(gomod), nil
}

// buildServers builds the Conflicto server and the plain baseline into
// dir and returns the two binaries.
func buildServers(ctx context.Context, dir string) (conflicto, plain string, err error) {
	root, err := moduleRoot(ctx)
	if err != nil {
		return "", "", err
	}
	conflicto, plain = filepath.Join(dir, "conflicto"), filepath.Join(dir, "plainpb")
	for _, b := range []struct{ out, pkg string }{{conflicto, "."}, {plain, "./loadtest/plainpb"}} {
		progress("building %s", b.pkg)
		cmd := exec.CommandContext(ctx, "go", "build", "-o", b.out, b.pkg)
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			return "", "", fmt.Errorf("go build %s: %w\n%s", b.pkg, err, out)
		}
	}
	return conflicto, plain, nil
}

// freePort returns a loopback address nobody listens on right now.
func freePort() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

// StartServer runs bin serve on a free loopback port with its data in
// dir/name-data and the superuser from o, and waits until it answers
// /api/health.
func StartServer(ctx context.Context, name, bin, dir string, o *Options) (*Server, error) {
	addr, err := freePort()
	if err != nil {
		return nil, err
	}
	logPath := filepath.Join(dir, name+".log")
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	defer logFile.Close() // the child holds its own descriptor
	cmd := exec.Command(bin, "serve", "--http", addr, "--dir", filepath.Join(dir, name+"-data"))
	cmd.Env = append(os.Environ(),
		"CONFLICTO_SUPERUSER_EMAIL="+o.SuEmail,
		"CONFLICTO_SUPERUSER_PASSWORD="+o.SuPassword,
		"CONFLICTO_RATE_LIMITS="+strconv.FormatBool(o.Limits), // -limits: on unless asked
	)
	if o.Scenario == "join" || o.Scenario == "vote" {
		// Every join of every round of a -compare comes from this one
		// address: the per-IP join limit (3,000 a minute) stays on, above
		// the load. The event and flood scenarios keep the default.
		cmd.Env = append(cmd.Env, "CONFLICTO_RATE_LIMIT_JOIN=100000/1m")
	}
	if o.MetricsToken != "" {
		cmd.Env = append(cmd.Env, "CONFLICTO_METRICS_TOKEN="+o.MetricsToken)
	}
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	s := &Server{Name: name, URL: "http://" + addr, PID: cmd.Process.Pid, Log: logPath, cmd: cmd, exit: make(chan error, 1)}
	go func() { s.exit <- cmd.Wait() }()

	hc := &http.Client{Timeout: 2 * time.Second}
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) && ctx.Err() == nil {
		select {
		case err := <-s.exit:
			return nil, fmt.Errorf("%s exited at start (%v); see %s", name, err, logPath)
		case <-time.After(100 * time.Millisecond):
		}
		if resp, err := hc.Get(s.URL + "/api/health"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				progress("%s listening on %s (pid %d, log %s)", name, s.URL, s.PID, logPath)
				return s, nil
			}
		}
	}
	s.Stop()
	return nil, fmt.Errorf("%s did not answer /api/health within 60s; see %s", name, logPath)
}

// Stop ends the server: SIGTERM, then SIGKILL after 10 s.
func (s *Server) Stop() {
	if s == nil {
		return
	}
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.exit:
	case <-time.After(10 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.exit
	}
}
