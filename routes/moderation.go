package routes

import (
	"strings"

	"github.com/pocketbase/pocketbase/core"

	"conflicto/apierr"
	c "conflicto/collections"
	"conflicto/memo"
	"conflicto/wordfilter"
)

// moderateJoin refuses a join (and answers a join check) for a device the
// session's host banned, and a nickname that holds a blocked word (the
// server's default list and the session's own). It runs after the
// nickname is normalised and the session found.
//
// A banned participant's token no longer authenticates anyone (see
// server/tokens.go), but it still proves which participant it was issued
// to: PocketBase checks its signature and expiry here as for any request.
// The phone page keeps the token it had when it was removed and sends it
// with a join (Authorization), so a banned phone cannot come back under
// another nickname for as long as that token would have lived (12 hours
// from its last refresh). A device that sends no token (cleared storage,
// another browser) cannot be told apart from a newcomer; the banned
// nickname's key stays taken in the session all the same.
func moderateJoin(e *core.RequestEvent, session memo.Session, in joinInput) error {
	if bannedDevice(e, session.ID) {
		return apierr.Forbidden("code", "banned", "The host removed you from this session; you cannot join it again.")
	}
	if wordfilter.Blocked(in.nickname, session.BlockedWords) {
		return apierr.BadRequest(c.ParticipantNickname, wordfilter.Code, wordfilter.NicknameMessage)
	}
	return nil
}

// bannedDevice reports whether the request carries the token of a banned
// participant of the session. A token that does not verify, or belongs to
// anyone else, says nothing.
func bannedDevice(e *core.RequestEvent, sessionID string) bool {
	token := strings.TrimSpace(e.Request.Header.Get("Authorization"))
	token = strings.TrimSpace(strings.TrimPrefix(token, "Bearer "))
	if token == "" {
		return false
	}
	record, err := e.App.FindAuthRecordByToken(token, core.TokenTypeAuth)
	if err != nil {
		return false
	}
	return c.IsBanned(record) && record.GetString(c.ParticipantSession) == sessionID
}
