package memo

import (
	"sync"
	"time"
)

// Token is what a participant's auth token says and what its signature
// was checked against. A phone sends the same token with every answer and
// heartbeat; parsing it and verifying its signature each time (claims,
// then the signature) was a tenth of an answer's CPU. The token string is
// the key, so a kept Token stands for the very bytes that were checked;
// server/participant_auth.go still checks, on every use, that it has not
// expired and that the participant's token key and the collection's
// secret are still those it was signed with (a kick, a new token key or
// a new secret ends it at once).
type Token struct {
	ParticipantID string
	CollectionID  string
	Expires       time.Time // at most the token's own exp
	TokenKey      string    // the participant's, when it was signed
	Secret        string    // the collection's, when it was signed
}

// maxTokens bounds the kept tokens (a few hundred bytes each): more than
// a 5,000-seat hall's phones with two tokens each around a refresh. When
// full, the set starts over.
const maxTokens = 16_384

type tokens struct {
	mu sync.RWMutex
	m  map[string]Token
}

// Token returns what was kept for token.
func (m *Memo) Token(token string) (Token, bool) {
	if m == nil {
		return Token{}, false
	}
	m.tokens.mu.RLock()
	defer m.tokens.mu.RUnlock()
	t, ok := m.tokens.m[token]
	return t, ok
}

// KeepToken keeps t for token, whose signature the caller has checked
// against t.TokenKey and t.Secret (or has just signed with them).
func (m *Memo) KeepToken(token string, t Token) {
	if m == nil {
		return
	}
	m.tokens.mu.Lock()
	defer m.tokens.mu.Unlock()
	if m.tokens.m == nil || len(m.tokens.m) >= maxTokens {
		m.tokens.m = map[string]Token{}
	}
	m.tokens.m[token] = t
}

// ForgetToken drops what was kept for token.
func (m *Memo) ForgetToken(token string) {
	if m == nil {
		return
	}
	m.tokens.mu.Lock()
	defer m.tokens.mu.Unlock()
	delete(m.tokens.m, token)
}
