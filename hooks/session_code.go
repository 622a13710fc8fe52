package hooks

import (
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"io"

	"github.com/pocketbase/pocketbase/core"

	c "conflicto/collections"
)

// codeAttempts is how many random codes are tried before giving up. With
// 32^6 ≈ 10^9 codes, even a million sessions make one retry a 1‰ event.
const codeAttempts = 5

// newSessionCode returns a join code no session has yet, drawn from random
// (crypto/rand when nil). Call it inside the transaction that inserts the
// session so that the check and the insert cannot be interleaved.
func newSessionCode(app core.App, random io.Reader) (string, error) {
	if random == nil {
		random = rand.Reader
	}
	for range codeAttempts {
		code, err := randomCode(random)
		if err != nil {
			return "", fmt.Errorf("generate session code: %w", err)
		}
		_, err = app.FindFirstRecordByData(c.Sessions, c.SessionCode, code)
		if errors.Is(err, sql.ErrNoRows) {
			return code, nil
		}
		if err != nil {
			return "", fmt.Errorf("look up session code: %w", err)
		}
	}
	return "", fmt.Errorf("no free session code after %d attempts", codeAttempts)
}

// randomCode draws c.CodeLength letters of c.CodeAlphabet uniformly:
// bytes at or above the largest multiple of the alphabet's size are
// rejected so that the modulo has no bias whatever the alphabet.
func randomCode(random io.Reader) (string, error) {
	n := len(c.CodeAlphabet)
	limit := 256 - 256%n
	code := make([]byte, 0, c.CodeLength)
	buf := make([]byte, c.CodeLength)
	for len(code) < c.CodeLength {
		if _, err := io.ReadFull(random, buf); err != nil {
			return "", err
		}
		for _, b := range buf {
			if int(b) < limit && len(code) < c.CodeLength {
				code = append(code, c.CodeAlphabet[int(b)%n])
			}
		}
	}
	return string(code), nil
}
