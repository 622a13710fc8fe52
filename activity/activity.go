// Package activity is the one place that knows the rules of the activity
// types (poll, poker, quiz, wordcloud, qa): Parse reads a type and its config once
// into a Rules value, which validates answers, scores them, tells the answer
// deadline, whether answers are final and rounds resettable, what is public
// before reveal, and builds results from grouped responses. Nothing outside
// this package branches on a type. It is pure Go, without PocketBase, so the
// hooks stay thin and the rules are tested without a database.
//
// Adding a type is one file here (its config type and parse function) plus its
// line in the registry (rules.go) and its value in the activities.type select
// field (a migration).
//
// Configs and values are strict JSON objects: invalid UTF-8, a duplicate key, a
// key the type does not define, a wrong JSON type, a fractional or
// out-of-range number where an integer is expected, or a null are all errors,
// never silently fixed up. Absent optional fields take their defaults.
//
// Error codes (Error.Code) by the record field they are reported on (Error.Field):
//
//	field   code              when
//	type    invalid_type      the type is not one of Types()
//	config  config_too_large  the config is over MaxConfigSize bytes
//	config  unknown_field     the config has a field the type does not define
//	config  invalid_config    anything else wrong with the config; Message says what
//	value   value_too_large   the value is over MaxValueSize bytes
//	value   unknown_field     the value has a field the type does not define
//	value   invalid_value     anything else wrong with the value; Message says what
//	value   too_many_words    wordcloud: more words than max_words
//	value   word_length       wordcloud: a word longer than max_length characters
//	value   word_blocked      wordcloud: a word on the config's, the session's or the server's list
//	value   questions_only    qa: a Q&A takes questions, not answers
//	text    text_required     qa: the question is empty
//	text    text_too_long     qa: the question is longer than max_length characters
//	text    text_invalid      qa: control characters, invalid UTF-8, nothing visible
//	activity questions_unsupported  a question to an activity that takes none
package activity

import "fmt"

// Type is an activity type, as stored in the activities.type field.
type Type string

// The activity types.
const (
	Poll      Type = "poll"
	Poker     Type = "poker"
	Quiz      Type = "quiz"
	Wordcloud Type = "wordcloud"
	QA        Type = "qa"
)

// Size limits of the raw JSON of a config and of a response value.
const (
	MaxConfigSize = 64 << 10
	MaxValueSize  = 16 << 10
)

// Types lists every activity type, in a fixed order.
func Types() []Type {
	out := make([]Type, len(registry))
	for i, e := range registry {
		out[i] = e.typ
	}
	return out
}

// Valid reports whether t is one of Types().
func Valid(t Type) bool { return specOf(t) != nil }

// Error is a client error: Field is the record field to report it on
// ("config" or "value"; "type" for an unknown type), Code a stable snake_case
// code from the table in the package comment, and Message a sentence-case
// message saying what is wrong.
type Error struct {
	Field, Code, Message string
}

// Error implements the error interface.
func (e *Error) Error() string {
	return e.Field + ": " + e.Message + " (" + e.Code + ")"
}

// Group is one distinct canonical response value and how many responses carry it.
type Group struct {
	Value []byte
	Count int
}

// NamedAnswer is one participant's canonical answer with their nickname:
// what results that name who answered what (a revealed poker round) read.
type NamedAnswer struct {
	Nickname string `db:"nickname"`
	Value    []byte `db:"value"`
}

// NormalizeConfig validates a raw JSON config for type t and returns the
// canonical JSON with every default filled in. An empty raw config or JSON
// null counts as {} (all defaults). Option texts and cards are stored trimmed,
// blocklist words normalised like nicknames, quiz "correct" as a sorted list.
func NormalizeConfig(t Type, raw []byte) ([]byte, *Error) {
	if len(raw) > MaxConfigSize {
		return nil, configTooLarge()
	}
	r, err := Parse(t, raw)
	if err != nil {
		return nil, err
	}
	out := r.Config()
	if len(out) > MaxConfigSize { // escaping can grow the text
		return nil, configTooLarge()
	}
	return out, nil
}

func configTooLarge() *Error {
	return &Error{Field: "config", Code: "config_too_large", Message: fmt.Sprintf("Config must be at most %d bytes.", MaxConfigSize)}
}
