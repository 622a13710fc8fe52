package activity

import (
	"encoding/json"
	"strings"
	"testing"
)

// scenario is one config or answer case: want is the canonical JSON when the
// input is accepted; otherwise code is the expected error code and msg a
// fragment of its message (so a case cannot pass by failing for another reason).
type scenario struct {
	name   string
	config string
	value  string
	want   string
	code   string
	msg    string
}

func runConfigScenarios(t *testing.T, typ Type, scenarios []scenario) {
	t.Helper()
	for _, s := range scenarios {
		t.Run(s.name, func(t *testing.T) {
			got, err := NormalizeConfig(typ, []byte(s.config))
			checkResult(t, "config", got, err, s)
			if err == nil {
				again, err := NormalizeConfig(typ, got)
				if err != nil || string(again) != string(got) {
					t.Fatalf("canonical config is not a fixed point: %s -> %s, %v", got, again, err)
				}
			}
		})
	}
}

func runAnswerScenarios(t *testing.T, typ Type, serverBlocklist []string, scenarios []scenario) {
	t.Helper()
	for _, s := range scenarios {
		t.Run(s.name, func(t *testing.T) {
			config := mustConfig(t, typ, s.config)
			got, err := ValidateAnswer(typ, config, []byte(s.value), serverBlocklist)
			checkResult(t, "value", got, err, s)
			if err == nil {
				again, err := ValidateAnswer(typ, config, got, serverBlocklist)
				if err != nil || string(again) != string(got) {
					t.Fatalf("canonical value is not a fixed point: %s -> %s, %v", got, again, err)
				}
			}
		})
	}
}

func checkResult(t *testing.T, field string, got []byte, err *Error, s scenario) {
	t.Helper()
	if s.code == "" {
		if err != nil {
			t.Fatalf("expected %s, got error %v", s.want, err)
		}
		if string(got) != s.want {
			t.Fatalf("expected\n%s\ngot\n%s", s.want, got)
		}
		return
	}
	if err == nil {
		t.Fatalf("expected error %s, got %s", s.code, got)
	}
	if err.Field != field || err.Code != s.code {
		t.Fatalf("expected %s/%s, got %s/%s (%s)", field, s.code, err.Field, err.Code, err.Message)
	}
	if !strings.Contains(err.Message, s.msg) {
		t.Fatalf("expected message containing %q, got %q", s.msg, err.Message)
	}
}

func mustConfig(t testing.TB, typ Type, raw string) []byte {
	t.Helper()
	c, err := NormalizeConfig(typ, []byte(raw))
	if err != nil {
		t.Fatalf("config %s: %v", raw, err)
	}
	return c
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	return string(b)
}

func TestTypes(t *testing.T) {
	for _, typ := range Types() {
		if !Valid(typ) {
			t.Fatalf("%q should be valid", typ)
		}
	}
	for _, typ := range []Type{"", "Poll", "survey"} {
		if Valid(typ) {
			t.Fatalf("%q should not be valid", typ)
		}
	}
}

func TestInvalidType(t *testing.T) {
	if _, err := NormalizeConfig("survey", []byte(`{}`)); err == nil || err.Field != "type" || err.Code != "invalid_type" {
		t.Fatalf("NormalizeConfig: expected type/invalid_type, got %v", err)
	}
	if _, err := ValidateAnswer("survey", []byte(`{}`), []byte(`{}`), nil); err == nil || err.Code != "invalid_type" {
		t.Fatalf("ValidateAnswer: expected invalid_type, got %v", err)
	}
	if PublicConfig("survey", []byte(`{}`), true) != nil || Results("survey", []byte(`{}`), nil, nil, true) != nil {
		t.Fatal("expected nil public config and results for an unknown type")
	}
}

// TestStrictJSON covers the decoding rules shared by every type, on poker
// (whose config is valid empty) and quiz answers.
func TestStrictJSON(t *testing.T) {
	pad := func(s string, size int) string { return s + strings.Repeat(" ", size-len(s)) }
	runConfigScenarios(t, Poker, []scenario{
		{name: "empty is all defaults", config: ``, want: `{"deck":["0","1","2","3","5","8","13","21","?","☕"]}`},
		{name: "null is all defaults", config: `null`, want: `{"deck":["0","1","2","3","5","8","13","21","?","☕"]}`},
		{name: "exactly 64 KB", config: pad(`{"deck":["a","b"]}`, MaxConfigSize), want: `{"deck":["a","b"]}`},
		{name: "over 64 KB", config: pad(`{"deck":["a","b"]}`, MaxConfigSize+1), code: "config_too_large", msg: "at most 65536 bytes"},
		{name: "unknown field", config: `{"deck":["a","b"],"colour":"red"}`, code: "unknown_field", msg: `"colour"`},
		{name: "field in the wrong case", config: `{"Deck":["a","b"]}`, code: "unknown_field", msg: `"Deck"`},
		{name: "duplicate key", config: `{"deck":["a","b"],"deck":["c","d"]}`, code: "invalid_config", msg: "more than once"},
		{name: "malformed", config: `{"deck":`, code: "invalid_config", msg: "not valid JSON"},
		{name: "trailing data", config: `{} {}`, code: "invalid_config", msg: "not valid JSON"},
		{name: "invalid UTF-8", config: "{\"deck\":[\"a\xff\",\"b\"]}", code: "invalid_config", msg: "not valid JSON"},
		{name: "array", config: `[]`, code: "invalid_config", msg: "JSON object"},
		{name: "string", config: `"deck"`, code: "invalid_config", msg: "JSON object"},
		{name: "deck null", config: `{"deck":null}`, code: "invalid_config", msg: "list of strings"},
	})
	runAnswerScenarios(t, Quiz, nil, []scenario{
		{name: "exactly 16 KB", config: `{"options":["a","b"],"correct":0}`, value: pad(`{"choice":1}`, MaxValueSize), want: `{"choice":1}`},
		{name: "over 16 KB", config: `{"options":["a","b"],"correct":0}`, value: pad(`{"choice":1}`, MaxValueSize+1), code: "value_too_large", msg: "at most 16384 bytes"},
		{name: "empty", config: `{"options":["a","b"],"correct":0}`, value: ``, code: "invalid_value", msg: "required"},
		{name: "null", config: `{"options":["a","b"],"correct":0}`, value: `null`, code: "invalid_value", msg: "required"},
		{name: "not an object", config: `{"options":["a","b"],"correct":0}`, value: `1`, code: "invalid_value", msg: "JSON object"},
		{name: "duplicate key", config: `{"options":["a","b"],"correct":0}`, value: `{"choice":0,"choice":1}`, code: "invalid_value", msg: "more than once"},
		{name: "unknown field", config: `{"options":["a","b"],"correct":0}`, value: `{"choice":0,"score":1000}`, code: "unknown_field", msg: `"score"`},
	})
}

func TestInvalidStoredConfig(t *testing.T) {
	_, err := ValidateAnswer(Poll, []byte(`{"options":["a"]}`), []byte(`{"choices":[0]}`), nil)
	if err == nil || err.Field != "config" || err.Code != "invalid_config" {
		t.Fatalf("expected config/invalid_config, got %v", err)
	}
}

func TestResultsPublic(t *testing.T) {
	scenarios := []struct {
		typ      Type
		config   string
		revealed bool
		want     bool
	}{
		{Poll, `{"options":["a","b"]}`, false, true},
		{Poll, `{"options":["a","b"],"live_results":false}`, false, false},
		{Poll, `{"options":["a","b"],"live_results":false}`, true, true},
		{Poker, `{}`, false, false},
		{Poker, `{}`, true, true},
		{Quiz, `{"options":["a","b"],"correct":0}`, false, false},
		{Quiz, `{"options":["a","b"],"correct":0}`, true, true},
		{Wordcloud, `{}`, false, true},
		{Poll, `not json`, false, false},
		{Poll, `not json`, true, true},
	}
	for _, s := range scenarios {
		t.Run(string(s.typ)+" "+s.config, func(t *testing.T) {
			if got := ResultsPublic(s.typ, []byte(s.config), s.revealed); got != s.want {
				t.Fatalf("revealed=%v: expected %v, got %v", s.revealed, s.want, got)
			}
		})
	}
}

func TestErrorString(t *testing.T) {
	err := &Error{Field: "value", Code: "word_blocked", Message: "Word \"x\" is not allowed."}
	if got := err.Error(); got != `value: Word "x" is not allowed. (word_blocked)` {
		t.Fatalf("unexpected %q", got)
	}
}
