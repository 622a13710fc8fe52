package apitest_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/tests"

	"conflicto/config"
)

func TestCORS(t *testing.T) {
	t.Parallel()

	const allowed, evil = "https://allowed.example", "https://evil.example"
	explicit := config.Default()
	explicit.CORSOrigins = []string{allowed}

	scenarios := []struct {
		scenario     tests.ApiScenario
		cfg          config.Config
		allowOrigin  string // "" means the header must be absent
		allowMethods bool   // a preflight answer lists the methods
	}{
		{
			scenario: tests.ApiScenario{
				Name:            "allowed origin is echoed",
				Method:          http.MethodGet,
				URL:             "/api/health",
				Headers:         map[string]string{"Origin": allowed},
				ExpectedStatus:  http.StatusOK,
				ExpectedContent: []string{`"code":200`},
			},
			cfg:         explicit,
			allowOrigin: allowed,
		},
		{
			scenario: tests.ApiScenario{
				Name:            "other origin gets no CORS header",
				Method:          http.MethodGet,
				URL:             "/api/health",
				Headers:         map[string]string{"Origin": evil},
				ExpectedStatus:  http.StatusOK,
				ExpectedContent: []string{`"code":200`},
			},
			cfg: explicit,
		},
		{
			scenario: tests.ApiScenario{
				Name:   "preflight from the allowed origin",
				Method: http.MethodOptions,
				URL:    "/api/collections/users/records",
				Headers: map[string]string{
					"Origin":                        allowed,
					"Access-Control-Request-Method": http.MethodPost,
				},
				ExpectedStatus: http.StatusNoContent,
			},
			cfg:          explicit,
			allowOrigin:  allowed,
			allowMethods: true,
		},
		{
			scenario: tests.ApiScenario{
				Name:   "preflight from another origin is not allowed",
				Method: http.MethodOptions,
				URL:    "/api/collections/users/records",
				Headers: map[string]string{
					"Origin":                        evil,
					"Access-Control-Request-Method": http.MethodPost,
				},
				ExpectedStatus: http.StatusNoContent,
			},
			cfg: explicit,
		},
		{
			scenario: tests.ApiScenario{
				Name:            "development default allows any origin",
				Method:          http.MethodGet,
				URL:             "/api/health",
				Headers:         map[string]string{"Origin": evil},
				ExpectedStatus:  http.StatusOK,
				ExpectedContent: []string{`"code":200`},
			},
			cfg:         config.Default(),
			allowOrigin: "*",
		},
	}

	for _, s := range scenarios {
		sc := s.scenario
		sc.TestAppFactory = func(t testing.TB) *tests.TestApp {
			return newTestApp(t, s.cfg)
		}
		sc.AfterTestFunc = func(t testing.TB, _ *tests.TestApp, res *http.Response) {
			_, present := res.Header[http.CanonicalHeaderKey("Access-Control-Allow-Origin")]
			got := res.Header.Get("Access-Control-Allow-Origin")
			switch {
			case s.allowOrigin == "" && present:
				t.Fatalf("Access-Control-Allow-Origin = %q, want none", got)
			case got != s.allowOrigin:
				t.Fatalf("Access-Control-Allow-Origin = %q, want %q", got, s.allowOrigin)
			}
			methods := res.Header.Get("Access-Control-Allow-Methods")
			if s.allowMethods != strings.Contains(methods, http.MethodPost) {
				t.Fatalf("Access-Control-Allow-Methods = %q, want POST listed: %v", methods, s.allowMethods)
			}
		}
		sc.Test(t)
	}
}
