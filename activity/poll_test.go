package activity

import (
	"fmt"
	"strings"
	"testing"
)

// optionList returns the JSON list ["o1", ..., "on"].
func optionList(n int) string {
	opts := make([]string, n)
	for i := range opts {
		opts[i] = fmt.Sprintf("%q", fmt.Sprintf("o%d", i+1))
	}
	return "[" + strings.Join(opts, ",") + "]"
}

func TestPollConfig(t *testing.T) {
	long := strings.Repeat("é", 200)
	runConfigScenarios(t, Poll, []scenario{
		{name: "defaults", config: `{"options":["Yes","No"]}`, want: `{"options":["Yes","No"],"multiple":false,"max_choices":1,"live_results":true}`},
		{name: "multiple defaults max_choices to all", config: `{"options":["a","b","c"],"multiple":true}`, want: `{"options":["a","b","c"],"multiple":true,"max_choices":3,"live_results":true}`},
		{name: "multiple with max_choices", config: `{"options":["a","b","c"],"multiple":true,"max_choices":2,"live_results":false}`, want: `{"options":["a","b","c"],"multiple":true,"max_choices":2,"live_results":false}`},
		{name: "single with max_choices 1", config: `{"options":["a","b"],"multiple":false,"max_choices":1}`, want: `{"options":["a","b"],"multiple":false,"max_choices":1,"live_results":true}`},
		{name: "options trimmed", config: `{"options":["  Yes ","No\n"]}`, want: `{"options":["Yes","No"],"multiple":false,"max_choices":1,"live_results":true}`},
		{name: "html kept as is", config: `{"options":["<b>","&"]}`, want: `{"options":["<b>","&"],"multiple":false,"max_choices":1,"live_results":true}`},
		{name: "10 options", config: `{"options":` + optionList(10) + `}`, want: `{"options":` + optionList(10) + `,"multiple":false,"max_choices":1,"live_results":true}`},
		{name: "200 characters", config: `{"options":["` + long + `","b"]}`, want: `{"options":["` + long + `","b"],"multiple":false,"max_choices":1,"live_results":true}`},
		{name: "11 options", config: `{"options":` + optionList(11) + `}`, code: "invalid_config", msg: "between 2 and 10"},
		{name: "1 option", config: `{"options":["a"]}`, code: "invalid_config", msg: "between 2 and 10"},
		{name: "no options", config: `{"options":[]}`, code: "invalid_config", msg: "between 2 and 10"},
		{name: "options missing", config: `{}`, code: "invalid_config", msg: "Options are required"},
		{name: "options not a list", config: `{"options":"a,b"}`, code: "invalid_config", msg: "list of strings"},
		{name: "options not strings", config: `{"options":[1,2]}`, code: "invalid_config", msg: "list of strings"},
		{name: "options null", config: `{"options":null}`, code: "invalid_config", msg: "list of strings"},
		{name: "duplicate option", config: `{"options":["a","b","a"]}`, code: "invalid_config", msg: `"a" appears more than once`},
		{name: "duplicate after trimming", config: `{"options":["a"," a "]}`, code: "invalid_config", msg: `"a" appears more than once`},
		{name: "empty option", config: `{"options":["a",""]}`, code: "invalid_config", msg: "Option 2 is empty"},
		{name: "blank option", config: `{"options":["   ","a"]}`, code: "invalid_config", msg: "Option 1 is empty"},
		{name: "201 characters", config: `{"options":["a","` + long + `x"]}`, code: "invalid_config", msg: "longer than 200"},
		{name: "multiple not bool", config: `{"options":["a","b"],"multiple":"yes"}`, code: "invalid_config", msg: "Multiple must be true or false"},
		{name: "live_results not bool", config: `{"options":["a","b"],"live_results":1}`, code: "invalid_config", msg: "Live results must be true or false"},
		{name: "max_choices 2 when single", config: `{"options":["a","b"],"max_choices":2}`, code: "invalid_config", msg: "must be 1 when multiple is false"},
		{name: "max_choices 0", config: `{"options":["a","b"],"multiple":true,"max_choices":0}`, code: "invalid_config", msg: "between 1 and 2"},
		{name: "max_choices over options", config: `{"options":["a","b"],"multiple":true,"max_choices":3}`, code: "invalid_config", msg: "between 1 and 2"},
		{name: "max_choices fractional", config: `{"options":["a","b"],"multiple":true,"max_choices":1.5}`, code: "invalid_config", msg: "must be an integer"},
		{name: "max_choices exponent", config: `{"options":["a","b"],"multiple":true,"max_choices":1e400}`, code: "invalid_config", msg: "must be an integer"},
		{name: "max_choices string", config: `{"options":["a","b"],"multiple":true,"max_choices":"2"}`, code: "invalid_config", msg: "must be an integer"},
		{name: "max_choices null", config: `{"options":["a","b"],"multiple":true,"max_choices":null}`, code: "invalid_config", msg: "must be an integer"},
		{name: "unknown field", config: `{"options":["a","b"],"anonymous":true}`, code: "unknown_field", msg: `"anonymous"`},
	})
}

func TestPollAnswer(t *testing.T) {
	multi := `{"options":["a","b","c","d"],"multiple":true,"max_choices":2}`
	single := `{"options":["a","b","c"]}`
	runAnswerScenarios(t, Poll, nil, []scenario{
		{name: "single choice", config: single, value: `{"choices":[2]}`, want: `{"choices":[2]}`},
		{name: "first option", config: single, value: `{"choices":[0]}`, want: `{"choices":[0]}`},
		{name: "two choices sorted", config: multi, value: `{"choices":[3,0]}`, want: `{"choices":[0,3]}`},
		{name: "one of two", config: multi, value: `{"choices":[1]}`, want: `{"choices":[1]}`},
		{name: "more than max_choices", config: multi, value: `{"choices":[0,1,2]}`, code: "invalid_value", msg: "at most 2"},
		{name: "two when single", config: single, value: `{"choices":[0,1]}`, code: "invalid_value", msg: "at most 1"},
		{name: "none", config: multi, value: `{"choices":[]}`, code: "invalid_value", msg: "at least one"},
		{name: "duplicate", config: multi, value: `{"choices":[1,1]}`, code: "invalid_value", msg: "must not repeat option 1"},
		{name: "past the last option", config: multi, value: `{"choices":[4]}`, code: "invalid_value", msg: "from 0 to 3"},
		{name: "negative", config: multi, value: `{"choices":[-1]}`, code: "invalid_value", msg: "from 0 to 3"},
		{name: "fractional", config: multi, value: `{"choices":[1.5]}`, code: "invalid_value", msg: "from 0 to 3"},
		{name: "integral float", config: multi, value: `{"choices":[1.0]}`, code: "invalid_value", msg: "from 0 to 3"},
		{name: "string index", config: multi, value: `{"choices":["1"]}`, code: "invalid_value", msg: "from 0 to 3"},
		{name: "null index", config: multi, value: `{"choices":[null]}`, code: "invalid_value", msg: "from 0 to 3"},
		{name: "huge index", config: multi, value: `{"choices":[99999999999999999999]}`, code: "invalid_value", msg: "from 0 to 3"},
		{name: "not a list", config: multi, value: `{"choices":1}`, code: "invalid_value", msg: "list of option indexes"},
		{name: "choices null", config: multi, value: `{"choices":null}`, code: "invalid_value", msg: "list of option indexes"},
		{name: "choices missing", config: multi, value: `{}`, code: "invalid_value", msg: "Choices are required"},
		{name: "quiz shape", config: multi, value: `{"choice":1}`, code: "unknown_field", msg: `"choice"`},
		{name: "extra field", config: multi, value: `{"choices":[1],"comment":"hi"}`, code: "unknown_field", msg: `"comment"`},
	})
}

func TestPollResults(t *testing.T) {
	config := mustConfig(t, Poll, `{"options":["a","b","c","d"],"multiple":true,"max_choices":2}`)
	scenarios := []struct {
		name   string
		groups []Group
		want   string
	}{
		{"no responses", nil, `{"counts":[0,0,0,0],"voters":0}`},
		{
			"multiple choice",
			[]Group{
				{Value: []byte(`{"choices":[0,2]}`), Count: 3},
				{Value: []byte(`{"choices":[1]}`), Count: 2},
				{Value: []byte(`{"choices":[0]}`), Count: 1},
			},
			`{"counts":[4,2,3,0],"voters":6}`,
		},
		{
			"broken groups skipped",
			[]Group{
				{Value: []byte(`{"choices":[3]}`), Count: 1},
				{Value: []byte(`garbage`), Count: 5},
				{Value: []byte(`{"choices":[9]}`), Count: 1},
				{Value: []byte(`{"choices":[1]}`), Count: 0},
			},
			`{"counts":[0,0,0,1],"voters":2}`,
		},
	}
	for _, s := range scenarios {
		t.Run(s.name, func(t *testing.T) {
			for _, revealed := range []bool{false, true} {
				if got := mustJSON(t, Results(Poll, config, s.groups, nil, revealed)); got != s.want {
					t.Fatalf("revealed=%v: expected %s, got %s", revealed, s.want, got)
				}
			}
		})
	}
}

func TestPollPublicConfig(t *testing.T) {
	config := mustConfig(t, Poll, `{"options":["a","b"],"live_results":false}`)
	want := `{"live_results":false,"max_choices":1,"multiple":false,"options":["a","b"]}`
	if got := mustJSON(t, PublicConfig(Poll, config, false)); got != want {
		t.Fatalf("expected %s, got %s", want, got)
	}
}
