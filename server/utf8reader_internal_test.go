package server

import (
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

func TestUTF8Reader(t *testing.T) {
	long := strings.Repeat("é🦊a", 3000) // longer than the buffer, characters cut at every boundary
	scenarios := []struct {
		name, in string
		valid    bool
	}{
		{"empty", "", true},
		{"ascii", `{"a":1}`, true},
		{"multibyte", `{"név":"🦊 ümlaut"}`, true},
		{"long", long, true},
		{"invalid in a string", "{\"a\":\"\xff\"}", false},
		{"invalid between values", "{\"a\":1}\xff", false},
		{"truncated at the end", "ab\xc3", false},
		{"encoded surrogate", "\xed\xa0\x80", false},
		{"invalid after a long valid run", long + "\xfe", false},
	}
	readers := map[string]func(string) io.Reader{
		"whole":        func(s string) io.Reader { return strings.NewReader(s) },
		"one byte":     func(s string) io.Reader { return iotest.OneByteReader(strings.NewReader(s)) },
		"half":         func(s string) io.Reader { return iotest.HalfReader(strings.NewReader(s)) },
		"data and EOF": func(s string) io.Reader { return iotest.DataErrReader(strings.NewReader(s)) },
	}
	for _, s := range scenarios {
		for rname, mk := range readers {
			u := &utf8Reader{r: mk(s.in)}
			// Read in awkward sizes too: 1 byte, then 3, then 7...
			var got []byte
			var err error
			for size := 1; ; size = min(size*2+1, 5000) {
				p := make([]byte, size)
				n, rerr := u.Read(p)
				got = append(got, p[:n]...)
				if rerr != nil {
					err = rerr
					break
				}
			}
			if s.valid {
				if err != io.EOF || string(got) != s.in {
					t.Errorf("%s/%s: err %v, %d of %d bytes passed through", s.name, rname, err, len(got), len(s.in))
				}
			} else if !errors.Is(err, errInvalidUTF8) {
				t.Errorf("%s/%s: err %v, want errInvalidUTF8", s.name, rname, err)
			}
		}
	}
}
