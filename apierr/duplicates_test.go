package apierr

import (
	"slices"
	"testing"
)

func TestDuplicateMember(t *testing.T) {
	scenarios := []struct {
		body string
		want []string
	}{
		{`{"a":1,"b":2}`, nil},
		{`{"a":1,"a":2}`, []string{"a"}},
		{`{"config":{"options":["x"],"options":["y"]}}`, []string{"config", "options"}},
		{`{"value":{"choices":[1]},"other":{"choices":[2]}}`, nil},
		{`{"list":[{"k":1},{"k":2}]}`, nil},
		{`{"list":[{"k":1,"k":2}]}`, []string{"list", "k"}},
		{`{"a":{"b":{"c":1}},"a2":{"b":{"c":1,"d":{},"c":2}}}`, []string{"a2", "b", "c"}},
		{`{"s":"a","t":"a"}`, nil},
		{`{"a":`, nil},
		{`[1,2]`, nil},
	}
	for _, s := range scenarios {
		if got := duplicateMember([]byte(s.body)); !slices.Equal(got, s.want) {
			t.Errorf("%s: got %v, want %v", s.body, got, s.want)
		}
	}
}
