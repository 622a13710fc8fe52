package activity

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// object is a decoded JSON object: the raw value of each key present, and the
// record field ("config" or "value") its errors are reported on.
type object struct {
	field string
	m     map[string]json.RawMessage
}

// decodeObject parses raw as one JSON object whose keys are all in allowed,
// each at most once. Strictness matters more than convenience here:
// encoding/json would silently accept duplicate keys, keys in the wrong case
// and invalid UTF-8. An empty raw or null is an empty config but a missing value.
func decodeObject(raw []byte, field string, allowed ...string) (object, *Error) {
	o := object{field: field, m: map[string]json.RawMessage{}}
	name := strings.ToUpper(field[:1]) + field[1:]
	if t := bytes.TrimSpace(raw); len(t) == 0 || string(t) == "null" {
		if field == "config" {
			return o, nil
		}
		return o, o.invalid("%s is required.", name)
	}
	if !utf8.Valid(raw) || !json.Valid(raw) {
		return o, o.invalid("%s is not valid JSON.", name)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return o, o.invalid("%s must be a JSON object.", name)
	}
	for dec.More() {
		tok, err := dec.Token()
		key, ok := tok.(string)
		if err != nil || !ok {
			return o, o.invalid("%s is not valid JSON.", name)
		}
		if !slices.Contains(allowed, key) {
			return o, &Error{Field: field, Code: "unknown_field", Message: fmt.Sprintf("Unknown field %q.", key)}
		}
		if _, dup := o.m[key]; dup {
			return o, o.invalid("Field %q appears more than once.", key)
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return o, o.invalid("%s is not valid JSON.", name)
		}
		o.m[key] = v
	}
	return o, nil
}

// invalid returns the field's generic error (invalid_config or invalid_value).
func (o object) invalid(format string, args ...any) *Error {
	return &Error{Field: o.field, Code: "invalid_" + o.field, Message: fmt.Sprintf(format, args...)}
}

// intIn reads an optional integer in min..max, def when absent.
func (o object) intIn(key, label string, def, lo, hi int) (int, *Error) {
	raw, ok := o.m[key]
	if !ok {
		return def, nil
	}
	n, ok := jsonInt(raw)
	if !ok {
		return 0, o.invalid("%s must be an integer.", label)
	}
	if n < lo || n > hi {
		return 0, o.invalid("%s must be between %d and %d.", label, lo, hi)
	}
	return n, nil
}

// boolOr reads an optional boolean, def when absent.
func (o object) boolOr(key, label string, def bool) (bool, *Error) {
	raw, ok := o.m[key]
	if !ok {
		return def, nil
	}
	switch string(raw) {
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return false, o.invalid("%s must be true or false.", label)
}

// texts reads a list of lo..hi distinct, trimmed, non-empty strings of at most
// maxLen characters. ok is false when the key is absent.
func (o object) texts(key, plural, singular string, lo, hi, maxLen int) (list []string, ok bool, err *Error) {
	raw, ok := o.m[key]
	if !ok {
		return nil, false, nil
	}
	items, isList := jsonList(raw)
	if !isList {
		return nil, true, o.invalid("%s must be a list of strings.", plural)
	}
	if len(items) < lo || len(items) > hi {
		return nil, true, o.invalid("%s must have between %d and %d entries.", plural, lo, hi)
	}
	list = make([]string, len(items))
	for i, item := range items {
		s, isString := jsonString(item)
		if !isString {
			return nil, true, o.invalid("%s must be a list of strings.", plural)
		}
		s = strings.TrimSpace(s)
		switch {
		case s == "":
			return nil, true, o.invalid("%s %d is empty.", singular, i+1)
		case utf8.RuneCountInString(s) > maxLen:
			return nil, true, o.invalid("%s %d is longer than %d characters.", singular, i+1, maxLen)
		case slices.Contains(list[:i], s):
			return nil, true, o.invalid("%s %q appears more than once.", singular, s)
		}
		list[i] = s
	}
	return list, true, nil
}

// index reads a required option index: an integer in 0..n-1.
func (o object) index(key, label string, n int) (int, *Error) {
	raw, ok := o.m[key]
	if !ok {
		return 0, o.invalid("%s is required.", label)
	}
	i, ok := jsonInt(raw)
	if !ok || i < 0 || i >= n {
		return 0, o.invalid("%s must be an option index from 0 to %d.", label, n-1)
	}
	return i, nil
}

// indexes reads a list of distinct option indexes in 0..n-1, sorted
// ascending. The caller checks how many there may be.
func (o object) indexes(raw json.RawMessage, label string, n int) ([]int, *Error) {
	items, ok := jsonList(raw)
	if !ok {
		return nil, o.invalid("%s must be a list of option indexes.", label)
	}
	list := make([]int, 0, len(items))
	for _, item := range items {
		i, ok := jsonInt(item)
		if !ok || i < 0 || i >= n {
			return nil, o.invalid("%s must be option indexes from 0 to %d.", label, n-1)
		}
		if slices.Contains(list, i) {
			return nil, o.invalid("%s must not repeat option %d.", label, i)
		}
		list = append(list, i)
	}
	slices.Sort(list)
	return list, nil
}

// jsonInt accepts only an integer literal: 1.5, 1e2 and 1e400 are not
// integers here, nor is anything that does not fit an int.
func jsonInt(raw json.RawMessage) (int, bool) {
	s := string(raw)
	if s == "" || strings.ContainsAny(s, ".eE") || (s[0] != '-' && (s[0] < '0' || s[0] > '9')) {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}

func jsonString(raw json.RawMessage) (string, bool) {
	var s string
	if len(raw) == 0 || raw[0] != '"' || json.Unmarshal(raw, &s) != nil {
		return "", false
	}
	return s, true
}

func jsonList(raw json.RawMessage) ([]json.RawMessage, bool) {
	var items []json.RawMessage
	if len(raw) == 0 || raw[0] != '[' || json.Unmarshal(raw, &items) != nil {
		return nil, false
	}
	return items, true
}

// marshal encodes v without HTML escaping (which would grow "<" sixfold).
// v is built here from strings, ints and bools, so encoding cannot fail.
func marshal(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic(fmt.Sprintf("activity: marshal %T: %v", v, err))
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}
