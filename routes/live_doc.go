package routes

import (
	"net/http"

	"conflicto/apidoc"
	"conflicto/live"
)

// The API reference of the live state and its QR code (live.go, qr.go).

// liveErrors are the refusals of a live code.
var liveErrors = []apidoc.Error{
	{Status: http.StatusNotFound, When: "An unknown or malformed code, or a session completed more than CONFLICTO_LIVE_RETENTION ago."},
	{Status: http.StatusTooManyRequests, When: "Too many unknown codes from this address (`Retry-After`)."},
}

var liveDoc = apidoc.Op{
	Summary: "Read a session's live state",
	Tag:     "Live",
	Auth:    apidoc.Anyone,
	Description: "The public live document of the session with this code (case-insensitive), as the realtime topic `live/{code}` sends it. " +
		"With the token of a participant of this session it gains `me`. `Cache-Control: no-store`.",
	Responses: []apidoc.Response{{
		Status: http.StatusOK, Description: "The live document.",
		Schema: live.WithMeSchema(),
	}},
	Errors: liveErrors,
}

var qrDoc = apidoc.Op{
	Summary: "Read the session's join QR code",
	Tag:     "Live",
	Auth:    apidoc.Anyone,
	Description: "An SVG QR code (error correction M) of the join URL, `CONFLICTO_PUBLIC_URL + \"/join/\" + CODE`, or on the request's origin when " +
		"CONFLICTO_PUBLIC_URL is not set (then `Cache-Control: private`).",
	Responses: []apidoc.Response{{Status: http.StatusOK, Type: "image/svg+xml", Description: "The QR code.", Schema: apidoc.String()}},
	Errors:    liveErrors,
}
