package server

import (
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
	"github.com/pocketbase/pocketbase/tools/security"

	c "conflicto/collections"
	"conflicto/memo"
)

// A phone sends its participant token with every answer and heartbeat.
// PocketBase's loadAuthToken reads the token's record from the database
// each time (a third of an answer's CPU); this middleware, just before
// it, checks a participant's token the same way — the claims, the type,
// the signature with the record's token key and the collection's secret,
// the expiry — against the participant kept in the memo, and sets e.Auth.
// Anything else (another collection's token, a token that fails here) is
// left to PocketBase's middleware, which then decides as before.

func registerParticipantAuth(app core.App) {
	app.OnServe().BindFunc(func(e *core.ServeEvent) error {
		e.Router.Bind(&hook.Handler[*core.RequestEvent]{
			Id:       "conflictoParticipantAuth",
			Priority: apis.DefaultLoadAuthTokenMiddlewarePriority - 1,
			Func:     loadParticipantAuth,
		})
		return e.Next()
	})
}

func loadParticipantAuth(e *core.RequestEvent) error {
	if e.Auth == nil {
		if r := participantOfToken(e.App, bearer(e.Request.Header.Get("Authorization"))); r != nil {
			e.Auth = r
		}
	}
	return e.Next()
}

// bearer is the token of an Authorization header, with or without the
// "Bearer " prefix, as PocketBase reads it.
func bearer(header string) string {
	if len(header) > 7 && strings.EqualFold(header[:7], "Bearer ") {
		return header[7:]
	}
	return header
}

// participantOfToken returns the participant a valid auth token is of, or
// nil (no token, not a participant's, or not valid). A token checked once
// (or issued by a join) is kept by the memo (memo/tokens.go) and is not
// parsed again while it stands.
func participantOfToken(app core.App, token string) *core.Record {
	if token == "" {
		return nil
	}
	m := memo.Of(app)
	t, known := m.Token(token)
	if known && !time.Now().Before(t.Expires) {
		m.ForgetToken(token) // the full check below decides
		known = false
	}
	if !known {
		claims, err := security.ParseUnverifiedJWT(token)
		if err != nil {
			return nil
		}
		t.ParticipantID, _ = claims[core.TokenClaimId].(string)
		t.CollectionID, _ = claims[core.TokenClaimCollectionId].(string)
		if typ, _ := claims[core.TokenClaimType].(string); typ != core.TokenTypeAuth || t.ParticipantID == "" || t.CollectionID == "" {
			return nil
		}
		exp, err := claims.GetExpirationTime()
		if err != nil || exp == nil {
			return nil // PocketBase's tokens all expire; the odd one is left to it
		}
		t.Expires = exp.Time
	}
	collection, err := app.FindCachedCollectionByNameOrId(t.CollectionID)
	if err != nil || collection.Name != c.Participants {
		return nil
	}
	r, err := m.Participant(app, t.ParticipantID)
	if err != nil {
		return nil
	}
	// A kept token stands only while what would sign it now is what
	// signed it: the participant's token key and the collection's secret.
	if known && t.TokenKey == r.TokenKey() && t.Secret == collection.AuthToken.Secret {
		return r
	}
	if _, err := security.ParseJWT(token, r.TokenKey()+collection.AuthToken.Secret); err != nil {
		if known {
			m.ForgetToken(token)
		}
		return nil
	}
	t.TokenKey, t.Secret = r.TokenKey(), collection.AuthToken.Secret
	m.KeepToken(token, t)
	return r
}
