package webtest

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/accessibility"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/dom"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// actionTimeout bounds each step: long enough for a coalesced live update
// (at most 2 s) on a busy machine, short enough to fail clearly.
const actionTimeout = 20 * time.Second

// chromium finds Debian's browser. Under CI=true a missing browser fails
// the run; elsewhere the browser tests are skipped.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{os.Getenv("CONFLICTO_CHROMIUM"), "chromium", "/usr/bin/chromium", "chromium-browser"} {
		if name == "" {
			continue
		}
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("chromium is missing: .ci/run installs Debian's chromium package (apt-get install -y chromium)")
	}
	t.Skip("chromium is not installed (apt-get install -y chromium); the browser tests need it")
	return ""
}

// browser is one headless Chromium with a fresh profile.
type browser struct {
	t   *testing.T
	ctx context.Context
}

func newBrowser(t *testing.T) *browser {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium(t)),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		// Background pages keep their timers and connections: four
		// "devices" share one browser here.
		chromedp.Flag("disable-background-timer-throttling", true),
		chromedp.Flag("disable-renderer-backgrounding", true),
		chromedp.Flag("disable-backgrounding-occluded-windows", true),
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(func() {
		cancel()
		cancelAlloc()
	})
	if err := chromedp.Do(ctx); err != nil { // starts the browser
		t.Fatalf("start chromium: %v", err)
	}
	return &browser{t: t, ctx: ctx}
}

// page is one device: a tab in its own browser context, so each phone has
// its own localStorage like a real phone.
type page struct {
	t    *testing.T
	name string
	ctx  context.Context

	mu   sync.Mutex
	logs []string
}

// open makes a device of the given viewport; mobile emulates a phone
// (touch, device scale).
func (b *browser) open(name string, width, height int64, mobile bool) *page {
	b.t.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext())
	b.t.Cleanup(cancel)
	p := &page{t: b.t, name: name, ctx: ctx}
	console := chromedp.Console(ctx)
	var emulate chromedp.Action[chromedp.Void]
	if mobile {
		emulate = chromedp.EmulateViewport(width, height, chromedp.EmulateScale(2), chromedp.EmulateMobile, chromedp.EmulateTouch)
	} else {
		emulate = chromedp.EmulateViewport(width, height)
	}
	if err := chromedp.Do(ctx, emulate); err != nil {
		b.t.Fatalf("%s: emulate %dx%d: %v", name, width, height, err)
	}
	go func() {
		for m, err := range console {
			if err != nil {
				return
			}
			p.mu.Lock()
			p.logs = append(p.logs, m.String())
			p.mu.Unlock()
		}
	}()
	b.t.Cleanup(func() {
		if b.t.Failed() {
			p.mu.Lock()
			defer p.mu.Unlock()
			if len(p.logs) > 0 {
				b.t.Logf("%s console:\n  %s", name, strings.Join(p.logs, "\n  "))
			}
			tctx, cancel := context.WithTimeout(ctx, 5*time.Second)
			defer cancel()
			out, err := chromedp.Run(tctx, chromedp.Evaluate[string](`document.body.innerText`))
			b.t.Logf("%s shows (%v):\n%s", name, err, out)
			names, err := chromedp.Run(tctx, accessibleNames)
			b.t.Logf("%s accessibility tree (%v):\n  %s", name, err, strings.Join(names, "\n  "))
		}
	})
	return p
}

// accessibleNames lists "role: name" of every named node, for failures.
func accessibleNames(ctx context.Context, t *chromedp.Target) ([]string, error) {
	doc, err := cdp.Call(ctx, t, runtime.Evaluate, runtime.EvaluateParams{Expression: "document"})
	if err != nil {
		return nil, err
	}
	defer release(ctx, t, doc.Result.ObjectID)
	res, err := cdp.Call(ctx, t, accessibility.QueryAXTree, accessibility.QueryAXTreeParams{ObjectID: doc.Result.ObjectID})
	if err != nil {
		return nil, err
	}
	var out []string
	for _, n := range res.Nodes {
		if n.Ignored || n.Role == nil || n.Name == nil || len(n.Name.Value) <= 2 || strings.Contains(string(n.Role.Value), "Text") {
			continue
		}
		out = append(out, fmt.Sprintf("%s: %s", n.Role.Value, n.Name.Value))
	}
	return out, nil
}

// do runs actions with the step timeout, failing the test on error.
func (p *page) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, actionTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		p.t.Fatalf("%s: %s: %v", p.name, what, err)
	}
}

func (p *page) goTo(url string) {
	p.t.Helper()
	p.do("open "+url, chromedp.Navigate(url))
}

func (p *page) reload() {
	p.t.Helper()
	p.do("reload", chromedp.Reload())
}

// The lookups below go by the browser's accessibility tree: the computed
// role and accessible name, exactly, as a screen reader would announce
// them, never a CSS class. Nodes are addressed by their backend ids, so
// nothing depends on a mirror of the DOM kept in the test.

// axFind returns the backend ids of the nodes (not ignored) with exactly
// this role and accessible name.
func axFind(ctx context.Context, t *chromedp.Target, role, name string) ([]cdp.BackendNodeID, error) {
	doc, err := cdp.Call(ctx, t, runtime.Evaluate, runtime.EvaluateParams{Expression: "document"})
	if err != nil {
		return nil, err
	}
	defer release(ctx, t, doc.Result.ObjectID)
	res, err := cdp.Call(ctx, t, accessibility.QueryAXTree, accessibility.QueryAXTreeParams{
		ObjectID: doc.Result.ObjectID, Role: role, AccessibleName: name,
	})
	if err != nil {
		return nil, err
	}
	var ids []cdp.BackendNodeID
	for _, ax := range res.Nodes {
		if !ax.Ignored && ax.BackendDOMNodeID != 0 {
			ids = append(ids, ax.BackendDOMNodeID)
		}
	}
	return ids, nil
}

func release(ctx context.Context, t *chromedp.Target, id runtime.RemoteObjectID) {
	if id != "" {
		_, _ = cdp.Call(ctx, t, runtime.ReleaseObject, runtime.ReleaseObjectParams{ObjectID: id})
	}
}

// callOn calls the JavaScript function fn with the node as this and
// decodes its result into out.
func callOn(ctx context.Context, t *chromedp.Target, id cdp.BackendNodeID, fn string, out any) error {
	node, err := cdp.Call(ctx, t, dom.ResolveNode, dom.ResolveNodeParams{BackendNodeID: id})
	if err != nil {
		return err
	}
	defer release(ctx, t, node.Object.ObjectID)
	yes := true
	res, err := cdp.Call(ctx, t, runtime.CallFunctionOn, runtime.CallFunctionOnParams{
		FunctionDeclaration: fn, ObjectID: node.Object.ObjectID, ReturnByValue: &yes, AwaitPromise: &yes,
	})
	if err != nil {
		return err
	}
	if res.ExceptionDetails != nil {
		return fmt.Errorf("javascript: %s", res.ExceptionDetails.Text)
	}
	if out == nil || len(res.Result.Value) == 0 {
		return nil
	}
	return json.Unmarshal(res.Result.Value, out)
}

// usable is the check of an element a person can see and use: rendered
// with a size, not disabled, not inside a hidden or inert part.
const usable = `function() {
	const r = this.getBoundingClientRect();
	const style = getComputedStyle(this);
	return r.width > 0 && r.height > 0 && style.visibility !== 'hidden' && !this.disabled && !this.closest('[inert]');
}`

func label(role, name string) string { return role + ` "` + name + `"` }

// find waits until an element with this role and name passes check (a
// JavaScript predicate on the element) and returns it.
func (p *page) find(role, name, check string) cdp.BackendNodeID {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, actionTimeout)
	defer cancel()
	var last error
	for {
		found, err := chromedp.Run(ctx, func(ctx context.Context, t *chromedp.Target) (cdp.BackendNodeID, error) {
			ids, err := axFind(ctx, t, role, name)
			if err != nil {
				return 0, err
			}
			for _, id := range ids {
				ok := false
				if err := callOn(ctx, t, id, check, &ok); err == nil && ok {
					return id, nil
				}
			}
			return 0, nil
		})
		if err == nil && found != 0 {
			return found
		}
		if err != nil {
			last = err
		}
		select {
		case <-ctx.Done():
			p.t.Fatalf("%s: no usable %s within %s (last error: %v)", p.name, label(role, name), actionTimeout, last)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// see waits until an element with this role and name is visible.
func (p *page) see(role, name string) {
	p.t.Helper()
	p.find(role, name, `function() { const r = this.getBoundingClientRect(); return r.width > 0 && r.height > 0; }`)
}

// click clicks the middle of the usable element with this role and name
// with the mouse, as a person would.
func (p *page) click(role, name string) {
	p.t.Helper()
	id := p.find(role, name, usable)
	ctx, cancel := context.WithTimeout(p.ctx, actionTimeout)
	defer cancel()
	err := chromedp.Do(ctx, func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		var at [2]float64
		err := callOn(ctx, t, id, `function() {
			this.scrollIntoView({block: 'center', inline: 'center'});
			const r = this.getBoundingClientRect();
			return [r.x + r.width / 2, r.y + r.height / 2];
		}`, &at)
		if err != nil {
			return chromedp.Void{}, err
		}
		return chromedp.MouseClickXY(at[0], at[1])(ctx, t)
	})
	if err != nil {
		p.t.Fatalf("%s: click %s: %v", p.name, label(role, name), err)
	}
}

// fill replaces the text of the textbox with this name by typing.
func (p *page) fill(name, text string) {
	p.t.Helper()
	p.click("textbox", name)
	p.do("type into "+label("textbox", name),
		chromedp.Evaluate[chromedp.Void](`document.activeElement.select()`),
		chromedp.KeyEvent("\b"),
		chromedp.KeyEvent(text),
	)
}

// read returns what fn (a JavaScript function of the element) says about
// the visible element with this role and name.
func (p *page) read(role, name, fn string, out any) {
	p.t.Helper()
	id := p.find(role, name, `function() { const r = this.getBoundingClientRect(); return r.width > 0 && r.height > 0; }`)
	ctx, cancel := context.WithTimeout(p.ctx, actionTimeout)
	defer cancel()
	err := chromedp.Do(ctx, func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		return chromedp.Void{}, callOn(ctx, t, id, fn, out)
	})
	if err != nil {
		p.t.Fatalf("%s: read %s: %v", p.name, label(role, name), err)
	}
}

// text is the visible text of the element with this role and name.
func (p *page) text(role, name string) string {
	p.t.Helper()
	var s string
	p.read(role, name, `function() { return this.innerText; }`, &s)
	return strings.TrimSpace(s)
}

// value is the value of the textbox with this name.
func (p *page) value(name string) string {
	p.t.Helper()
	var s string
	p.read("textbox", name, `function() { return this.value; }`, &s)
	return s
}

// waitText waits until the element with this role and name shows want.
func (p *page) waitText(role, name, want string) {
	p.t.Helper()
	p.waitTextFunc(role, name, want, func(got string) bool { return got == want })
}

// seeText waits until the element with this role and name shows a text
// containing want: a screen found by its heading, then what it says.
func (p *page) seeText(role, name, want string) {
	p.t.Helper()
	p.waitTextFunc(role, name, "…"+want+"…", func(got string) bool { return strings.Contains(got, want) })
}

func (p *page) waitTextFunc(role, name, want string, ok func(string) bool) {
	p.t.Helper()
	deadline := time.Now().Add(actionTimeout)
	got := ""
	for time.Now().Before(deadline) {
		if got = p.text(role, name); ok(got) {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	p.t.Fatalf("%s: %s shows %q, want %q", p.name, label(role, name), got, want)
}

// count is how many elements have this role and name right now.
func (p *page) count(role, name string) int {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, actionTimeout)
	defer cancel()
	ids, err := chromedp.Run(ctx, func(ctx context.Context, t *chromedp.Target) ([]cdp.BackendNodeID, error) {
		return axFind(ctx, t, role, name)
	})
	if err != nil {
		p.t.Fatalf("%s: count %s: %v", p.name, label(role, name), err)
	}
	return len(ids)
}

// prefer emulates the user's settings: a dark colour scheme and reduced
// motion, as a phone set that way reports them to CSS.
func (p *page) prefer(dark, reducedMotion bool) {
	p.t.Helper()
	scheme, motion := "light", "no-preference"
	if dark {
		scheme = "dark"
	}
	if reducedMotion {
		motion = "reduce"
	}
	p.do("emulate "+scheme+" and motion "+motion, func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Features: []*emulation.MediaFeature{
			{Name: "prefers-color-scheme", Value: scheme},
			{Name: "prefers-reduced-motion", Value: motion},
		}})
		return chromedp.Void{}, err
	})
}

// style is a computed style property of the visible element with this
// role and name.
func (p *page) style(role, name, property string) string {
	p.t.Helper()
	var s string
	p.read(role, name, `function() { return getComputedStyle(this).getPropertyValue(`+strconv.Quote(property)+`); }`, &s)
	return s
}

// fits checks that nothing on the page is wider than the viewport: a
// phone never scrolls sideways.
func (p *page) fits() {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, actionTimeout)
	defer cancel()
	over, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth - document.documentElement.clientWidth`))
	if err != nil {
		p.t.Fatalf("%s: page width: %v", p.name, err)
	}
	if over > 0 {
		p.t.Errorf("%s: the page is %d px wider than the screen", p.name, over)
	}
}

// maxFirstLoad is the budget of the phone page's JavaScript and CSS,
// uncompressed (issue 11).
const maxFirstLoad = 150 * 1024

// checkWeight measures, in the browser, what the page loaded: its scripts
// and style sheets stay within maxFirstLoad before compression, and the
// text assets came gzipped.
func (p *page) checkWeight() {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, actionTimeout)
	defer cancel()
	type entry struct {
		Name      string  `json:"name"`
		Initiator string  `json:"initiatorType"`
		Decoded   float64 `json:"decodedBodySize"`
		Encoded   float64 `json:"encodedBodySize"`
	}
	entries, err := chromedp.Run(ctx, chromedp.Evaluate[[]entry](`performance.getEntriesByType('resource').map(e => e.toJSON())`))
	if err != nil {
		p.t.Fatalf("%s: resource timing: %v", p.name, err)
	}
	total := 0.0
	for _, e := range entries {
		if !strings.HasSuffix(e.Name, ".js") && !strings.HasSuffix(e.Name, ".mjs") && !strings.HasSuffix(e.Name, ".css") {
			continue
		}
		total += e.Decoded
		if e.Decoded > 2048 && e.Encoded >= e.Decoded {
			p.t.Errorf("%s: %s came uncompressed (%v bytes)", p.name, e.Name, e.Decoded)
		}
	}
	if total == 0 || total > maxFirstLoad {
		p.t.Fatalf("%s: first load is %.0f bytes of JS and CSS, budget %d", p.name, total, maxFirstLoad)
	}
	p.t.Logf("%s: first load %.1f KiB of JS and CSS", p.name, total/1024)
}

// shot saves a screenshot of the viewport as dir/file.
func (p *page) shot(dir, file string) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, actionTimeout)
	defer cancel()
	// Let bars grow and cards flip before the picture.
	time.Sleep(500 * time.Millisecond)
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		p.t.Fatalf("%s: screenshot: %v", p.name, err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		p.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, file), png, 0o644); err != nil {
		p.t.Fatal(err)
	}
}
