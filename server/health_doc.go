package server

import (
	"net/http"

	"conflicto/apidoc"
)

// ReadyDoc is the API reference of GET /api/ready (health.go).
var ReadyDoc = apidoc.Op{
	Summary: "Readiness probe",
	Tag:     "Server",
	Auth:    apidoc.Anyone,
	Description: "200 when the database answers a read within 2 s and every migration is applied; 503 naming the failing check otherwise. " +
		"`Cache-Control: no-store`. GET /api/health is the liveness probe. Successful probes are not logged.",
	Responses: []apidoc.Response{
		{Status: http.StatusOK, Description: "Ready.", Schema: readinessSchema},
		{Status: http.StatusServiceUnavailable, Description: "Not ready: status \"unavailable\" and the failing check (\"error: ...\", \"pending: N\", \"unknown: database unavailable\").", Schema: readinessSchema},
	},
}

var readinessSchema = func() apidoc.Schema {
	s := apidoc.Of(readiness{})
	s["properties"].(apidoc.Props)["status"] = apidoc.Enum(statusReady, statusUnavailable)
	return s
}()
