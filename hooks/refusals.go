package hooks

import (
	"database/sql"
	"errors"
	"net/http"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
	"github.com/pocketbase/pocketbase/tools/list"
	"github.com/pocketbase/pocketbase/tools/router"

	"conflicto/apierr"
	c "conflicto/collections"
)

// PocketBase checks a create rule before any record hook runs and answers
// a refusal with a bare 400 "Failed to create record." and empty data:
// nothing tells the client which field to fix. The rules stay the
// guarantee (they are what the access matrices pin); this middleware only
// explains a refusal after the fact, so it costs nothing on the answers'
// hot path. It also answers 401 to a token that no longer resolves (a
// kicked participant's, an expired one) on Conflicto's record routes,
// where PocketBase would silently treat the caller as anonymous.

// ruleRefusalPrefix starts the raw error of PocketBase's create rule
// refusal (apis/record_crud.go, "create rule failure: ...").
const ruleRefusalPrefix = "create rule failure"

// explained are the collections whose create refusals are explained and
// whose record routes refuse dead tokens.
var explained = map[string]func(e *core.RequestEvent, body map[string]any) error{
	c.Sessions:      explainSessionCreate,
	c.Activities:    explainActivityCreate,
	c.Participants:  nil, // create is superusers-only: PocketBase's 403 says so
	c.Responses:     nil, // the create rule is in Go: guardResponseCreate says why
	c.Questions:     explainQuestionCreate,
	c.QuestionVotes: explainVoteCreate,
}

func registerRefusals(app core.App) {
	app.OnServe().BindFunc(func(e *core.ServeEvent) error {
		e.Router.Bind(&hook.Handler[*core.RequestEvent]{
			Id:       "conflictoRefusals",
			Priority: apis.DefaultLoadAuthTokenMiddlewarePriority + 1, // once the token is loaded
			Func:     explainRefusal,
		})
		return e.Next()
	})
}

func explainRefusal(e *core.RequestEvent) error {
	nameOrID, isCreate, ok := recordRoute(e.Request)
	if !ok {
		return e.Next()
	}
	// By name or by id, as PocketBase's record routes take either (the
	// dashboard uses ids); an unknown one is left to their 404.
	collection, err := e.App.FindCachedCollectionByNameOrId(nameOrID)
	if err != nil {
		return e.Next()
	}
	explain, ours := explained[collection.Name]
	if !ours {
		return e.Next()
	}
	if e.Auth == nil && strings.TrimSpace(e.Request.Header.Get("Authorization")) != "" {
		return apis.NewUnauthorizedError("The token is invalid or expired, or its account no longer exists: sign in or join again.", nil)
	}
	err = e.Next()
	if !isCreate || !isCreateRuleRefusal(err) {
		return err
	}
	if e.Auth == nil {
		return apis.NewUnauthorizedError("Sign in first: this needs a host's or a participant's token.", nil)
	}
	// The body as the handler read it (cached); an explainer answers nil
	// for what it cannot explain, which then keeps PocketBase's answer.
	if info, infoErr := e.RequestInfo(); explain != nil && infoErr == nil {
		if why := explain(e, info.Body); why != nil {
			return why
		}
	}
	return err
}

// recordRoute returns the collection (name or id) of a record route
// (/api/collections/{collection}/records[/{id}]) and whether the request
// creates a record; ok is false for any other path.
func recordRoute(r *http.Request) (nameOrID string, isCreate, ok bool) {
	rest, found := strings.CutPrefix(r.URL.Path, "/api/collections/")
	if !found {
		return "", false, false
	}
	parts := strings.Split(rest, "/")
	if len(parts) < 2 || len(parts) > 3 || parts[1] != "records" {
		return "", false, false
	}
	return parts[0], len(parts) == 2 && r.Method == http.MethodPost, true
}

// isCreateRuleRefusal reports whether err is PocketBase's create rule
// refusal: a 400 whose raw cause is the rule query's failure.
func isCreateRuleRefusal(err error) bool {
	var apiErr *router.ApiError
	if !errors.As(err, &apiErr) || apiErr.Status != http.StatusBadRequest {
		return false
	}
	cause, ok := apiErr.RawData().(error)
	return ok && strings.HasPrefix(cause.Error(), ruleRefusalPrefix)
}

// bodyIDs returns the ids sent for a relation field (a string or a list).
func bodyIDs(body map[string]any, field string) []string {
	v, ok := body[field]
	if !ok || v == nil {
		return nil
	}
	var ids []string
	for _, id := range list.ToUniqueStringSlice(v) {
		if id != "" {
			ids = append(ids, id)
		}
	}
	return ids
}

func isCollection(auth *core.Record, name string) bool {
	return auth != nil && auth.Collection().Name == name
}

// explainSessionCreate: hosts create sessions they own.
func explainSessionCreate(e *core.RequestEvent, body map[string]any) error {
	if !isCollection(e.Auth, c.Users) {
		return apis.NewForbiddenError("Only hosts can create sessions.", nil)
	}
	for _, id := range bodyIDs(body, c.SessionOwner) {
		if id != e.Auth.Id {
			return apierr.BadRequest(c.SessionOwner, "forbidden_owner", "A host can create sessions only for themselves: leave owner out or name yourself.")
		}
	}
	return nil
}

// explainActivityCreate: hosts add activities to sessions they own. An
// unknown session and another host's get the same answer, as a view of
// either would (404).
func explainActivityCreate(e *core.RequestEvent, body map[string]any) error {
	if !isCollection(e.Auth, c.Users) {
		return apis.NewForbiddenError("Only the session's host can add activities.", nil)
	}
	ids := bodyIDs(body, c.ActivitySession)
	if len(ids) == 0 {
		return apierr.BadRequest(c.ActivitySession, "validation_required", "An activity needs a session.")
	}
	for _, id := range ids {
		var owner string
		err := e.App.DB().Select(c.SessionOwner).From(c.Sessions).Where(dbx.HashExp{"id": id}).Row(&owner)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return apierr.ServerFault(err)
		}
		if owner != e.Auth.Id {
			return apierr.BadRequest(c.ActivitySession, "validation_missing_rel_records", "No session of yours has this id.")
		}
	}
	return nil
}

// explainQuestionCreate: a participant asks in an activity of their own
// session (the author is checked by the create hook, after the rule: the
// field is hidden). An unknown activity and another session's get the same
// answer.
func explainQuestionCreate(e *core.RequestEvent, body map[string]any) error {
	if !isCollection(e.Auth, c.Participants) {
		return apis.NewForbiddenError("Only participants ask questions, through their join token.", nil)
	}
	return explainInOwnSession(e, body, c.QuestionActivity, c.Activities, c.ActivitySession, "Name the Q&A you ask in.", "No activity of your session has this id.")
}

// explainVoteCreate: a participant upvotes for themselves, a question of
// their own session.
func explainVoteCreate(e *core.RequestEvent, body map[string]any) error {
	if !isCollection(e.Auth, c.Participants) {
		return apis.NewForbiddenError("Only participants upvote, through their join token.", nil)
	}
	if err := explainSelf(e, body, c.VoteParticipant, "A participant upvotes only for themselves."); err != nil {
		return err
	}
	ids := bodyIDs(body, c.VoteQuestion)
	if len(ids) == 0 {
		return apierr.BadRequest(c.VoteQuestion, "validation_required", "Name the question you upvote.")
	}
	mine := e.Auth.GetString(c.ParticipantSession)
	for _, id := range ids {
		var session string
		err := e.App.DB().NewQuery("SELECT a.[[" + c.ActivitySession + "]] FROM {{" + c.Questions + "}} q " +
			"JOIN {{" + c.Activities + "}} a ON a.[[id]] = q.[[" + c.QuestionActivity + "]] WHERE q.[[id]] = {:id}").
			Bind(dbx.Params{"id": id}).Row(&session)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return apierr.ServerFault(err)
		}
		if session != mine {
			return apierr.BadRequest(c.VoteQuestion, "validation_missing_rel_records", "No question of your session has this id.")
		}
	}
	return nil
}

// explainSelf explains a refused participant field: missing, or someone
// other than the caller.
func explainSelf(e *core.RequestEvent, body map[string]any, field, other string) error {
	ids := bodyIDs(body, field)
	if len(ids) == 0 {
		return apierr.BadRequest(field, "validation_required", "Name yourself as the participant.")
	}
	for _, id := range ids {
		if id != e.Auth.Id {
			return apierr.BadRequest(field, "forbidden_participant", other)
		}
	}
	return nil
}

// explainInOwnSession explains a refused relation to a record of the
// caller's session: missing, or not of their session.
func explainInOwnSession(e *core.RequestEvent, body map[string]any, field, collection, sessionField, missing, foreign string) error {
	ids := bodyIDs(body, field)
	if len(ids) == 0 {
		return apierr.BadRequest(field, "validation_required", missing)
	}
	mine := e.Auth.GetString(c.ParticipantSession)
	for _, id := range ids {
		var session string
		err := e.App.DB().Select(sessionField).From(collection).Where(dbx.HashExp{"id": id}).Row(&session)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return apierr.ServerFault(err)
		}
		if session != mine {
			return apierr.BadRequest(field, "validation_missing_rel_records", foreign)
		}
	}
	return nil
}
