package openapi_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/santhosh-tekuri/jsonschema/v6"

	c "conflicto/collections"
	"conflicto/config"
	"conflicto/internal/testkit"
	"conflicto/metrics"
	_ "conflicto/migrations"
	"conflicto/openapi"
	"conflicto/routes"
)

// newApp is a bootstrapped app on an empty data folder; Print migrates it.
func newApp(t *testing.T) core.App {
	t.Helper()
	app := core.NewBaseApp(core.BaseAppConfig{DataDir: t.TempDir()})
	if err := app.Bootstrap(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = app.ClearBootstrap() })
	return app
}

func printDoc(t *testing.T, app core.App, cfg config.Config) []byte {
	t.Helper()
	doc, err := openapi.Print(app, cfg, "1.2.3")
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// TestDocumentIsValidOpenAPI31 validates the document against the OpenAPI
// Initiative's 3.1 schema, and every schema in it, examples included,
// against JSON Schema 2020-12 (OpenAPI 3.1's dialect).
func TestDocumentIsValidOpenAPI31(t *testing.T) {
	doc := printDoc(t, newApp(t), config.Default())
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	meta, err := os.ReadFile("testdata/oas-3.1-schema.json")
	if err != nil {
		t.Fatal(err)
	}
	metaDoc, err := jsonschema.UnmarshalJSON(bytes.NewReader(meta))
	if err != nil {
		t.Fatal(err)
	}
	comp := jsonschema.NewCompiler()
	if err := comp.AddResource("https://spec.openapis.org/oas/3.1/schema/2021-04-15", metaDoc); err != nil {
		t.Fatal(err)
	}
	oas, err := comp.Compile("https://spec.openapis.org/oas/3.1/schema/2021-04-15")
	if err != nil {
		t.Fatal(err)
	}
	if err := oas.Validate(inst); err != nil {
		t.Fatalf("not an OpenAPI 3.1 document: %v", err)
	}

	// Every schema compiles as JSON Schema 2020-12, and examples match.
	if err := comp.AddResource("mem://doc.json", inst); err != nil {
		t.Fatal(err)
	}
	var d struct {
		Paths      map[string]map[string]json.RawMessage
		Components struct{ Schemas map[string]json.RawMessage }
	}
	if err := json.Unmarshal(doc, &d); err != nil {
		t.Fatal(err)
	}
	for name := range d.Components.Schemas {
		if _, err := comp.Compile("mem://doc.json#/components/schemas/" + name); err != nil {
			t.Errorf("schema %s: %v", name, err)
		}
	}
	if len(d.Components.Schemas) < 20 {
		t.Errorf("only %d schemas", len(d.Components.Schemas))
	}
	examples := 0
	for path, ops := range d.Paths {
		for method, raw := range ops {
			var op struct {
				RequestBody struct {
					Content map[string]struct {
						Example any
					}
				}
			}
			if err := json.Unmarshal(raw, &op); err != nil {
				t.Fatal(err)
			}
			ex := op.RequestBody.Content["application/json"].Example
			if ex == nil {
				continue
			}
			examples++
			ptr := "mem://doc.json#/paths/" + strings.NewReplacer("~", "~0", "/", "~1").Replace(path) + "/" + method + "/requestBody/content/application~1json/schema"
			s, err := comp.Compile(ptr)
			if err != nil {
				t.Fatalf("%s %s: %v", method, path, err)
			}
			if err := s.Validate(ex); err != nil {
				t.Errorf("%s %s: the example does not match the body's schema: %v", method, path, err)
			}
		}
	}
	if examples < 4 {
		t.Errorf("only %d request examples checked", examples)
	}
}

// TestEveryRouteIsDocumented fails on a route of the table without its
// doc: a summary, a tag, who may call it and its answers.
func TestEveryRouteIsDocumented(t *testing.T) {
	docs := routes.Docs()
	if len(docs) < 10 {
		t.Fatalf("only %d routes", len(docs))
	}
	for _, r := range docs {
		if r.Op.Summary == "" || r.Op.Tag == "" || r.Op.Auth == "" || len(r.Op.Responses) == 0 {
			t.Errorf("%s %s has no complete doc (summary, tag, auth, responses): %+v", r.Method, r.Path, r.Op)
		}
	}
}

// TestCollectionsComeFromTheSchema: a field added to a collection appears
// in the document with its type, and every API rule that is neither
// public nor superusers-only is put in words.
func TestCollectionsComeFromTheSchema(t *testing.T) {
	app := newApp(t)
	printDoc(t, app, config.Default())
	col, err := app.FindCollectionByNameOrId(c.Sessions)
	if err != nil {
		t.Fatal(err)
	}
	col.Fields.Add(&core.SelectField{Name: "mood", Values: []string{"calm", "loud"}, MaxSelect: 1})
	if err := app.Save(col); err != nil {
		t.Fatal(err)
	}
	var d struct {
		Components struct {
			Schemas map[string]struct {
				Properties map[string]struct {
					Type any
					Enum []any
				}
				Required []string
			}
		}
	}
	if err := json.Unmarshal(printDoc(t, app, config.Default()), &d); err != nil {
		t.Fatal(err)
	}
	mood := d.Components.Schemas[c.Sessions].Properties["mood"]
	if mood.Type != "string" || len(mood.Enum) != 3 {
		t.Errorf("sessions.mood = %+v, want a string of calm, loud or \"\"", mood)
	}
	if _, ok := d.Components.Schemas[c.Sessions+"Create"].Properties["mood"]; !ok {
		t.Error("sessionsCreate has no mood")
	}
	if req := d.Components.Schemas[c.Sessions+"Create"].Required; strings.Join(req, ",") != c.SessionTitle {
		t.Errorf("sessionsCreate requires %v, want the title only (the server fills in owner and status)", req)
	}

	cols, err := app.FindAllCollections()
	if err != nil {
		t.Fatal(err)
	}
	for _, col := range cols {
		if col.System {
			continue
		}
		rules := map[string]*string{c.OpList: col.ListRule, c.OpView: col.ViewRule, c.OpCreate: col.CreateRule, c.OpUpdate: col.UpdateRule, c.OpDelete: col.DeleteRule}
		for op, rule := range rules {
			if rule != nil && *rule != "" && c.RuleWords[col.Name][op] == "" {
				t.Errorf("%s %s rule %q has no words in collections.RuleWords", col.Name, op, *rule)
			}
		}
	}
}

// TestPrintSetsTheSignupRule: the printed document is serve's, whose start
// sets the hosts' create rule from CONFLICTO_ALLOW_SIGNUP.
func TestPrintSetsTheSignupRule(t *testing.T) {
	for _, allow := range []bool{true, false} {
		cfg := config.Default()
		cfg.AllowSignup = allow
		doc := string(printDoc(t, newApp(t), cfg))
		open := strings.Contains(doc, `"description": "A new record.\n\n**Who:** anyone; no token needed."`)
		if open != allow {
			t.Errorf("allow sign-up %v: users create open in the document = %v", allow, open)
		}
	}
}

// TestRegisterServesTheDocument serves the document built at start.
func TestRegisterServesTheDocument(t *testing.T) {
	app := newApp(t)
	want := printDoc(t, app, config.Default())
	openapi.Register(app, "1.2.3", false)
	mux, err := testkit.Mux(app)
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, openapi.DocPath, nil))
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "application/json" {
		t.Fatalf("GET %s: %d %s", openapi.DocPath, rec.Code, rec.Header().Get("Content-Type"))
	}
	if !bytes.Equal(rec.Body.Bytes(), want) {
		t.Error("the served document differs from the printed one")
	}
}

// TestPrintDocumentsMetricsWithTheToken: GET /api/metrics is in the
// document exactly when CONFLICTO_METRICS_TOKEN is set, as the route is.
func TestPrintDocumentsMetricsWithTheToken(t *testing.T) {
	for _, token := range []string{"", "0123456789abcdef0123"} {
		cfg := config.Default()
		cfg.MetricsToken = token
		var d struct {
			Paths map[string]map[string]json.RawMessage
		}
		if err := json.Unmarshal(printDoc(t, newApp(t), cfg), &d); err != nil {
			t.Fatal(err)
		}
		_, ok := d.Paths[metrics.Path]["get"]
		if ok != (token != "") {
			t.Errorf("token set %v: GET %s documented = %v", token != "", metrics.Path, ok)
		}
	}
}
