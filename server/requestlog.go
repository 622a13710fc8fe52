package server

import (
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
	"github.com/pocketbase/pocketbase/tools/router"

	c "conflicto/collections"
)

// requestLogMiddlewareId identifies the stdout request logger.
const requestLogMiddlewareId = "conflictoRequestLog"

// registerRequestLog writes one line per completed request to logger, as
// soon as the handler returns. PocketBase's own activity logger keeps
// feeding the dashboard; it batches its writes, which is why it cannot be
// the operational log.
func registerRequestLog(app core.App, logger *slog.Logger) {
	app.OnServe().BindFunc(func(e *core.ServeEvent) error {
		e.Router.Bind(&hook.Handler[*core.RequestEvent]{
			Id:       requestLogMiddlewareId,
			Priority: apis.DefaultActivityLoggerMiddlewarePriority - 1, // outside the activity logger
			Func: func(re *core.RequestEvent) error {
				return logRequest(re, logger)
			},
		})
		return e.Next()
	})
}

// registerAudienceLogSkip keeps the audience's successful requests out of
// PocketBase's activity log (the dashboard's Logs, a table in
// auxiliary.db): 2,000 phones answering, beating their heart and reading
// the live state add a row each, which in a one-hour soak grew that file
// to 200 MB and the process's page caches with it, and costs a database
// write per request. Their refusals and faults are still logged there, and
// every request, successful or not, still has its line in the stdout
// request log. Hosts' and superusers' requests, sign-ins included, are
// logged as PocketBase logs them.
func registerAudienceLogSkip(app core.App) {
	app.OnServe().BindFunc(func(e *core.ServeEvent) error {
		e.Router.Bind(&hook.Handler[*core.RequestEvent]{
			Id: "conflictoAudienceLogSkip",
			// Once the token is read and judged (tokens.go).
			Priority: apis.DefaultLoadAuthTokenMiddlewarePriority + 2,
			Func: func(re *core.RequestEvent) error {
				if isAudience(re) {
					re.Set(skipActivityLogKey, true) // read only when no error comes back
				}
				return re.Next()
			},
		})
		return e.Next()
	})
}

// isAudience reports whether a request is the audience's: a participant's,
// or a guest's on the pages and the public routes a phone or a screen uses.
func isAudience(e *core.RequestEvent) bool {
	if e.Auth != nil {
		return e.Auth.Collection().Name == c.Participants
	}
	path := e.Request.URL.Path
	switch {
	case !strings.HasPrefix(path, "/api/"), // the pages and their files
		strings.HasPrefix(path, "/api/live/"),
		path == "/api/join", path == "/api/join/check", path == "/api/health":
		return true
	}
	return false
}

// isProbe reports whether a request is routine traffic whose successes
// are not worth a log line: health probes, metrics scrapes and realtime
// subscriptions.
func isProbe(r *http.Request) bool {
	switch {
	case r.Method == http.MethodGet && (r.URL.Path == "/api/health" || r.URL.Path == "/api/ready" || r.URL.Path == "/api/metrics"):
		return true
	case r.Method == http.MethodPost && r.URL.Path == "/api/realtime":
		return true
	}
	return false
}

func logRequest(e *core.RequestEvent, logger *slog.Logger) error {
	start := time.Now()
	var err error
	if isProbe(e.Request) {
		err = apis.SkipSuccessActivityLog().Func(e)
	} else {
		err = e.Next()
	}

	status := e.Status()
	var apiErr *router.ApiError
	if err != nil {
		errors.As(err, &apiErr)
		if status == 0 {
			// not written yet: the router's error handler sends this one
			// (a plain error becomes a 400, sql.ErrNoRows a 404)
			status = router.ToApiError(err).Status
		}
	}
	if status == 0 {
		status = http.StatusOK
	}
	if status < 400 && isProbe(e.Request) || e.Get(quietRequestKey) != nil {
		return err
	}

	attrs := []slog.Attr{
		slog.String("method", e.Request.Method),
		slog.String("path", e.Request.URL.RequestURI()),
		slog.Int("status", status),
		slog.Float64("duration_ms", float64(time.Since(start).Microseconds())/1000),
		slog.String("remote_ip", e.RealIP()),
	}
	if e.Auth != nil {
		attrs = append(attrs, slog.String("auth", e.Auth.Collection().Name))
	}
	level := slog.LevelInfo
	// A fault is a 5xx, or an error no handler turned into a client-facing
	// ApiError (PocketBase answers it with a bare 400).
	if status >= 500 || (err != nil && (apiErr == nil || apiErr.Status >= 500)) {
		level = slog.LevelError
		if err != nil {
			attrs = append(attrs, slog.String("error", faultText(err, apiErr)))
		}
	}
	logger.LogAttrs(e.Request.Context(), level, "request", attrs...)
	return err
}

// faultText is the error worth logging: an ApiError's message is the
// generic client-facing one, its cause is what an operator needs.
func faultText(err error, apiErr *router.ApiError) string {
	if apiErr != nil {
		if cause, ok := apiErr.RawData().(error); ok && cause != nil {
			return err.Error() + ": " + cause.Error()
		}
	}
	return err.Error()
}
