package server

import (
	"strings"

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
// nil (no token, not a participant's, or not valid).
func participantOfToken(app core.App, token string) *core.Record {
	if token == "" {
		return nil
	}
	claims, err := security.ParseUnverifiedJWT(token)
	if err != nil {
		return nil
	}
	id, _ := claims[core.TokenClaimId].(string)
	collectionID, _ := claims[core.TokenClaimCollectionId].(string)
	if typ, _ := claims[core.TokenClaimType].(string); typ != core.TokenTypeAuth || id == "" || collectionID == "" {
		return nil
	}
	collection, err := app.FindCachedCollectionByNameOrId(collectionID)
	if err != nil || collection.Name != c.Participants {
		return nil
	}
	r, err := memo.Of(app).Participant(app, id)
	if err != nil {
		return nil
	}
	if _, err := security.ParseJWT(token, r.TokenKey()+collection.AuthToken.Secret); err != nil {
		return nil
	}
	return r
}
