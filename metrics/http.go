package metrics

import (
	"crypto/sha256"
	"crypto/subtle"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
	"github.com/pocketbase/pocketbase/tools/router"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Path is the scrape endpoint.
const Path = "/api/metrics"

// requestMiddlewareId identifies the request metrics middleware.
const requestMiddlewareId = "conflictoMetrics"

// unmatched is the route label of a request no route pattern matched.
const unmatched = "unmatched"

// registerRequests counts every routed request and times it, by the
// route's pattern ("GET /api/collections/{collection}/records"), never the
// raw path: a label per distinct path would grow without bound.
func registerRequests(app core.App, m *Metrics) {
	app.OnServe().BindFunc(func(e *core.ServeEvent) error {
		e.Router.Bind(&hook.Handler[*core.RequestEvent]{
			Id: requestMiddlewareId,
			// outside the request log and the activity logger: their time counts
			Priority: apis.DefaultActivityLoggerMiddlewarePriority - 2,
			Func: func(re *core.RequestEvent) error {
				start := time.Now()
				err := re.Next()
				route, method := routeOf(re.Request)
				status := strconv.Itoa(statusOf(re, err))
				m.requests.WithLabelValues(route, method, status).Inc()
				m.duration.WithLabelValues(route, method, status).Observe(time.Since(start).Seconds())
				return err
			},
		})
		return e.Next()
	})
}

// routeOf splits the pattern the router matched into its path and method;
// a pattern without a method answers every method, which is then named by
// the request when it is a standard one.
func routeOf(r *http.Request) (route, method string) {
	if r.Pattern == "" {
		return unmatched, standardMethod(r.Method)
	}
	if m, path, ok := strings.Cut(r.Pattern, " "); ok {
		return path, m
	}
	return r.Pattern, standardMethod(r.Method)
}

func standardMethod(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions:
		return m
	}
	return "other"
}

// statusOf is the status the client gets: the one written, or the one
// the router's error handler will write for err.
func statusOf(re *core.RequestEvent, err error) int {
	status := re.Status()
	if status == 0 && err != nil {
		status = router.ToApiError(err).Status
	}
	if status == 0 {
		status = http.StatusOK
	}
	return status
}

// registerRoute adds GET /api/metrics for holders of token. The token is
// compared in constant time (as SHA-256 sums, so its length does not show
// either).
func registerRoute(app core.App, m *Metrics, token string) {
	want := sha256.Sum256([]byte(token))
	handler := promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{})
	app.OnServe().BindFunc(func(e *core.ServeEvent) error {
		e.Router.GET(Path, func(re *core.RequestEvent) error {
			got, ok := bearer(re.Request.Header.Get("Authorization"))
			sum := sha256.Sum256([]byte(got))
			if !ok || subtle.ConstantTimeCompare(sum[:], want[:]) != 1 {
				re.Response.Header().Set("WWW-Authenticate", `Bearer realm="metrics"`)
				return apis.NewUnauthorizedError("The metrics need the bearer token of CONFLICTO_METRICS_TOKEN.", nil)
			}
			re.Response.Header().Set("Cache-Control", "no-store")
			handler.ServeHTTP(re.Response, re.Request)
			return nil
		})
		return e.Next()
	})
}

// bearer reads "Bearer TOKEN" (the scheme in any case, RFC 9110).
func bearer(header string) (string, bool) {
	scheme, token, ok := strings.Cut(strings.TrimSpace(header), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}
