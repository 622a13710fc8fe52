package apierr

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/pocketbase/pocketbase/tools/router"
)

// Duplicates refuses a JSON body that names a member twice in any object,
// at any depth: 400 with data.<top-level field>.code "duplicate_field".
// PocketBase 0.40 decodes bodies with encoding/json/v2, which refuses such a
// body with a bare "failed to load the submitted data" (and after a route
// has already acted on it, when the response is enriched); v0.39 let the
// last one win. It returns nil for a body without duplicates or that is not
// valid JSON (other checks report that).
func Duplicates(body []byte) *router.ApiError {
	path := duplicateMember(body)
	if path == nil {
		return nil
	}
	return BadRequest(path[0], "duplicate_field", fmt.Sprintf("The field %s appears more than once.", strings.Join(path, ".")))
}

// duplicateMember returns the path of the first member named twice in its
// object, or nil.
func duplicateMember(body []byte) []string {
	dec := json.NewDecoder(bytes.NewReader(body))
	type frame struct {
		object bool
		seen   map[string]bool
		key    string // the member whose value is being read
	}
	var stack []*frame
	path := func(last string) []string {
		var p []string
		for _, f := range stack[:len(stack)-1] {
			if f.object {
				p = append(p, f.key)
			}
		}
		return append(p, last)
	}
	expectKey := false
	for {
		tok, err := dec.Token()
		if err != nil {
			return nil
		}
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{':
				stack = append(stack, &frame{object: true, seen: map[string]bool{}})
				expectKey = true
				continue
			case '[':
				stack = append(stack, &frame{})
			case '}', ']':
				stack = stack[:len(stack)-1]
			}
		case string:
			if expectKey {
				top := stack[len(stack)-1]
				if top.seen[t] {
					return path(t)
				}
				top.seen[t] = true
				top.key = t
				expectKey = false
				continue
			}
		}
		// After a value: inside an object, the next token is a key.
		expectKey = len(stack) > 0 && stack[len(stack)-1].object
	}
}
