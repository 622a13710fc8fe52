// Package apidoc holds the small builders with which each package
// describes its own part of the HTTP API, beside the code it describes: JSON
// Schemas (OpenAPI 3.1's dialect, JSON Schema 2020-12) built by hand or from
// Go types, and the documentation of a route. Package openapi gathers them
// into the document served at /api/docs/openapi.json. Pure Go: it imports
// nothing of Conflicto's or PocketBase's, so every room may use it.
package apidoc

import (
	"maps"
	"reflect"
	"strconv"
	"strings"
)

// Schema is one JSON Schema, marshalled as it is. Its builders return new
// maps, so a shared schema is never changed by a later Doc or With.
type Schema map[string]any

// Props are an object's properties by name.
type Props map[string]Schema

// refPrefix is where OpenAPI keeps named schemas.
const refPrefix = "#/components/schemas/"

// Ref points to the named schema of the document's components.
func Ref(name string) Schema { return Schema{"$ref": refPrefix + name} }

// String is a JSON string.
func String() Schema { return Schema{"type": "string"} }

// Integer is a whole JSON number.
func Integer() Schema { return Schema{"type": "integer"} }

// Number is any JSON number.
func Number() Schema { return Schema{"type": "number"} }

// Boolean is true or false.
func Boolean() Schema { return Schema{"type": "boolean"} }

// Any is any JSON value.
func Any() Schema { return Schema{} }

// Enum is a string of one of values.
func Enum[T ~string](values ...T) Schema {
	list := make([]any, len(values))
	for i, v := range values {
		list[i] = string(v)
	}
	return Schema{"type": "string", "enum": list}
}

// Array is a JSON array of items.
func Array(items Schema) Schema { return Schema{"type": "array", "items": items} }

// Object is a JSON object with exactly props (no other member); required
// lists the members that are always there.
func Object(props Props, required ...string) Schema {
	s := Schema{"type": "object", "properties": props, "additionalProperties": false}
	if len(required) > 0 {
		s["required"] = required
	}
	return s
}

// MapOf is a JSON object whose members, whatever their names, are values.
func MapOf(values Schema) Schema {
	return Schema{"type": "object", "additionalProperties": values}
}

// AnyOf is a value valid against at least one of list.
func AnyOf(list ...Schema) Schema { return Schema{"anyOf": list} }

// AllOf is a value valid against each of list.
func AllOf(list ...Schema) Schema { return Schema{"allOf": list} }

// Nullable is s or JSON null.
func Nullable(s Schema) Schema {
	if t, ok := s["type"].(string); ok {
		out := maps.Clone(s)
		out["type"] = []string{t, "null"}
		if enum, ok := s["enum"].([]any); ok {
			out["enum"] = append(append([]any{}, enum...), nil)
		}
		return out
	}
	return AnyOf(s, Schema{"type": "null"})
}

// Doc returns s with a description.
func (s Schema) Doc(text string) Schema { return s.With("description", text) }

// With returns s with one more keyword.
func (s Schema) With(keyword string, value any) Schema {
	out := maps.Clone(s)
	if out == nil {
		out = Schema{}
	}
	out[keyword] = value
	return out
}

// Of derives the schema of the JSON encoding of v's type: a struct is an
// object of its exported fields, named by their json tags, each required
// unless tagged omitempty, described by its `doc` tag and constrained by
// its `schema` tag (comma-separated keyword=value pairs, such as
// `schema:"minItems=2,maxItems=10"`; a numeric value is a number). A
// pointer is nullable; slices are arrays; maps with string keys are
// objects. Types with a MarshalJSON of their own must be described by hand.
func Of(v any) Schema { return ofType(reflect.TypeOf(v)) }

func ofType(t reflect.Type) Schema {
	switch t.Kind() {
	case reflect.Pointer:
		return Nullable(ofType(t.Elem()))
	case reflect.String:
		return String()
	case reflect.Bool:
		return Boolean()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return Integer()
	case reflect.Float32, reflect.Float64:
		return Number()
	case reflect.Slice, reflect.Array:
		return Array(ofType(t.Elem()))
	case reflect.Map:
		return MapOf(ofType(t.Elem()))
	case reflect.Struct:
		return ofStruct(t)
	}
	return Any()
}

func ofStruct(t reflect.Type) Schema {
	props := Props{}
	var required []string
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		s := ofType(f.Type)
		if doc := f.Tag.Get("doc"); doc != "" {
			s = s.Doc(doc)
		}
		for kv := range strings.SplitSeq(f.Tag.Get("schema"), ",") {
			k, v, ok := strings.Cut(kv, "=")
			if !ok {
				continue
			}
			if n, err := strconv.ParseFloat(v, 64); err == nil {
				s = s.With(k, n)
			} else {
				s = s.With(k, v)
			}
		}
		props[name] = s
		if !strings.Contains(opts, "omitempty") && !strings.Contains(opts, "omitzero") {
			required = append(required, name)
		}
	}
	return Object(props, required...)
}
