package apitest_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/santhosh-tekuri/jsonschema/v6"

	c "conflicto/collections"
	"conflicto/config"
	"conflicto/metrics"
	"conflicto/openapi"
)

// The API reference (GET /api/docs/openapi.json) against the server it
// describes: the router's /api/ routes and the documented paths are the
// same set, and real answers match the documented schemas.

// refDoc is the served document, decoded.
type refDoc struct {
	raw   any
	paths map[string]map[string]any
}

func loadRefDoc(t *testing.T, base string) *refDoc {
	t.Helper()
	res := getJSON(t, base+openapi.DocPath, "")
	if res.status != http.StatusOK {
		t.Fatalf("GET %s: %d %s", openapi.DocPath, res.status, res.body)
	}
	d := &refDoc{}
	if err := json.Unmarshal(res.body, &d.raw); err != nil {
		t.Fatal(err)
	}
	var shape struct {
		Paths map[string]map[string]any `json:"paths"`
	}
	if err := json.Unmarshal(res.body, &shape); err != nil {
		t.Fatal(err)
	}
	d.paths = shape.Paths
	return d
}

// routePatterns walks a PocketBase router and returns its routes as
// "METHOD /path" (PocketBase has no exported walk; HasRoute only answers
// for a pattern one already knows).
func routePatterns(r any) []string {
	var out []string
	var walk func(v reflect.Value, prefix string)
	walk = func(v reflect.Value, prefix string) {
		g := v.Elem()
		prefix += g.FieldByName("Prefix").String()
		children := g.FieldByName("children")
		for i := range children.Len() {
			child := children.Index(i).Elem()
			if child.Elem().FieldByName("children").IsValid() {
				walk(child, prefix)
				continue
			}
			route := child.Elem()
			out = append(out, route.FieldByName("Method").String()+" "+prefix+route.FieldByName("Path").String())
		}
	}
	group := reflect.ValueOf(r).Elem().FieldByName("RouterGroup")
	if group.Kind() != reflect.Pointer {
		group = group.Addr()
	}
	walk(group, "")
	return out
}

// serverRoutes are the /api/ routes of app's router as apis.Serve builds it.
func serverRoutes(t *testing.T, app core.App, withOnServe bool) []string {
	t.Helper()
	r, err := apis.NewRouter(app)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	collect := func(e *core.ServeEvent) error {
		for _, p := range routePatterns(e.Router) {
			if _, path, _ := strings.Cut(p, " "); strings.HasPrefix(path, "/api/") {
				out = append(out, p)
			}
		}
		return nil
	}
	if withOnServe {
		err = app.OnServe().Trigger(&core.ServeEvent{App: app, Router: r}, collect)
	} else {
		err = collect(&core.ServeEvent{App: app, Router: r})
	}
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestOpenAPIMatchesTheRouter fails on any /api/ route the server adds to
// PocketBase's (Conflicto's routes), and any record route of a
// non-system collection, that the document lacks, and on any documented
// operation the router does not have. GET /api/metrics exists only with
// CONFLICTO_METRICS_TOKEN, and the document is built at start from the
// same configuration, so both servers are walked: with the token the
// route and its operation are there, without it neither is (a document
// that always listed it would describe a route a default server lacks).
func TestOpenAPIMatchesTheRouter(t *testing.T) {
	for _, token := range []string{"", "0123456789abcdef0123"} {
		t.Run("metrics token "+strconv.FormatBool(token != ""), func(t *testing.T) {
			cfg := config.Default()
			cfg.MetricsToken = token
			doc := matchRouter(t, cfg)
			if _, ok := doc.paths[metrics.Path]["get"]; ok != (token != "") {
				t.Errorf("token set %v: GET %s documented = %v", token != "", metrics.Path, ok)
			}
		})
	}
}

func matchRouter(t *testing.T, cfg config.Config) *refDoc {
	w := newWorld(t, cfg)
	srv := startServer(t, w.app)
	doc := loadRefDoc(t, srv.URL)
	documented := map[string]bool{}
	for path, ops := range doc.paths {
		for method := range ops {
			documented[strings.ToUpper(method)+" "+path] = true
		}
	}

	plain := newTestApp(t, config.Default()) // PocketBase's routes come from NewRouter, before any OnServe hook
	pocketbase := map[string]bool{}
	for _, p := range serverRoutes(t, plain, false) {
		pocketbase[p] = true
	}
	cols, err := w.app.FindAllCollections()
	if err != nil {
		t.Fatal(err)
	}
	var ours []string
	for _, col := range cols {
		if col.System {
			continue
		}
		for _, p := range []string{"GET /records", "POST /records", "GET /records/{id}", "PATCH /records/{id}", "DELETE /records/{id}"} {
			method, rest, _ := strings.Cut(p, " ")
			ours = append(ours, method+" /api/collections/"+col.Name+rest)
		}
	}
	all := serverRoutes(t, w.app, true)
	for _, p := range all {
		if !pocketbase[p] {
			ours = append(ours, p)
		}
	}
	if len(ours) < 30 {
		t.Fatalf("found only %d routes of ours: the walk is broken (%v)", len(ours), ours)
	}
	for _, p := range ours {
		if !documented[p] {
			t.Errorf("%s is served but not in the API reference: add its doc beside its handler (routes.Docs)", p)
		}
	}

	served := map[string]bool{}
	for _, p := range all {
		served[p] = true
	}
	for p := range documented {
		method, path, _ := strings.Cut(p, " ")
		generic := path
		if rest, ok := strings.CutPrefix(path, "/api/collections/"); ok {
			name, tail, _ := strings.Cut(rest, "/")
			if _, err := w.app.FindCollectionByNameOrId(name); err != nil {
				t.Errorf("%s documents an unknown collection %q", p, name)
			}
			generic = "/api/collections/{collection}/" + tail
		}
		if !served[method+" "+generic] {
			t.Errorf("%s is documented but the router has no %s %s", p, method, generic)
		}
	}
	return doc
}

// refValidator validates answers against the documented schemas.
type refValidator struct {
	t        *testing.T
	doc      *refDoc
	compiler *jsonschema.Compiler
	// seen records, by "METHOD template", whether a 2xx and an error were
	// checked.
	ok, failed map[string]bool
}

func newRefValidator(t *testing.T, doc *refDoc) *refValidator {
	comp := jsonschema.NewCompiler()
	if err := comp.AddResource("mem://openapi.json", doc.raw); err != nil {
		t.Fatal(err)
	}
	return &refValidator{t: t, doc: doc, compiler: comp, ok: map[string]bool{}, failed: map[string]bool{}}
}

func pointerPart(s string) string {
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(s)
}

// check sends one request and validates its answer against the schema
// documented for its operation, status and content type.
func (v *refValidator) check(method, template, url, auth, body string, want int) []byte {
	t := v.t
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	got, _ := io.ReadAll(res.Body)
	name := method + " " + template
	if res.StatusCode != want {
		t.Errorf("%s (%s): %d, want %d: %s", name, url, res.StatusCode, want, got)
		return got
	}
	op, _ := v.doc.paths[template][strings.ToLower(method)].(map[string]any)
	if op == nil {
		t.Errorf("%s is not documented", name)
		return got
	}
	status := res.Status[:3]
	resp, _ := op["responses"].(map[string]any)[status].(map[string]any)
	if resp == nil {
		t.Errorf("%s answered %s, which its doc does not list", name, status)
		return got
	}
	if res.StatusCode < 300 {
		v.ok[name] = true
	} else {
		v.failed[name] = true
	}
	content, _ := resp["content"].(map[string]any)
	if res.StatusCode == http.StatusNoContent || len(content) == 0 {
		if len(got) > 0 {
			t.Errorf("%s %s: a body its doc does not describe: %s", name, status, got)
		}
		return got
	}
	ct, _, _ := mime.ParseMediaType(res.Header.Get("Content-Type"))
	if _, ok := content[ct]; !ok {
		t.Errorf("%s %s: content type %q, documented %v", name, status, ct, content)
		return got
	}
	if ct != "application/json" {
		return got
	}
	ref := "mem://openapi.json#/paths/" + pointerPart(template) + "/" + strings.ToLower(method) + "/responses/" + status + "/content/" + pointerPart(ct) + "/schema"
	schema, err := v.compiler.Compile(ref)
	if err != nil {
		t.Fatalf("%s: compile %s: %v", name, ref, err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(got))
	if err != nil {
		t.Errorf("%s %s: not JSON: %v", name, status, err)
		return got
	}
	if err := schema.Validate(inst); err != nil {
		t.Errorf("%s %s does not match its documented schema: %v\n%s", name, status, err, got)
	}
	return got
}

// TestOpenAPIAnswersMatchTheirSchemas sends, for every documented
// operation, a request that succeeds and one that is refused, and
// validates each answer against the schema the document gives for its
// status.
func TestOpenAPIAnswersMatchTheirSchemas(t *testing.T) {
	w := newWorld(t, config.Default())
	srv := startServer(t, w.app)
	base := srv.URL
	v := newRefValidator(t, loadRefDoc(t, base))
	tok := func(r *core.Record) string { return token(t, r) }
	owner, other, root, ada, cy := tok(w.hostA), tok(w.hostB), tok(w.root), tok(w.ada), tok(w.cy)
	poll := createActivity(t, w.app, w.s1, "poll", `{"options":["Red","Blue"]}`)
	setActivityStatus(t, w.app, poll, c.ActivityActive)
	poker := createActivity(t, w.app, w.s1, "poker", `{}`)
	quiz := createActivity(t, w.app, w.s1, "quiz", `{"options":["A","B"],"correct":0}`)
	doomed := createActivity(t, w.app, w.s1, "wordcloud", `{}`)
	draft := createSession(t, w.app, w.hostA, c.SessionDraft)
	code := w.s1.GetString(c.SessionCode)
	check := v.check

	// users
	const users = "/api/collections/users/records"
	check("GET", users, base+users, owner, "", 200)
	check("GET", users, base+users+"?filter=(((", owner, "", 400)
	check("GET", users+"/{id}", base+users+"/"+w.hostA.Id, owner, "", 200)
	check("GET", users+"/{id}", base+users+"/"+w.hostA.Id, other, "", 404)
	created := check("POST", users, base+users, root, `{"email":"c@example.com","password":"1234567890","passwordConfirm":"1234567890"}`, 200)
	check("POST", users, base+users, root, `{"nope":1}`, 400)
	check("PATCH", users+"/{id}", base+users+"/"+w.hostA.Id, owner, `{"name":"Ann"}`, 200)
	check("PATCH", users+"/{id}", base+users+"/"+w.hostA.Id, other, `{"name":"Ann"}`, 404)
	var c1 struct{ ID string }
	_ = json.Unmarshal(created, &c1)
	check("DELETE", users+"/{id}", base+users+"/"+c1.ID, root, "", 204)
	check("DELETE", users+"/{id}", base+users+"/"+w.hostA.Id, "", "", 404)
	const pw = "/api/collections/users/auth-with-password"
	check("POST", pw, base+pw, "", `{"identity":"a@example.com","password":"1234567890"}`, 200)
	check("POST", pw, base+pw, "", `{"identity":"a@example.com","password":"wrong"}`, 400)
	const refreshU = "/api/collections/users/auth-refresh"
	check("POST", refreshU, base+refreshU, owner, "", 200)
	check("POST", refreshU, base+refreshU, "", "", 401)

	// sessions
	const sessions = "/api/collections/sessions/records"
	check("GET", sessions, base+sessions, owner, "", 200)
	check("GET", sessions, base+sessions+"?sort=nope", owner, "", 400)
	check("GET", sessions+"/{id}", base+sessions+"/"+w.s1.Id, ada, "", 200)
	check("GET", sessions+"/{id}", base+sessions+"/"+w.s1.Id, cy, "", 404)
	check("POST", sessions, base+sessions, owner, `{"title":"New"}`, 200)
	check("POST", sessions, base+sessions, owner, `{"title":"New","code":"AAAAAA"}`, 400)
	check("PATCH", sessions+"/{id}", base+sessions+"/"+w.s1.Id, owner, `{"description":"On stage"}`, 200)
	check("PATCH", sessions+"/{id}", base+sessions+"/"+w.s1.Id, other, `{"description":"x"}`, 404)
	check("DELETE", sessions+"/{id}", base+sessions+"/"+w.s1.Id, owner, "", 404) // active
	check("DELETE", sessions+"/{id}", base+sessions+"/"+draft.Id, owner, "", 204)

	// activities
	const acts = "/api/collections/activities/records"
	check("GET", acts, base+acts, owner, "", 200)
	check("GET", acts, base+acts+"?filter=nope~", owner, "", 400)
	check("GET", acts+"/{id}", base+acts+"/"+poll.Id, owner, "", 200)
	check("GET", acts+"/{id}", base+acts+"/"+poll.Id, other, "", 404)
	check("POST", acts, base+acts, owner, `{"session":"`+w.s1.Id+`","type":"quiz","title":"Capital?","config":{"options":["Paris","Rome"],"correct":0}}`, 200)
	check("POST", acts, base+acts, owner, `{"session":"`+w.s1.Id+`","type":"quiz","title":"Capital?","config":{"options":["Paris"]}}`, 400)
	check("PATCH", acts+"/{id}", base+acts+"/"+poker.Id, owner, `{"title":"Estimate"}`, 200)
	check("PATCH", acts+"/{id}", base+acts+"/"+poker.Id, other, `{"title":"Estimate"}`, 404)
	check("DELETE", acts+"/{id}", base+acts+"/"+doomed.Id, other, "", 404)
	check("DELETE", acts+"/{id}", base+acts+"/"+doomed.Id, owner, "", 204)

	// responses
	const resp = "/api/collections/responses/records"
	answer := check("POST", resp, base+resp, ada, `{"activity":"`+poll.Id+`","participant":"`+w.ada.Id+`","value":{"choices":[1]}}`, 200)
	check("POST", resp, base+resp, ada, `{"activity":"`+poll.Id+`","participant":"`+w.ada.Id+`","value":{"choices":[7]}}`, 400)
	var a1 struct{ ID string }
	_ = json.Unmarshal(answer, &a1)
	check("GET", resp, base+resp, ada, "", 200)
	check("GET", resp, base+resp+"?filter=score>0", ada, "", 400)
	check("GET", resp+"/{id}", base+resp+"/"+a1.ID, owner, "", 200)
	check("GET", resp+"/{id}", base+resp+"/"+a1.ID, cy, "", 404)
	check("PATCH", resp+"/{id}", base+resp+"/"+a1.ID, ada, `{"value":{"choices":[0]}}`, 200)
	check("PATCH", resp+"/{id}", base+resp+"/"+a1.ID, cy, `{"value":{"choices":[0]}}`, 404)
	check("DELETE", resp+"/{id}", base+resp+"/"+a1.ID, ada, "", 403)

	// custom routes
	check("GET", "/api/join/check", base+"/api/join/check?code="+code+"&nickname=Ada", "", "", 200)
	check("GET", "/api/join/check", base+"/api/join/check?nickname=Ada", "", "", 400)
	joined := check("POST", "/api/join", base+"/api/join", "", `{"code":"`+code+`","nickname":"Dee"}`, 200)
	check("POST", "/api/join", base+"/api/join", "", `{"code":"`+code+`","nickname":"Ada"}`, 409)
	var j struct {
		Token  string
		Record struct{ ID string }
	}
	_ = json.Unmarshal(joined, &j)
	check("POST", "/api/participants/heartbeat", base+"/api/participants/heartbeat", j.Token, "", 204)
	check("POST", "/api/participants/heartbeat", base+"/api/participants/heartbeat", "", "", 401)
	check("GET", "/api/live/{code}", base+"/api/live/"+code, ada, "", 200)
	check("GET", "/api/live/{code}", base+"/api/live/ZZZZZZ", "", "", 404)
	check("GET", "/api/live/{code}/qr.svg", base+"/api/live/"+code+"/qr.svg", "", "", 200)
	check("GET", "/api/live/{code}/qr.svg", base+"/api/live/nope/qr.svg", "", "", 404)
	check("GET", "/api/activities/{id}/results", base+"/api/activities/"+poll.Id+"/results", "", "", 200)
	check("GET", "/api/activities/{id}/results", base+"/api/activities/"+poker.Id+"/results", "", "", 404)
	check("POST", "/api/activities/{id}/reset", base+"/api/activities/"+poker.Id+"/reset", owner, "", 200)
	check("POST", "/api/activities/{id}/reset", base+"/api/activities/"+poll.Id+"/reset", owner, "", 400)
	check("GET", "/api/sessions/{id}/leaderboard", base+"/api/sessions/"+w.s1.Id+"/leaderboard", owner, "", 200)
	check("GET", "/api/sessions/{id}/leaderboard", base+"/api/sessions/"+w.s1.Id+"/leaderboard", ada, "", 403)
	check("GET", "/api/sessions/{id}/export", base+"/api/sessions/"+w.s1.Id+"/export", owner, "", 200)
	check("GET", "/api/sessions/{id}/export", base+"/api/sessions/"+w.s1.Id+"/export?format=csv", owner, "", 200)
	check("GET", "/api/sessions/{id}/export", base+"/api/sessions/"+w.s1.Id+"/export?format=xml", owner, "", 400)
	ids := []string{}
	for _, a := range []string{quiz.Id, poker.Id, poll.Id} {
		ids = append(ids, `"`+a+`"`)
	}
	all, err := w.app.FindAllRecords(c.Activities)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range all {
		if a.GetString(c.ActivitySession) == w.s1.Id && !slices.Contains([]string{quiz.Id, poker.Id, poll.Id}, a.Id) {
			ids = append(ids, `"`+a.Id+`"`)
		}
	}
	check("POST", "/api/sessions/{id}/reorder", base+"/api/sessions/"+w.s1.Id+"/reorder", owner, `{"activities":[`+strings.Join(ids, ",")+`]}`, 200)
	check("POST", "/api/sessions/{id}/reorder", base+"/api/sessions/"+w.s1.Id+"/reorder", owner, `{"activities":["x"]}`, 400)
	check("POST", "/api/sessions/{id}/advance", base+"/api/sessions/"+w.s1.Id+"/advance", owner, "", 200)
	check("POST", "/api/sessions/{id}/advance", base+"/api/sessions/"+w.s1.Id+"/advance", "", "", 401)
	check("GET", "/api/ready", base+"/api/ready", "", "", 200)
	check("GET", "/api/health", base+"/api/health", "", "", 200)
	check("GET", openapi.DocPath, base+openapi.DocPath, "", "", 200)

	// participants (the kick last: Dee goes)
	const parts = "/api/collections/participants/records"
	check("GET", parts, base+parts, owner, "", 200)
	check("GET", parts, base+parts+"?filter=nickname_key='ada'", owner, "", 400)
	check("GET", parts+"/{id}", base+parts+"/"+w.ada.Id, ada, "", 200)
	check("GET", parts+"/{id}", base+parts+"/"+w.ada.Id, cy, "", 404)
	check("POST", parts, base+parts, root, `{"session":"`+w.s1.Id+`","nickname":"Eve","password":"1234567890","passwordConfirm":"1234567890"}`, 200)
	check("POST", parts, base+parts, owner, `{"session":"`+w.s1.Id+`","nickname":"Eve2","password":"1234567890","passwordConfirm":"1234567890"}`, 403)
	check("PATCH", parts+"/{id}", base+parts+"/"+w.bob.Id, root, `{"nickname":"Bobby"}`, 200)
	check("PATCH", parts+"/{id}", base+parts+"/"+w.bob.Id, owner, `{"nickname":"Bobby"}`, 403)
	const refreshP = "/api/collections/participants/auth-refresh"
	check("POST", refreshP, base+refreshP, ada, "", 200)
	check("POST", refreshP, base+refreshP, "", "", 401)
	check("DELETE", parts+"/{id}", base+parts+"/"+j.Record.ID, other, "", 404)
	check("DELETE", parts+"/{id}", base+parts+"/"+j.Record.ID, owner, "", 204)
	check("DELETE", resp+"/{id}", base+resp+"/"+a1.ID, root, "", 204)

	// ban and duplicate (after the participants: Bob goes)
	check("POST", "/api/participants/{id}/ban", base+"/api/participants/"+w.bob.Id+"/ban", owner, "", 200)
	check("POST", "/api/participants/{id}/ban", base+"/api/participants/"+w.bob.Id+"/ban", "", "", 401)
	check("POST", "/api/sessions/{id}/duplicate", base+"/api/sessions/"+w.s1.Id+"/duplicate", owner, "", 201)
	check("POST", "/api/sessions/{id}/duplicate", base+"/api/sessions/"+w.s1.Id+"/duplicate", "", "", 401)

	// questions and question_votes, in a Q&A of S2 (its host is other)
	qa := createActivity(t, w.app, w.s2, "qa", `{}`)
	setActivityStatus(t, w.app, qa, c.ActivityActive)
	dot := createParticipant(t, w.app, w.s2, "Dot")
	dotTok := tok(dot)
	const qs, votes = "/api/collections/questions/records", "/api/collections/question_votes/records"
	asked := check("POST", qs, base+qs, cy, `{"activity":"`+qa.Id+`","participant":"`+w.cy.Id+`","text":"Why?"}`, 200)
	check("POST", qs, base+qs, cy, `{"activity":"`+qa.Id+`","participant":"`+dot.Id+`","text":"Why?"}`, 400)
	var q1 struct{ ID string }
	_ = json.Unmarshal(asked, &q1)
	check("GET", qs, base+qs, cy, "", 200)
	check("GET", qs, base+qs+"?filter=participant='x'", dotTok, "", 400)
	check("GET", qs+"/{id}", base+qs+"/"+q1.ID, dotTok, "", 200)
	check("GET", qs+"/{id}", base+qs+"/"+q1.ID, ada, "", 404)
	check("PATCH", qs+"/{id}", base+qs+"/"+q1.ID, other, `{"pinned":true}`, 200)
	check("PATCH", qs+"/{id}", base+qs+"/"+q1.ID, other, `{"status":"pending"}`, 400)
	voted := check("POST", votes, base+votes, dotTok, `{"question":"`+q1.ID+`","participant":"`+dot.Id+`"}`, 200)
	check("POST", votes, base+votes, cy, `{"question":"`+q1.ID+`","participant":"`+w.cy.Id+`"}`, 400)
	var v1 struct{ ID string }
	_ = json.Unmarshal(voted, &v1)
	check("GET", votes, base+votes, other, "", 200)
	check("GET", votes, base+votes+"?filter=activity='x'", dotTok, "", 400)
	check("GET", votes+"/{id}", base+votes+"/"+v1.ID, dotTok, "", 200)
	check("GET", votes+"/{id}", base+votes+"/"+v1.ID, cy, "", 404)
	// the Q&A's live document, results and export, with a question and an upvote
	code2 := w.s2.GetString(c.SessionCode)
	check("GET", "/api/live/{code}", base+"/api/live/"+code2, cy, "", 200)
	check("GET", "/api/activities/{id}/results", base+"/api/activities/"+qa.Id+"/results", "", "", 200)
	check("GET", "/api/sessions/{id}/export", base+"/api/sessions/"+w.s2.Id+"/export", other, "", 200)
	check("PATCH", votes+"/{id}", base+votes+"/"+v1.ID, root, `{"question":"`+q1.ID+`"}`, 400)
	check("DELETE", votes+"/{id}", base+votes+"/"+v1.ID, cy, "", 404)
	check("DELETE", votes+"/{id}", base+votes+"/"+v1.ID, dotTok, "", 204)
	check("DELETE", qs+"/{id}", base+qs+"/"+q1.ID, ada, "", 404)
	check("DELETE", qs+"/{id}", base+qs+"/"+q1.ID, cy, "", 204)

	// realtime: the stream's first event, a subscribe with its client id,
	// and one with an unknown id.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/api/realtime", nil)
	stream, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer stream.Body.Close()
	if ct, _, _ := mime.ParseMediaType(stream.Header.Get("Content-Type")); stream.StatusCode != 200 || ct != "text/event-stream" {
		t.Fatalf("GET /api/realtime: %d %s", stream.StatusCode, ct)
	}
	v.ok["GET /api/realtime"] = true
	var clientID string
	sc := bufio.NewScanner(stream.Body)
	for sc.Scan() && clientID == "" {
		if data, ok := strings.CutPrefix(sc.Text(), "data:"); ok {
			var connect struct{ ClientID string }
			_ = json.Unmarshal([]byte(data), &connect)
			clientID = connect.ClientID
		}
	}
	check("POST", "/api/realtime", base+"/api/realtime", "", `{"clientId":"`+clientID+`","subscriptions":["live/`+code+`"]}`, 204)
	check("POST", "/api/realtime", base+"/api/realtime", "", `{"clientId":"nobody","subscriptions":["live/`+code+`"]}`, 404)

	// Every documented operation was checked, succeeding and refused
	// (the probes, this document and the stream have no refusal to ask for).
	noRefusal := map[string]bool{"GET /api/ready": true, "GET /api/health": true, "GET " + openapi.DocPath: true, "GET /api/realtime": true}
	// An upvote never changes: the hooks refuse every update, superusers'
	// too (400 immutable), so its update has no success to ask for.
	noSuccess := map[string]bool{"PATCH " + votes + "/{id}": true}
	var missing []string
	for path, ops := range v.doc.paths {
		for method := range ops {
			name := strings.ToUpper(method) + " " + path
			if !v.ok[name] && !noSuccess[name] {
				missing = append(missing, name+" (success)")
			}
			if !v.failed[name] && !noRefusal[name] {
				missing = append(missing, name+" (refusal)")
			}
		}
	}
	sort.Strings(missing)
	for _, m := range missing {
		t.Errorf("no request checked %s against the document", m)
	}
}
