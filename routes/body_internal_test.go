package routes

import "testing"

// jsonKind names a Go destination kind the way a client thinks of JSON.
func TestJSONKind(t *testing.T) {
	for goKind, want := range map[string]string{
		"string": "string", "slice": "list", "array": "list", "bool": "boolean",
		"map": "object", "struct": "object", "int": "number", "float64": "number",
	} {
		if got := jsonKind(goKind); got != want {
			t.Fatalf("jsonKind(%q) = %q, want %q", goKind, got, want)
		}
	}
}
