package apitest_test

import (
	"net/http"
	"testing"

	"github.com/pocketbase/pocketbase/tests"

	"conflicto/config"
	"conflicto/server"
)

// A new data folder is branded at start: app name Conflicto and the public
// URL, where PocketBase would say "Acme" and http://localhost:8090. What an
// operator set in the dashboard stays theirs.
func TestNewDataFolderIsBranded(t *testing.T) {
	t.Parallel()
	scenarios := []struct {
		name              string
		publicURL         string
		name0, url0       string // the settings before the start ("" = PocketBase's defaults)
		wantName, wantURL string
	}{
		{name: "a new data folder", publicURL: "https://live.example.com",
			wantName: server.AppName, wantURL: "https://live.example.com"},
		{name: "the default public URL", publicURL: "http://localhost:8090",
			wantName: "Conflicto", wantURL: "http://localhost:8090"},
		{name: "settings an operator changed", publicURL: "https://live.example.com", name0: "Town Hall", url0: "https://hall.example.org",
			wantName: "Town Hall", wantURL: "https://hall.example.org"},
		{name: "only the name changed", publicURL: "https://live.example.com", name0: "Town Hall",
			wantName: "Town Hall", wantURL: "https://live.example.com"},
	}
	for _, s := range scenarios {
		t.Run(s.name, func(t *testing.T) {
			t.Parallel()
			cfg := config.Default()
			cfg.PublicURL = s.publicURL
			app := newTestApp(t, cfg)
			if app.Settings().Meta.AppName != "Acme" || app.Settings().Meta.AppURL != "http://localhost:8090" {
				t.Fatalf("a new test app is not on PocketBase's defaults: %q %q", app.Settings().Meta.AppName, app.Settings().Meta.AppURL)
			}
			if s.name0 != "" || s.url0 != "" {
				settings := app.Settings()
				if s.name0 != "" {
					settings.Meta.AppName = s.name0
				}
				if s.url0 != "" {
					settings.Meta.AppURL = s.url0
				}
				if err := app.Save(settings); err != nil {
					t.Fatal(err)
				}
			}
			// A start: the scenario runs the app's OnServe hooks.
			(&tests.ApiScenario{
				Method:          http.MethodGet,
				URL:             "/api/health",
				ExpectedStatus:  200,
				ExpectedContent: []string{`"code":200`},
				TestAppFactory:  func(testing.TB) *tests.TestApp { return app },
				AfterTestFunc: func(t testing.TB, app *tests.TestApp, _ *http.Response) {
					// Read back from the database, not the cache.
					if err := app.ReloadSettings(); err != nil {
						t.Fatal(err)
					}
					meta := app.Settings().Meta
					if meta.AppName != s.wantName || meta.AppURL != s.wantURL {
						t.Fatalf("settings %q %q, want %q %q", meta.AppName, meta.AppURL, s.wantName, s.wantURL)
					}
				},
			}).Test(t)
		})
	}
}
