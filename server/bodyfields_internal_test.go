package server

import (
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	c "conflicto/collections"
	_ "conflicto/migrations"
)

// The kinds read from the schema are the ones the hand-kept list had
// before they were derived, field for field.
func TestSchemaKindsKeepTheFormerPolicy(t *testing.T) {
	app, err := tests.NewTestApp(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer app.Cleanup()

	system := map[string]fieldKind{
		"id": kindID, "collectionId": kindIgnored, "collectionName": kindIgnored,
		"created": kindIgnored, "updated": kindIgnored, "expand": kindIgnored,
	}
	auth := map[string]fieldKind{
		"email": kindID, "emailVisibility": kindBool, "verified": kindBool,
		"password": kindID, "passwordConfirm": kindID, "oldPassword": kindID,
	}
	former := map[string]map[string]fieldKind{
		c.Sessions: {
			"title": kindLine, "description": kindText, "status": kindID, "code": kindID, "owner": kindID,
			"max_participants": kindInt, "started_at": kindID, "ended_at": kindID,
			"blocked_words": kindJSON, // moderation (issue 14)
		},
		c.Activities: {
			"session": kindID, "type": kindID, "title": kindLine, "config": kindJSON, "position": kindInt,
			"status": kindID, "revealed": kindBool, "started_at": kindID, "ended_at": kindID,
			"notes": kindText, // added with the host's console: prose, line breaks allowed
		},
		c.Participants: {
			"session": kindID, "nickname": kindText, "last_seen": kindID,
			"nickname_key": kindIgnored, "presence": kindIgnored,
			"banned": kindBool, // moderation (issue 14); update is superusers-only
		},
		c.Users:     {"name": kindLine, "avatar": kindID},
		c.Responses: {"activity": kindID, "participant": kindID, "value": kindJSON, "score": kindInt},
	}
	for name, fields := range former {
		collection, err := app.FindCachedCollectionByNameOrId(name)
		if err != nil {
			t.Fatal(err)
		}
		if !isStrict(collection) {
			t.Errorf("%s: bodies not checked", name)
		}
		if got, want := takesMultipart(collection), name == c.Users; got != want {
			t.Errorf("%s: takes multipart = %v, want %v", name, got, want)
		}
		want := map[string]fieldKind{}
		for _, m := range []map[string]fieldKind{system, fields} {
			for f, k := range m {
				want[f] = k
			}
		}
		if collection.IsAuth() {
			for f, k := range auth {
				want[f] = k
			}
		}
		for f, k := range want {
			if got, ok := recordFieldKind(collection, f); !ok || same(got) != same(k) {
				t.Errorf("%s.%s: kind %v (known %v), want %v", name, f, got, ok, k)
			}
		}
		// Every schema field the former list did not name stays refused.
		for _, f := range append(collection.Fields.FieldNames(), "unknown", "score+", "+session") {
			if _, listed := want[f]; listed {
				continue
			}
			if kind, ok := recordFieldKind(collection, f); ok {
				t.Errorf("%s.%s: accepted as kind %v, the former list refused it", name, f, kind)
			}
		}
	}

	for _, name := range []string{core.CollectionNameSuperusers, core.CollectionNameMFAs, core.CollectionNameOTPs} {
		collection, err := app.FindCachedCollectionByNameOrId(name)
		if err != nil {
			t.Fatal(err)
		}
		if isStrict(collection) {
			t.Errorf("%s: PocketBase's own collection has its bodies checked", name)
		}
	}
}

// same maps kinds checkKind treats alike to one: the join code, a text
// field, comes out a line where the list had an id.
func same(k fieldKind) fieldKind {
	if k == kindID {
		return kindLine
	}
	return k
}

func TestSchemaKind(t *testing.T) {
	for _, tc := range []struct {
		field core.Field
		want  fieldKind
	}{
		{&core.TextField{Max: 6}, kindLine},
		{&core.TextField{Max: maxLineLength}, kindLine},
		{&core.TextField{Max: maxLineLength + 1}, kindText},
		{&core.TextField{}, kindText}, // unbounded
		{&core.EditorField{}, kindText},
		{&core.NumberField{OnlyInt: true}, kindInt},
		{&core.NumberField{}, kindNumber},
		{&core.BoolField{}, kindBool},
		{&core.SelectField{MaxSelect: 1}, kindID},
		{&core.SelectField{MaxSelect: 3}, kindIDs},
		{&core.RelationField{MaxSelect: 1}, kindID},
		{&core.RelationField{MaxSelect: 5}, kindIDs},
		{&core.FileField{MaxSelect: 1}, kindID},
		{&core.FileField{MaxSelect: 2}, kindIDs},
		{&core.DateField{}, kindID},
		{&core.AutodateField{}, kindIgnored},
		{&core.EmailField{}, kindID},
		{&core.URLField{}, kindID},
		{&core.PasswordField{}, kindID},
		{&core.JSONField{}, kindJSON},
		{&core.GeoPointField{}, kindJSON},
	} {
		if got := schemaKind(tc.field); got != tc.want {
			t.Errorf("%T %+v: kind %v, want %v", tc.field, tc.field, got, tc.want)
		}
	}
}

func TestCheckKindOfDerivedKinds(t *testing.T) {
	for _, tc := range []struct {
		kind fieldKind
		raw  string
		ok   bool
	}{
		{kindNumber, `1.5`, true},
		{kindNumber, `-3e2`, true},
		{kindNumber, `"1.5"`, false},
		{kindNumber, `true`, false},
		{kindIDs, `"a"`, true},
		{kindIDs, `["a","b"]`, true},
		{kindIDs, `[]`, true},
		{kindIDs, `[1]`, false},
		{kindIDs, `{"a":1}`, false},
		{kindIDs, `["a\u0000"]`, false},
	} {
		if problem := checkKind(tc.kind, []byte(tc.raw)); (problem == "") != tc.ok {
			t.Errorf("kind %v, %s: problem %q, want ok %v", tc.kind, tc.raw, problem, tc.ok)
		}
	}
}
