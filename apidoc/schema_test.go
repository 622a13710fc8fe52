package apidoc

import (
	"encoding/json"
	"testing"
)

// TestOf derives a schema from a Go type as encoding/json marshals it.
func TestOf(t *testing.T) {
	type inner struct {
		N uint8 `json:"n"`
	}
	type sample struct {
		Name   string            `json:"name" doc:"A name." schema:"minLength=1,pattern=^a"`
		Score  *float64          `json:"score,omitempty"`
		Tags   map[string]inner  `json:"tags"`
		Skip   string            `json:"-"`
		hidden int               //nolint:unused // unexported fields are not encoded
		Plain  bool              // no tag: named as the field
		Any    any               `json:"any,omitzero"`
		Texts  [2]string         `json:"texts"`
		Nested map[string]string `json:"nested" schema:"bad"`
	}
	_ = sample{}.hidden
	got, _ := json.Marshal(Of(sample{}))
	want := `{"additionalProperties":false,"properties":{"Plain":{"type":"boolean"},"any":{},"name":{"description":"A name.","minLength":1,"pattern":"^a","type":"string"},"nested":{"additionalProperties":{"type":"string"},"type":"object"},"score":{"type":["number","null"]},"tags":{"additionalProperties":{"additionalProperties":false,"properties":{"n":{"type":"integer"}},"required":["n"],"type":"object"},"type":"object"},"texts":{"items":{"type":"string"},"type":"array"}},"required":["name","tags","Plain","texts","nested"],"type":"object"}`
	if string(got) != want {
		t.Errorf("Of =\n%s\nwant\n%s", got, want)
	}
}

// TestBuilders: nullable enums keep null among their values, untyped
// schemas become anyOf, and With never changes the schema it is called on.
func TestBuilders(t *testing.T) {
	e := Nullable(Enum("a", "b"))
	if got, _ := json.Marshal(e); string(got) != `{"enum":["a","b",null],"type":["string","null"]}` {
		t.Errorf("Nullable(Enum) = %s", got)
	}
	r := Nullable(Ref("X"))
	if got, _ := json.Marshal(r); string(got) != `{"anyOf":[{"$ref":"#/components/schemas/X"},{"type":"null"}]}` {
		t.Errorf("Nullable(Ref) = %s", got)
	}
	base := String()
	_ = base.Doc("changed")
	if _, ok := base["description"]; ok {
		t.Error("Doc changed the schema it was called on")
	}
	var none Schema
	if got := none.With("type", "string"); got["type"] != "string" {
		t.Errorf("With on nil = %v", got)
	}
	if got, _ := json.Marshal(AllOf(Integer(), Number(), Boolean(), Array(Any()), MapOf(String()))); len(got) == 0 {
		t.Error("AllOf did not marshal")
	}
	if got := Object(Props{}); got["required"] != nil {
		t.Errorf("Object without required members has %v", got["required"])
	}
	type ch chan int
	if got := Of(ch(nil)); len(got) != 0 {
		t.Errorf("Of(chan) = %v, want any", got)
	}
}
