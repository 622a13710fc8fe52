package webtest

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestAPIReferencePage: /docs/ renders the API reference with the vendored
// Swagger UI, loads nothing from another origin, and shows the join
// operation, whose details open on a click.
func TestAPIReferencePage(t *testing.T) {
	br := newBrowser(t)
	srv := startServer(t)
	dev := br.open("developer", 1280, 900, false)
	dev.goTo(srv.url + "/docs/")
	dev.see("heading", "Conflicto API dev OAS 3.1")
	// Swagger UI breaks paths at each / for wrapping: "/api /join".
	dev.click("button", "POST /api /join Join a session")
	dev.see("heading", "Responses")

	ctx, cancel := context.WithTimeout(dev.ctx, actionTimeout)
	defer cancel()
	urls, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`performance.getEntriesByType('resource').map(e => e.name)`))
	if err != nil {
		t.Fatal(err)
	}
	if len(urls) < 3 {
		t.Fatalf("the page loaded only %v", urls)
	}
	for _, u := range urls {
		if !strings.HasPrefix(u, srv.url+"/") {
			t.Errorf("the reference loaded %s, from another origin", u)
		}
	}
}
