package commands

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"conflicto/config"
)

// HealthcheckTimeout bounds the whole health check: a server that has not
// answered by then is not healthy.
const HealthcheckTimeout = 5 * time.Second

// readyPath is the readiness endpoint the health check calls (server.ReadyPath).
const readyPath = "/api/ready"

// NewHealthcheck returns the healthcheck command: it GETs /api/ready on the
// server at cfg.HTTP (or --url) and fails unless the answer is 200. Its
// error (printed by cobra on one line) becomes exit status 1 in main; it is
// the container's health check, the image has no curl.
func NewHealthcheck(cfg config.Config) *cobra.Command {
	var baseURL string
	c := &cobra.Command{
		Use:          "healthcheck",
		Short:        "Exits 0 when the server is ready (GET /api/ready answers 200), 1 otherwise",
		Args:         cobra.NoArgs,
		SilenceUsage: true, // cobra prints the error, one line, on stderr
		RunE: func(c *cobra.Command, _ []string) error {
			ctx := c.Context()
			if ctx == nil {
				ctx = context.Background()
			}
			ctx, cancel := context.WithTimeout(ctx, HealthcheckTimeout)
			defer cancel()

			if err := Check(ctx, baseURL); err != nil {
				return fmt.Errorf("not ready: %w", err)
			}
			return nil
		},
	}
	c.Flags().StringVar(&baseURL, "url", LocalURL(cfg.HTTP),
		"base URL of the server to check (derived from "+config.VarHTTP+" when not set)")
	return c
}

// LocalURL turns a listen address into the URL that reaches it from the
// same machine: a wildcard or empty host becomes 127.0.0.1.
func LocalURL(listen string) string {
	host, port, err := net.SplitHostPort(listen)
	if err != nil {
		return "http://" + listen
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// Check GETs /api/ready under baseURL and returns nil only on a 200. The
// error says why otherwise: unreachable, timed out, or the status and the
// start of the body (which names the failing check).
func Check(ctx context.Context, baseURL string) error {
	u, err := url.Parse(strings.TrimRight(baseURL, "/") + readyPath)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%q is not an http(s) URL", baseURL)
	}

	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return fmt.Errorf("build request: %w", err)
	}
	client := &http.Client{Timeout: HealthcheckTimeout}
	res, err := client.Do(req)
	if err != nil {
		return err // *url.Error: names the method, the URL and the cause
	}
	defer res.Body.Close()

	if res.StatusCode == http.StatusOK {
		return nil
	}
	body, _ := io.ReadAll(io.LimitReader(res.Body, 300))
	body = bytes.Join(bytes.Fields(body), []byte(" ")) // keep the reason on one line
	return fmt.Errorf("GET %s: %s: %s", u, res.Status, body)
}
