package apitest_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/tests"

	"conflicto/config"
)

// countQueries counts the queries app runs from now on. Call it before
// anything runs in the background (the live engine's timers read the
// logger too).
func countQueries(t testing.TB, app *tests.TestApp) *atomic.Int64 {
	t.Helper()
	var n atomic.Int64
	for _, b := range []dbx.Builder{app.ConcurrentDB(), app.NonconcurrentDB()} {
		db, ok := b.(*dbx.DB)
		if !ok {
			t.Fatalf("db is %T", b)
		}
		prev := db.QueryLogFunc
		db.QueryLogFunc = func(ctx context.Context, d time.Duration, q string, rows *sql.Rows, err error) {
			n.Add(1)
			if prev != nil {
				prev(ctx, d, q, rows, err)
			}
		}
	}
	return &n
}

// Issue 9, item 4: the public results of a word cloud on a screen were
// aggregated again on every request. They are now kept with the session's
// live state until its next change: repeated requests run no query, and
// the first request after an answer shows it.
func TestResultsServedFromTheLiveState(t *testing.T) {
	app := newTestApp(t, config.Default())
	queries := countQueries(t, app)
	w := newWorldOn(t, app)
	defer w.app.Cleanup()
	base := startServer(t, w.app).URL
	act := createActivity(t, w.app, w.s1, "wordcloud", cloudConfig)
	activate(t, w.app, act)
	saveResponse(t, w.app, act, w.ada, `{"words":["Go","Rust"]}`)
	url := base + "/api/activities/" + act.Id + "/results"

	words := func(actor string) string {
		t.Helper()
		res := getJSON(t, url, w.headers(t, actor)["Authorization"])
		if res.status != http.StatusOK {
			t.Fatalf("GET results as %s: %d %s", actor, res.status, res.body)
		}
		var doc struct {
			Words     json.RawMessage `json:"words"`
			Responses int             `json:"responses"`
		}
		if err := json.Unmarshal(res.body, &doc); err != nil {
			t.Fatal(err)
		}
		return string(doc.Words)
	}

	const one = `[{"text":"go","count":1},{"text":"rust","count":1}]`
	if got := words(actorAnonymous); got != one {
		t.Fatalf("words = %s, want %s", got, one)
	}
	before := queries.Load()
	for range 50 {
		if got := words(actorAnonymous); got != one {
			t.Fatalf("words = %s, want %s", got, one)
		}
	}
	if spent := queries.Load() - before; spent != 0 {
		t.Fatalf("%d queries for 50 requests of unchanged results, want 0", spent)
	}

	// An answer: the very next request has it, and later ones are cached
	// again.
	saveResponse(t, w.app, act, w.bob, `{"words":["go"]}`)
	const two = `[{"text":"go","count":2},{"text":"rust","count":1}]`
	if got := words(actorAnonymous); got != two {
		t.Fatalf("words after an answer = %s, want %s", got, two)
	}
	before = queries.Load()
	for range 20 {
		words(actorAnonymous)
	}
	if spent := queries.Load() - before; spent != 0 {
		t.Fatalf("%d queries for 20 requests after the rebuild, want 0", spent)
	}

	// The live document and the results route agree.
	live := decodeLive(t, getJSON(t, base+"/api/live/"+codeOf(w.s1), "").body)
	var want any
	_ = json.Unmarshal([]byte(two), &want)
	if !reflect.DeepEqual(live.Results["words"], want) {
		t.Fatalf("live results words = %v, want %s", live.Results["words"], two)
	}
}

// Results that are not public yet are the owner's, served from the cache
// too; a reveal makes them public at once, and a reset hides them again.
func TestResultsCacheFollowsRevealAndReset(t *testing.T) {
	w := newWorld(t, config.Default())
	defer w.app.Cleanup()
	base := startServer(t, w.app).URL
	act := createActivity(t, w.app, w.s1, "poker", pokerConfig)
	url := base + "/api/activities/" + act.Id + "/results"
	get := func(actor string, status int) []byte {
		t.Helper()
		res := getJSON(t, url, w.headers(t, actor)["Authorization"])
		if res.status != status {
			t.Fatalf("GET results as %s: %d %s, want %d", actor, res.status, res.body, status)
		}
		return res.body
	}

	// A draft: the owner's only.
	get(actorOwner, 200)
	get(actorAnonymous, 404)
	get(actorParticipant, 404)
	get(actorOtherHost, 404)

	activate(t, w.app, act)
	saveResponse(t, w.app, act, w.ada, `{"card":"5"}`)
	for range 3 {
		if body := string(get(actorOwner, 200)); !strings.Contains(body, `"voters":1`) || strings.Contains(body, `"votes"`) {
			t.Fatalf("the owner before reveal: %s", body)
		}
		get(actorAnonymous, 404)
	}

	reveal(t, w.app, act, true)
	if body := string(get(actorAnonymous, 200)); !strings.Contains(body, `"votes":[{"nickname":"Ada","card":"5"}]`) {
		t.Fatalf("anyone after reveal: %s", body)
	}

	res := postJSON(t, base+"/api/activities/"+act.Id+"/reset", "", w.headers(t, actorOwner)["Authorization"])
	if res.status != http.StatusOK {
		t.Fatalf("reset: %d %s", res.status, res.body)
	}
	get(actorAnonymous, 404)
	if body := string(get(actorOwner, 200)); !strings.Contains(body, `"voters":0`) {
		t.Fatalf("the owner after reset: %s", body)
	}
}
