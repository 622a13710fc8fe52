package collections

import (
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"conflicto/activity"
)

// record is an in-memory record of a collection with json fields, enough
// for the typed records to read.
func record(name string, values map[string]any) *core.Record {
	col := core.NewBaseCollection(name)
	for field := range values {
		switch field {
		case ActivityConfig, ResponseValue:
			col.Fields.Add(&core.JSONField{Name: field})
		case ActivityPosition:
			col.Fields.Add(&core.NumberField{Name: field})
		default:
			col.Fields.Add(&core.TextField{Name: field})
		}
	}
	r := core.NewRecord(col)
	for k, v := range values {
		r.Set(k, v)
	}
	return r
}

// TestTypedRecords: each typed record reads its fields by the names the
// migrations give them.
func TestTypedRecords(t *testing.T) {
	p := AsParticipant(record(Participants, map[string]any{ParticipantSession: "s1", ParticipantNickname: "Ada"}))
	if p.SessionID() != "s1" || p.Nickname() != "Ada" {
		t.Fatalf("participant reads %q %q", p.SessionID(), p.Nickname())
	}
	r := AsResponse(record(Responses, map[string]any{ResponseActivity: "a1", ResponseParticipant: "p1", ResponseValue: `{"choices":[1]}`}))
	if r.ActivityID() != "a1" || r.ParticipantID() != "p1" || string(r.Value()) != `{"choices":[1]}` {
		t.Fatalf("response reads %q %q %s", r.ActivityID(), r.ParticipantID(), r.Value())
	}
	a := AsActivity(record(Activities, map[string]any{ActivityPosition: 3, ActivityType: "bingo", ActivityConfig: `""`}))
	if a.Position() != 3 || a.Config() != nil {
		t.Fatalf("activity reads position %d config %q", a.Position(), a.Config())
	}
	if _, err := a.Rules(); err == nil {
		t.Fatal("the rules of an unknown type parsed")
	}
	if rules, err := AsActivity(record(Activities, map[string]any{ActivityType: string(activity.Poker)})).Rules(); err != nil || rules.Type() != activity.Poker {
		t.Fatalf("poker rules: %v %v", rules, err)
	}
}

func TestRawJSON(t *testing.T) {
	r := record(Responses, map[string]any{ResponseValue: nil, "text": ""})
	scenarios := []struct {
		name string
		raw  any
		want string
	}{
		{"a JSON field's value", types.JSONRaw(`{"a":1}`), `{"a":1}`},
		{"bytes", []byte(`[1]`), `[1]`},
		{"a string", `"x"`, `"x"`},
		{"nothing", nil, ``},
		{"anything else, as its string", 42, `42`},
	}
	for _, s := range scenarios {
		r.SetRaw("text", s.raw)
		if got := string(RawJSON(r, "text")); got != s.want {
			t.Fatalf("%s: RawJSON = %q, want %q", s.name, got, s.want)
		}
	}
}

func TestKnownStates(t *testing.T) {
	for _, s := range []SessionState{SessionDraft, SessionActive, SessionCompleted} {
		if !SessionTransitions.Known(s) {
			t.Fatalf("%s is not known", s)
		}
	}
	if SessionTransitions.Known("paused") || ActivityTransitions.Known("paused") {
		t.Fatal("an unknown state is known")
	}
}
