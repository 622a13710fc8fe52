package server

import (
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
	"github.com/pocketbase/pocketbase/tools/router"
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
