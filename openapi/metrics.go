package openapi

import (
	"net/http"

	"conflicto/apidoc"
	"conflicto/config"
)

// metricsDoc is the API reference of GET /api/metrics (metrics/http.go),
// in the document only when CONFLICTO_METRICS_TOKEN is set: without it the
// server has no such route (404).
var metricsDoc = apidoc.Op{
	Summary: "Scrape the Prometheus metrics",
	Tag:     "Server",
	Auth:    "The holder of `" + config.VarMetricsToken + "` (`Authorization: Bearer TOKEN`, the scheme in any case; a superuser's token is not it).",
	Description: "Only when `" + config.VarMetricsToken + "` is set: otherwise the route does not exist (404) and this operation is absent from the reference. " +
		"The Prometheus text exposition format; `Cache-Control: no-store`. The token is compared in constant time. The metrics are listed in the README (Metrics); " +
		"labels carry route patterns (`/api/live/{code}`), never raw paths, ids or codes. Successful scrapes are not logged.",
	Responses: []apidoc.Response{{Status: http.StatusOK, Type: "text/plain", Description: "The metrics (`text/plain; version=0.0.4`).", Schema: apidoc.String()}},
	Errors: []apidoc.Error{
		{Status: http.StatusUnauthorized, When: "No `Authorization` header, another scheme or another token (`WWW-Authenticate: Bearer realm=\"metrics\"`)."},
	},
}
