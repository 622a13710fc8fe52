package live

import (
	"maps"

	"conflicto/activity"
	"conflicto/apidoc"
	c "conflicto/collections"
)

// DocumentSchema is the public live document (liveDoc), for the API
// reference: what GET /api/live/{code} answers and the topic live/{code}
// sends.
func DocumentSchema() apidoc.Schema {
	var types []activity.Type
	var public []apidoc.Schema
	for _, t := range activity.Schemas() {
		types = append(types, t.Type)
		public = append(public, apidoc.Ref(c.TypeSchemaName(t.Type, "Public")))
	}
	base := apidoc.Object(apidoc.Props{
		"id":         apidoc.String(),
		"type":       apidoc.Enum(types...),
		"title":      apidoc.String(),
		"position":   apidoc.Integer().Doc("1..of."),
		"of":         apidoc.Integer().Doc("The number of the session's activities, drafts included."),
		"status":     apidoc.Enum(c.ActivityActive, c.ActivityExpired),
		"started_at": apidoc.Nullable(apidoc.String()),
		"deadline":   apidoc.Nullable(apidoc.String()).Doc("A quiz's started_at + time_limit_s; null for the other types."),
		"revealed":   apidoc.Boolean(),
		"answered":   apidoc.Integer().Doc("How many answered, for every type and before any reveal."),
	}, "id", "type", "title", "position", "of", "status", "started_at", "deadline", "revealed", "answered")
	delete(base, "additionalProperties")
	act := apidoc.AllOf(base, apidoc.AnyOf(public...)).With("unevaluatedProperties", false)

	doc := apidoc.Of(liveDoc{})
	props := doc["properties"].(apidoc.Props)
	session := apidoc.Of(liveSession{})
	session["properties"].(apidoc.Props)["status"] = apidoc.Enum(c.SessionDraft, c.SessionActive, c.SessionCompleted)
	props["session"] = session.Doc("`join_url` is CONFLICTO_PUBLIC_URL + \"/join/\" + code, or origin-relative (\"/join/CODE\") when it is not set.")
	props["activity"] = apidoc.Nullable(act).Doc("The current activity: the active one, else the one that ended last, else null; drafts never show. Its type's public config keys beside these (one of the `*Public` schemas); never a quiz's `correct` before the reveal, never a word cloud's blocklist.")
	props["results"] = apidoc.Nullable(apidoc.Ref("Results")).Doc("The current activity's results when they are public, else null.")
	props["leaderboard"] = apidoc.Nullable(apidoc.Array(apidoc.Ref("LeaderboardEntry"))).Doc("When the current activity is a revealed quiz, or the session is completed and a quiz was revealed: the top 10 over the revealed quizzes. Else null.")
	props["version"] = props["version"].Doc("Grows with every change of the document (seeded from a microsecond clock, so across restarts too).")
	return doc.Doc("The public live state of a session, safe for anyone holding the join code.")
}

// WithMeSchema is the live document as GET /api/live/{code} answers it: a
// participant of the session also gets `me`.
func WithMeSchema() apidoc.Schema {
	doc := DocumentSchema()
	props := maps.Clone(doc["properties"].(apidoc.Props))
	props["me"] = MeSchema().Doc("Only for a participant of this session.")
	return doc.With("properties", props)
}

// MeSchema is what GET /api/live/{code} adds for a participant of the
// session (liveMe in package routes).
func MeSchema() apidoc.Schema {
	return apidoc.Object(apidoc.Props{
		"id":       apidoc.String(),
		"nickname": apidoc.String(),
		"answer":   apidoc.Any().Doc("The canonical value of their answer to the current activity (one of the `*Value` schemas), or null."),
		"standing": apidoc.Nullable(apidoc.Object(apidoc.Props{
			"rank":    apidoc.Integer().With("minimum", 1).Doc("Their position on the board (from 1; no two share one)."),
			"score":   apidoc.Integer().Doc("As on the leaderboard."),
			"correct": apidoc.Integer().Doc("As on the leaderboard."),
			"of":      apidoc.Integer().Doc("The number of participants ranked."),
		}, "rank", "score", "correct", "of")).Doc("Their own place on the leaderboard whenever the document shows one (`leaderboard` not null), for every participant, not only the top 10; null otherwise."),
	}, "id", "nickname", "answer", "standing")
}

// TopicDoc describes the realtime topic live/{code} (topic.go, deliver.go,
// coalesce.go) for the API reference.
const TopicDoc = "**Topic `live/{code}`.** Subscribe through PocketBase's realtime (`GET /api/realtime`, then `POST /api/realtime` with " +
	"`{\"clientId\": ..., \"subscriptions\": [\"live/AB23CD\"]}`; the JS SDK: `pb.realtime.subscribe('live/AB23CD', cb)`). No auth needed. " +
	"Each message is an event named as the topic was subscribed, whose data is the `LiveDocument` (never `me`).\n\n" +
	"- **Welcome:** right after a subscribe, the current document, so a client arriving at any moment (a reconnect included) starts from the state.\n" +
	"- **When:** session changes; activity create, update, delete (advance, reveal, reorder, reset); joins and kicks; answers. A change that leaves the document as it was sends nothing.\n" +
	"- **Coalescing:** the first change after a quiet period goes out at once; then at most one message per 200 ms for changes the audience waits for; tally-only changes wait 200 ms × (1 + subscribers / 500), at most 2 s. The last state is always delivered.\n" +
	"- **Order:** `version` only grows per subscriber.\n" +
	"- **Names:** the code is matched case-insensitively and an SDK `?options=...` suffix is ignored.\n" +
	"- **Limit:** at most 10 distinct live topics per client, every spelling counted: a subscribe naming more is refused with 400 `data.subscriptions.code` = `too_many_live_topics`."
