package server

import (
	"errors"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
	"github.com/pocketbase/pocketbase/tools/router"

	"conflicto/apierr"
	c "conflicto/collections"
	_ "conflicto/migrations"
)

// scanJSON reads a body once, as a stream, and answers what the former
// read-it-all check answered: syntax first (UTF-8, one value, a member
// named twice at any depth), then the first problem with a record's
// members.
func TestScanJSON(t *testing.T) {
	app, err := tests.NewTestApp(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer app.Cleanup()
	sessions, err := app.FindCachedCollectionByNameOrId(c.Sessions)
	if err != nil {
		t.Fatal(err)
	}
	responses, err := app.FindCachedCollectionByNameOrId(c.Responses)
	if err != nil {
		t.Fatal(err)
	}

	const (
		notJSON   = "The request body is not one valid JSON value."
		notUTF8   = "The request body is not valid UTF-8."
		notObject = "The request body must be a JSON object."
	)
	scenarios := []struct {
		name       string
		body       string
		record     bool // check as a sessions record
		field      string
		code       string // the field's code, or the message for a 400 without field
		superuser  bool
		collection string
	}{
		{name: "empty", body: ""},
		{name: "whitespace", body: " \n\t "},
		{name: "an object", body: `{"a":1,"b":[2,{"c":3}]}`},
		{name: "a scalar", body: `"hello"`},
		{name: "two values", body: `{} {}`, code: notJSON},
		{name: "trailing garbage", body: `{"a":1} trailing`, code: notJSON},
		{name: "truncated", body: `{"a":`, code: notJSON},
		{name: "invalid UTF-8 in a string", body: "{\"a\":\"\xff\"}", code: notUTF8},
		{name: "invalid UTF-8 after the value", body: "{\"a\":1}\xff", code: notUTF8},
		{name: "deeply nested", body: strings.Repeat("[", 20000) + strings.Repeat("]", 20000), code: notJSON},
		{name: "a member twice", body: `{"a":1,"a":2}`, field: "a", code: "duplicate_field"},
		{name: "twice in a nested object", body: `{"config":{"options":["x"],"options":["y"]}}`, field: "config", code: "duplicate_field"},
		{name: "same names in sibling objects", body: `{"value":{"choices":[1]},"other":{"choices":[2]}}`},
		{name: "same names in array items", body: `{"list":[{"k":1},{"k":2}]}`},
		{name: "twice inside an array item", body: `{"list":[{"k":1,"k":2}]}`, field: "list", code: "duplicate_field"},
		{name: "twice deep down", body: `{"a":{"b":{"c":1}},"a2":{"b":{"c":1,"d":{},"c":2}}}`, field: "a2", code: "duplicate_field"},
		{name: "same values", body: `{"s":"a","t":"a"}`},

		{name: "record", body: `{"title":"Retro","max_participants":10}`, record: true},
		{name: "record not an object", body: `[1,2]`, record: true, code: notObject},
		{name: "record not an object, and broken", body: `[1,`, record: true, code: notJSON},
		{name: "record unknown member", body: `{"title":"Retro","room":"B"}`, record: true, field: "room", code: "unknown_field"},
		{name: "record wrong kind", body: `{"max_participants":"10"}`, record: true, field: "max_participants", code: "invalid_type"},
		{name: "first member problem wins", body: `{"room":"B","max_participants":"10"}`, record: true, field: "room", code: "unknown_field"},
		{name: "a duplicate wins over a member problem", body: `{"room":1,"title":"a","title":"b"}`, record: true, field: "title", code: "duplicate_field"},
		{name: "broken JSON wins over a member problem", body: `{"room":1,"title":`, record: true, code: notJSON},
		{name: "hidden field", body: `{"score":5}`, collection: c.Responses, field: "score", code: "read_only"},
		{name: "hidden field by a superuser", body: `{"score":5}`, collection: c.Responses, superuser: true},
	}
	for _, s := range scenarios {
		t.Run(s.name, func(t *testing.T) {
			col := map[bool]*core.Collection{true: sessions}[s.record]
			if s.collection == c.Responses {
				col = responses
			}
			err := scanJSON(strings.NewReader(s.body), col, s.superuser)
			if s.code == "" {
				if err != nil {
					t.Fatalf("got %v, want nil", err)
				}
				return
			}
			var apiErr *router.ApiError
			if !errors.As(err, &apiErr) || apiErr.Status != 400 {
				t.Fatalf("got %v, want a 400", err)
			}
			if s.field == "" { // a body refused as a whole is reported on data.body
				if apiErr.Message != s.code || apiErr.Data[apierr.BodyField] == nil {
					t.Fatalf("got %q %v, want %q on %s", apiErr.Message, apiErr.Data, s.code, apierr.BodyField)
				}
				return
			}
			fe, ok := apiErr.Data[s.field].(map[string]any)
			if !ok || fe["code"] != s.code {
				t.Fatalf("got %q %v, want %s on %s", apiErr.Message, apiErr.Data, s.code, s.field)
			}
		})
	}
}
