package routes

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	qrcode "github.com/skip2/go-qrcode"

	"conflicto/live"
)

// qr serves GET /api/live/{code}/qr.svg: the session's join URL as a
// QR code, on CONFLICTO_PUBLIC_URL or, when that is unset, on the origin
// the request came in on. The URL of a code never changes, so clients may
// cache it.
func (a *api) qr(e *core.RequestEvent) error {
	_, code, apiErr := a.findLiveSession(e)
	if apiErr != nil {
		return apiErr
	}
	base, cache := a.cfg.PublicURL, "public, max-age=3600"
	if base == "" {
		// The address depends on the request: no shared cache may keep it.
		base, cache = requestOrigin(e.Request), "private, max-age=3600"
	}
	svg, err := qrSVG(live.JoinURL(base, code))
	if err != nil {
		return apis.NewInternalServerError("", err)
	}
	e.Response.Header().Set("Cache-Control", cache)
	return e.Blob(http.StatusOK, "image/svg+xml", svg)
}

// requestOrigin is the origin the request came in on: its Host, with https
// when it arrived over TLS or through a proxy that says so in
// X-Forwarded-Proto. Behind a proxy that rewrites Host, set
// CONFLICTO_PUBLIC_URL instead.
func requestOrigin(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil || strings.EqualFold(strings.TrimSpace(strings.Split(r.Header.Get("X-Forwarded-Proto"), ",")[0]), "https") {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// qrSVG renders content as an SVG QR code: one path of unit squares, a run
// of dark modules per horizontal segment, on a white background with the
// quiet zone of the library's bitmap. It scales to any size without blur.
func qrSVG(content string) ([]byte, error) {
	q, err := qrcode.New(content, qrcode.Medium)
	if err != nil {
		return nil, fmt.Errorf("qr code of %q: %w", content, err)
	}
	bitmap := q.Bitmap()
	n := strconv.Itoa(len(bitmap))
	var path strings.Builder
	for y, row := range bitmap {
		for x := 0; x < len(row); {
			if !row[x] {
				x++
				continue
			}
			start := x
			for x < len(row) && row[x] {
				x++
			}
			fmt.Fprintf(&path, "M%d %dh%dv1h-%dz", start, y, x-start, x-start)
		}
	}
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ` + n + ` ` + n + `" shape-rendering="crispEdges">`)
	b.WriteString(`<rect width="` + n + `" height="` + n + `" fill="#fff"/>`)
	b.WriteString(`<path fill="#000" d="` + path.String() + `"/>`)
	b.WriteString(`</svg>`)
	return []byte(b.String()), nil
}
