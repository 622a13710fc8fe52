package server

import (
	"errors"
	"io"
	"unicode/utf8"
)

// errInvalidUTF8 is what utf8Reader answers for a body that is not UTF-8.
var errInvalidUTF8 = errors.New("invalid UTF-8")

// utf8Reader passes a stream through in chunks of its buffer, failing with
// errInvalidUTF8 once it meets bytes that are not UTF-8, anywhere: in
// strings (which the JSON decoder checks too) and between values (where the
// decoder would only see a bad character). A character cut in two by a read
// is held back until the next read completes it.
type utf8Reader struct {
	r    io.Reader
	buf  [4 << 10]byte
	out  []byte // checked bytes not handed out yet, in buf
	head [utf8.UTFMax]byte
	cut  int   // bytes of head: the start of a character the last read cut
	err  error // sticky, handed out once out is empty
}

// Read implements io.Reader.
func (u *utf8Reader) Read(p []byte) (int, error) {
	for len(u.out) == 0 {
		if u.err != nil {
			return 0, u.err
		}
		k := copy(u.buf[:], u.head[:u.cut])
		m, err := u.r.Read(u.buf[k:])
		n := k + m
		end := n
		if err == nil {
			end = completeEnd(u.buf[:n])
		}
		if !utf8.Valid(u.buf[:end]) {
			u.err = errInvalidUTF8
			return 0, u.err
		}
		u.cut = copy(u.head[:], u.buf[end:n])
		u.out = u.buf[:end]
		u.err = err // at the end (err != nil) nothing is held back
	}
	n := copy(p, u.out)
	u.out = u.out[n:]
	return n, nil
}

// completeEnd is where b ends once an incomplete character at its end is
// left out.
func completeEnd(b []byte) int {
	for i := len(b) - 1; i >= 0 && i > len(b)-utf8.UTFMax; i-- {
		if utf8.RuneStart(b[i]) {
			if !utf8.FullRune(b[i:]) {
				return i
			}
			break
		}
	}
	return len(b)
}
