package hooks

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"conflicto/apierr"
	c "conflicto/collections"
	"conflicto/memo"
	"conflicto/wordfilter"
)

// The word filter (package wordfilter) on the record paths: a session's
// own blocked words are validated and stored normalised, and a nickname
// saved other than by a join (superusers, Go code) passes the filter as a
// join's does (routes/join.go). Word-cloud answers pass it in
// prepareResponse.

// cleanBlockedWords validates a session's blocked_words and stores them
// normalised: a JSON list of strings within wordfilter's limits. null or
// a missing value is an empty list.
func cleanBlockedWords(r *core.Record) error {
	raw := c.RawJSON(r, c.SessionBlockedWords)
	var words []string
	if len(raw) > 0 && string(raw) != "null" {
		if err := json.Unmarshal(raw, &words); err != nil {
			return apierr.Invalid(c.SessionBlockedWords, "invalid_blocked_words", "Blocked words must be a list of strings.")
		}
	}
	clean, err := wordfilter.CleanList(words)
	if err != nil {
		return apierr.Invalid(c.SessionBlockedWords, "invalid_blocked_words", err.Error())
	}
	out, _ := json.Marshal(clean) // a list of strings always marshals
	r.Set(c.SessionBlockedWords, types.JSONRaw(out))
	return nil
}

// sessionBlockedWords reads a session's own blocked words, from the memo
// (which reads the database inside a transaction).
func sessionBlockedWords(app core.App, sessionID string) ([]string, error) {
	session, err := memo.Of(app).Session(app, sessionID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil // the relation check answers for a missing session
	}
	if err != nil {
		return nil, fmt.Errorf("blocked words of session %s: %w", sessionID, err)
	}
	return session.BlockedWords, nil
}

// filterNickname refuses a nickname that holds a blocked word, on create
// and when the nickname changes (a ban saves the record unchanged: a word
// the host added later does not undo it). oldKey is "" on create.
func filterNickname(app core.App, r *core.Record, oldKey string) error {
	if oldKey != "" && r.GetString(c.ParticipantNicknameKey) == oldKey {
		return nil
	}
	return FilterText(app, r.GetString(c.ParticipantSession), c.ParticipantNickname, r.GetString(c.ParticipantNickname), wordfilter.NicknameMessage)
}

// FilterText refuses text (the value of field) when it holds a word of the
// server's default list or of the session's own blocked words: 400
// data.<field>.code = "blocked_word" with message. It is the one call a
// record rule needs to filter a text of a session, such as a question's:
//
//	if err := FilterText(e.App, sessionID, "text", text, "This question contains a blocked word."); err != nil {
//		return err
//	}
func FilterText(app core.App, sessionID, field, text, message string) error {
	words, err := sessionBlockedWords(app, sessionID)
	if err != nil {
		return apierr.ServerFault(err)
	}
	if wordfilter.Blocked(text, words) {
		return apierr.Invalid(field, wordfilter.Code, message)
	}
	return nil
}

// hideBlockedWords keeps a session's blocked words to its owner (and
// superusers): a participant may view their session's record, and the
// list is the host's tool, not the audience's reading.
func hideBlockedWords(e *core.RecordEnrichEvent) error {
	info := e.RequestInfo
	owner := info != nil && info.Auth != nil &&
		(info.Auth.IsSuperuser() || (info.Auth.Collection().Name == c.Users && info.Auth.Id == e.Record.GetString(c.SessionOwner)))
	if !owner {
		e.Record.Hide(c.SessionBlockedWords)
	}
	return e.Next()
}
