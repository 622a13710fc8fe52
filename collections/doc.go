package collections

import (
	"conflicto/activity"
	"conflicto/apidoc"
)

// What the collections' schemas cannot say about themselves, for the API
// reference (package openapi), beside the names it is about. Everything
// else (fields, types, required, selects, hidden fields, the API rules
// themselves) the reference reads from the running schema.

// ServerSet are the fields of a collection that only the server sets: a
// client that sends one non-empty (or changed, on update) gets 400
// read_only. The request hooks check these lists. Hidden fields (a quiz
// answer's score) are server-set too, by the strict-body check.
var ServerSet = map[string][]string{
	Sessions:   {SessionCode, SessionStartedAt, SessionEndedAt},
	Activities: {ActivityStartedAt, ActivityEndedAt},
	// Counted by the vote hooks; the question hooks refuse it sent on
	// create and changed on update (hooks/questions.go).
	Questions: {QuestionVoteCount},
}

// FieldWords say what the schema cannot about a field, by collection:
// who sets it, who sees it. They are added to the field's description in
// the record and the write schemas.
var FieldWords = map[string]map[string]string{
	Sessions: {SessionBlockedWords: "The host's own blocked words, checked like the server's default list, stored normalised as nicknames are (NFKC, trimmed, inner spaces collapsed) " +
		"in the order given; null or [] for none. Too many words, an empty one, one with control characters or too long, or two alike: 400 `invalid_blocked_words`."},
	Activities:   {ActivityNotes: "The host's speaker notes."},
	Participants: {ParticipantBanned: "Set by the host's ban (`POST /api/participants/{id}/ban`): a banned participant's token no longer works and their nickname cannot join the session again."},
	Questions: {
		QuestionVoteCount: "The number of upvotes, kept by the server.",
		QuestionParticipant: "The author. Shown to the session's host, to the author themself and, unless the Q&A is anonymous, to the session's participants. " +
			"A participant names themself on create (missing: 400 `validation_required`; another: 400 `forbidden_participant`); it never changes (400 `immutable`).",
		QuestionStatus: "Set by the server on create (`pending` in a moderated Q&A, `visible` otherwise; a participant who sends it: 400 `read_only`); the host moves it along the transitions in docs/API.md (400 `invalid_transition`).",
		QuestionPinned: "Set by the host (a participant who sends it on create: 400 `read_only`).",
	},
	QuestionVotes: {VoteActivity: "The question's activity, set by the server."},
}

// SentHidden are the hidden fields a client sends all the same: hidden
// so that no one filters on them, but the client's to name (the
// strict-body check lets them through: server/bodyfields.go).
var SentHidden = map[string][]string{
	Questions: {QuestionParticipant},
}

// ReadBy are the fields the server leaves out of a record for some
// readers (an enrich hook hides them), in words, by collection: the
// record schema does not require them.
var ReadBy = map[string]map[string]string{
	Sessions:   {SessionBlockedWords: "Present only for the session's owner (and superusers); a participant viewing their session does not get it."},
	Activities: {ActivityNotes: "Present only for the owner of the activity's session (and superusers), on every path (REST, realtime, custom routes)."},
}

// Operations of a collection's API rules, as the reference names them.
const (
	OpList   = "list"
	OpView   = "view"
	OpCreate = "create"
	OpUpdate = "update"
	OpDelete = "delete"
)

// RuleWords says in words who each API rule lets in (superusers always
// pass), by collection and operation; the rules themselves are in the
// migrations. A rule that is empty (anyone) or unset (superusers only)
// speaks for itself; any other rule needs its words here, or the
// reference's test fails.
var RuleWords = map[string]map[string]string{
	Users: {
		OpList:   "The user themself.",
		OpView:   "The user themself.",
		OpUpdate: "The user themself.",
		OpDelete: "The user themself; their sessions go with them (refused while one is active).",
	},
	Sessions: {
		OpList:   "The owner: a host sees their own sessions only.",
		OpView:   "The owner; a participant of this session.",
		OpCreate: "Any host; `owner` omitted, blank or themselves (the server sets it to the caller). Another owner: 400 `forbidden_owner`.",
		OpUpdate: "The owner, who cannot give the session away.",
		OpDelete: "The owner, when the session is not active (400 `session_active` otherwise, superusers too).",
	},
	Activities: {
		OpList:   "The owner of the activity's session.",
		OpView:   "The owner of the activity's session.",
		OpCreate: "The owner of the named session (without a token 401, a participant 403, no session 400 `validation_required`, another's 400 `validation_missing_rel_records`).",
		OpUpdate: "The owner of the activity's session.",
		OpDelete: "The owner of the activity's session.",
	},
	Participants: {
		OpList:   "The owner of the participant's session.",
		OpView:   "The owner of the participant's session; the participant themself.",
		OpDelete: "The owner of the participant's session (a kick; their answers go with them).",
	},
	Responses: {
		OpList:   "The participant, their own answers; the owner of the session, all of them.",
		OpView:   "The participant, their own answers; the owner of the session, all of them.",
		OpCreate: "A participant, for themselves, to an activity of their own session (without a token 401, not a participant 403, someone else's `participant` 400 `forbidden_participant`).",
		OpUpdate: "The participant who answered, with `activity` and `participant` unchanged (poll, poker and word cloud answers; quiz answers are final).",
	},
	Questions: {
		OpList:   "A participant of the activity's session: the visible and answered questions, and their own whatever their status; the owner of the session, all of them.",
		OpView:   "A participant of the activity's session: a visible or answered question, or their own; the owner of the session, any.",
		OpCreate: "A participant, for themselves, to a Q&A of their own session while it is active (409 `activity_not_active` otherwise, 400 `session_completed` once the session is completed; 400 `blocked_word`; 409 `question_limit` past the Q&A's limit).",
		OpUpdate: "The owner of the activity's session: `status` and `pinned` only (the text, the activity and the author are `immutable`).",
		OpDelete: "The author, withdrawing their question while the Q&A is active; the owner of the session, until the session is completed (400 `session_completed`).",
	},
	QuestionVotes: {
		OpList:   "The participant, their own upvotes; the owner of the question's session, all of them.",
		OpView:   "The participant, their own upvotes; the owner of the question's session, all of them.",
		OpCreate: "A participant, for themselves, on a visible question of someone else in their own session while the Q&A is active (409 `activity_not_active`; 400 `own_question`; 409 `question_not_visible`; 409 `already_voted`).",
		// The rule is superusers only, and the hooks refuse every update.
		OpUpdate: "No one in effect: an upvote never changes (400 `immutable`, superusers too); withdraw it (delete) and vote again.",
		OpDelete: "The participant, withdrawing their upvote while the Q&A is active.",
	},
}

// FieldSchemas are the shapes of the JSON fields, which the schema stores
// as any JSON and the activity types define, by collection and field.
func FieldSchemas() map[string]map[string]apidoc.Schema {
	var configs, values []apidoc.Schema
	for _, t := range activity.Schemas() {
		configs = append(configs, apidoc.Ref(TypeSchemaName(t.Type, "Config")))
		values = append(values, apidoc.Ref(TypeSchemaName(t.Type, "Value")))
	}
	return map[string]map[string]apidoc.Schema{
		Sessions: {SessionBlockedWords: apidoc.Nullable(apidoc.Array(apidoc.String()))},
		Activities: {ActivityConfig: apidoc.Nullable(apidoc.AnyOf(configs...)).Doc(
			"The type's config (one of the `*Config` schemas), validated and stored in canonical form with the defaults filled in; at most 64 KiB; null or absent: all defaults. Editable only while the activity is a draft.")},
		Responses: {ResponseValue: apidoc.AnyOf(values...).Doc(
			"The answer for the activity's type (one of the `*Value` schemas), validated and stored in canonical form; at most 16 KiB.")},
	}
}

// Computed are the members the server adds to a record on every read,
// which no schema field stores, by collection.
var Computed = map[string]apidoc.Props{
	Participants: {ParticipantPresence: apidoc.Enum(PresenceOnline, PresenceIdle, PresenceOffline).Doc(
		"Computed on read from `last_seen`: online (seen less than 30 s ago), idle (less than 120 s), offline.")},
}

// TypeSchemaName names an activity type's schema in the reference, such
// as PollConfig or WordcloudValue.
func TypeSchemaName(t activity.Type, part string) string {
	s := string(t)
	if s == "" {
		return part
	}
	return string(s[0]-'a'+'A') + s[1:] + part
}

// ResultsSchema is a results document (Results): the keys of the
// activity's type and the ones every results document has.
func ResultsSchema() apidoc.Schema {
	var types []activity.Type
	var byType []apidoc.Schema
	for _, t := range activity.Schemas() {
		types = append(types, t.Type)
		byType = append(byType, apidoc.Ref(TypeSchemaName(t.Type, "Results")))
	}
	base := apidoc.Object(apidoc.Props{
		"activity":  apidoc.String().Doc("The activity's id."),
		"type":      apidoc.Enum(types...),
		"status":    apidoc.Enum(ActivityDraft, ActivityActive, ActivityExpired),
		"revealed":  apidoc.Boolean(),
		"responses": apidoc.Integer().Doc("The number of responses."),
	}, "activity", "type", "status", "revealed", "responses")
	delete(base, "additionalProperties")
	return apidoc.AllOf(base, apidoc.AnyOf(byType...)).With("unevaluatedProperties", false).Doc(
		"An activity's results: the keys every type has and the type's own (one of the `*Results` schemas).")
}

// Defaulted are the required fields the server fills in when a create
// leaves them out (or blank), by collection.
var Defaulted = map[string][]string{
	Sessions:   {SessionOwner, SessionStatus},
	Activities: {ActivityStatus},
	Questions:  {QuestionStatus},
}
