package hooks

import (
	"bytes"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	c "conflicto/collections"
	_ "conflicto/migrations"
)

// bareApp is a test app with the migrations but without Conflicto's hooks,
// so a test can store what the hooks would refuse.
func bareApp(t testing.TB) *tests.TestApp {
	t.Helper()
	app, err := tests.NewTestApp(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(app.Cleanup)
	return app
}

func bareRecord(t testing.TB, app core.App, collection string, fields map[string]any) *core.Record {
	t.Helper()
	col, err := app.FindCollectionByNameOrId(collection)
	if err != nil {
		t.Fatal(err)
	}
	r := core.NewRecord(col)
	r.Load(fields)
	if collection == c.Users {
		r.SetPassword("1234567890")
	}
	if err := app.Save(r); err != nil {
		t.Fatalf("save %s: %v", collection, err)
	}
	return r
}

// codeBytes returns bytes that randomCode turns into code.
func codeBytes(code string) []byte {
	b := make([]byte, len(code))
	for i := range code {
		b[i] = byte(strings.IndexByte(c.CodeAlphabet, code[i]))
	}
	return b
}

func TestNewSessionCodeRetriesOnCollision(t *testing.T) {
	app := bareApp(t)
	host := bareRecord(t, app, c.Users, map[string]any{"email": "a@example.com"})
	bareRecord(t, app, c.Sessions, map[string]any{
		c.SessionTitle: "Taken", c.SessionOwner: host.Id, c.SessionStatus: "draft", c.SessionCode: "AAAAAA",
	})

	random := bytes.NewReader(append(codeBytes("AAAAAA"), codeBytes("BCDEFG")...))
	code, err := newSessionCode(app, random)
	if err != nil || code != "BCDEFG" {
		t.Fatalf("newSessionCode = %q, %v; want the second draw BCDEFG", code, err)
	}

	always := bytes.NewReader(bytes.Repeat(codeBytes("AAAAAA"), codeAttempts))
	if code, err := newSessionCode(app, always); err == nil {
		t.Fatalf("newSessionCode = %q with every draw taken, want an error", code)
	}
}

func TestRandomCodeIsUniformOverTheAlphabet(t *testing.T) {
	// Every byte value maps to a letter (256 is a multiple of 32), each
	// letter from exactly 8 byte values.
	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i)
	}
	counts := map[byte]int{}
	r := bytes.NewReader(all)
	for range 256 / c.CodeLength {
		code, err := randomCode(r)
		if err != nil {
			t.Fatal(err)
		}
		for i := range code {
			counts[code[i]]++
		}
	}
	for i := range c.CodeAlphabet {
		if n := counts[c.CodeAlphabet[i]]; n < 7 || n > 8 {
			t.Fatalf("letter %c drawn %d times from 252 bytes, want 7 or 8", c.CodeAlphabet[i], n)
		}
	}
	if len(counts) != len(c.CodeAlphabet) {
		t.Fatalf("drew %d distinct letters, want %d", len(counts), len(c.CodeAlphabet))
	}
}
