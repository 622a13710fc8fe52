package server

import (
	"fmt"
	"log/slog"
	"net/http"
	"strings"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"

	c "conflicto/collections"
	"conflicto/config"
	"conflicto/ratelimit"
)

// A whole audience often shares one address, so a participant's writes are
// limited per participant (the id in their token), not per IP: one script
// with one token cannot hammer the single SQLite writer, and the phone
// beside it on the same Wi-Fi is not affected.

// participantWriteCollections are the collections whose record creates,
// updates and deletes by a participant count as writes: answers, questions
// (asked, withdrawn) and upvotes (given, withdrawn). A participant may
// delete no answer, so counting deletes changes nothing for responses.
var participantWriteCollections = map[string]bool{c.Responses: true, c.Questions: true, c.QuestionVotes: true}

// participantWriteRoutes are the custom routes that count as writes, by
// "METHOD path".
var participantWriteRoutes = map[string]bool{
	http.MethodPost + " /api/participants/heartbeat": true,
}

func registerParticipantWrites(app core.App, cfg config.Config, logger *slog.Logger) {
	if !cfg.RateLimits {
		return
	}
	buckets := ratelimit.New(cfg.RateWrites.Max, cfg.RateWrites.Per)
	refusals := newThrottle(app, logger, "participant writes")
	app.OnServe().BindFunc(func(e *core.ServeEvent) error {
		e.Router.Bind(&hook.Handler[*core.RequestEvent]{
			Id: "conflictoParticipantWrites",
			// After the token is read (and dropped when its session has
			// ended) and after PocketBase's limiter, before any body is
			// read: a refused write costs next to nothing (and a script
			// that ignores Retry-After is held: throttle.go).
			Priority: apis.DefaultRateLimitMiddlewarePriority + 1,
			Func: func(e *core.RequestEvent) error {
				if e.Auth == nil || e.Auth.Collection().Name != c.Participants || !isParticipantWrite(e) {
					return e.Next()
				}
				if ok, retry := buckets.Take(e.Auth.Id); !ok {
					return refusals.refuse(e, e.Auth.Id, retry,
						fmt.Sprintf("Too many writes: at most %d per %s per participant.", cfg.RateWrites.Max, cfg.RateWrites.Per))
				}
				return e.Next()
			},
		})
		return e.Next()
	})
}

// isParticipantWrite reports whether the request is a write that counts
// against a participant's limit.
func isParticipantWrite(e *core.RequestEvent) bool {
	r := e.Request
	if participantWriteRoutes[r.Method+" "+r.URL.Path] {
		return true
	}
	if r.Method != http.MethodPost && r.Method != http.MethodPatch && r.Method != http.MethodPut && r.Method != http.MethodDelete {
		return false
	}
	// A create is .../records, an update or a delete .../records/{id}.
	if !strings.Contains(r.URL.Path, "/records") {
		return false
	}
	collection := recordWriteCollection(e.App, r.URL.Path)
	return collection != nil && participantWriteCollections[collection.Name]
}
