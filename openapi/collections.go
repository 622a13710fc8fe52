package openapi

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/pocketbase/pocketbase/core"

	"conflicto/apidoc"
	c "conflicto/collections"
)

// The record API of each collection, read from the collection itself:
// PocketBase's list, view, create, update and delete routes, the fields as
// the schema defines them, and who may call each route from its API rule.

// addCollection adds a collection's record schemas and routes.
func addCollection(d *document, schemas map[string]apidoc.Schema, names map[string]string, col *core.Collection) {
	name := col.Name
	schemas[name] = recordSchema(names, col)
	schemas[name+"Create"] = writeSchema(names, col, true)
	schemas[name+"Update"] = writeSchema(names, col, false)

	records := "/api/collections/" + name + "/records"
	one := records + "/{id}"
	writeErrs := []apidoc.Error{
		{Status: http.StatusBadRequest, Field: "<field>", Code: "unknown_field", When: "A member the collection does not define."},
		{Status: http.StatusBadRequest, Field: "<field>", Code: "invalid_type", When: "A member of the wrong JSON type (or control characters in a one-line text)."},
		{Status: http.StatusBadRequest, Field: "<field>", Code: "read_only", When: "A field the server sets."},
		{Status: http.StatusBadRequest, Field: "<field>", Code: "duplicate_field", When: "A member named twice."},
		{Status: http.StatusBadRequest, Field: "<field>", Code: "validation_*", When: "PocketBase's field validation, and the collection's own codes (see docs/API.md)."},
		{Status: http.StatusUnauthorized, When: "A token that no longer resolves (expired, or its participant kicked); a create that needs a token and got none."},
		{Status: http.StatusUnsupportedMediaType, When: "A multipart body from anyone but a superuser."},
		{Status: http.StatusTooManyRequests, When: "A rate limit: a participant's answers are limited per participant (`Retry-After`, `data.retry_after`); see docs/API.md."},
	}
	notFound := apidoc.Error{Status: http.StatusNotFound, When: "No such record, or not one the caller may see."}
	d.addOp(http.MethodGet, records, apidoc.Op{
		Summary:     "List " + name,
		Tag:         name,
		Description: "A page of the records the caller may list (others are left out, not refused)." + ruleWords(col, c.OpList, col.ListRule),
		Query:       listParams,
		Responses: []apidoc.Response{{Status: http.StatusOK, Description: "A page of records.", Schema: apidoc.Object(apidoc.Props{
			"page":       apidoc.Integer(),
			"perPage":    apidoc.Integer(),
			"totalItems": apidoc.Integer().Doc("-1 with skipTotal."),
			"totalPages": apidoc.Integer().Doc("-1 with skipTotal."),
			"items":      apidoc.Array(apidoc.Ref(name)),
		}, "page", "perPage", "totalItems", "totalPages", "items")}},
		Errors: []apidoc.Error{
			{Status: http.StatusBadRequest, Field: "filter", Code: "", When: "A filter or sort that does not parse, or names a field the caller may not use (a hidden one)."},
			{Status: http.StatusUnauthorized, When: "A token that no longer resolves."},
			{Status: http.StatusForbidden, When: "A list rule that is superusers only."},
		},
	}, 0)
	d.addOp(http.MethodGet, one, apidoc.Op{
		Summary: "View one of " + name, Tag: name,
		Description: "One record." + ruleWords(col, c.OpView, col.ViewRule),
		Query:       viewParams,
		Responses:   []apidoc.Response{{Status: http.StatusOK, Description: "The record.", Schema: apidoc.Ref(name)}},
		Errors:      []apidoc.Error{notFound, {Status: http.StatusUnauthorized, When: "A token that no longer resolves."}, {Status: http.StatusForbidden, When: "A view rule that is superusers only."}},
	}, 0)
	if !isView(col) {
		d.addOp(http.MethodPost, records, apidoc.Op{
			Summary: "Create one of " + name, Tag: name,
			Description: "A new record." + ruleWords(col, c.OpCreate, col.CreateRule),
			Body:        apidoc.Ref(name + "Create"),
			Query:       viewParams,
			Responses:   []apidoc.Response{{Status: http.StatusOK, Description: "The record created.", Schema: apidoc.Ref(name)}},
			Errors:      append(append([]apidoc.Error{}, writeErrs...), apidoc.Error{Status: http.StatusForbidden, When: "A caller of the wrong kind, or a create rule that is superusers only."}),
		}, 0)
		d.addOp(http.MethodPatch, one, apidoc.Op{
			Summary: "Update one of " + name, Tag: name,
			Description: "Changes the fields sent." + ruleWords(col, c.OpUpdate, col.UpdateRule),
			Body:        apidoc.Ref(name + "Update"),
			Query:       viewParams,
			Responses:   []apidoc.Response{{Status: http.StatusOK, Description: "The record updated.", Schema: apidoc.Ref(name)}},
			Errors:      append(append([]apidoc.Error{}, writeErrs...), notFound, apidoc.Error{Status: http.StatusForbidden, When: "An update rule that is superusers only."}),
		}, 0)
		d.addOp(http.MethodDelete, one, apidoc.Op{
			Summary: "Delete one of " + name, Tag: name,
			Description: "Deletes the record and what cascades from it." + ruleWords(col, c.OpDelete, col.DeleteRule),
			Responses:   []apidoc.Response{{Status: http.StatusNoContent, Description: "Deleted."}},
			Errors: []apidoc.Error{notFound,
				{Status: http.StatusBadRequest, Field: "<field>", Code: "<code>", When: "The collection's rules refuse it (see docs/API.md)."},
				{Status: http.StatusUnauthorized, When: "A token that no longer resolves."},
				{Status: http.StatusForbidden, When: "A delete rule that is superusers only."}},
		}, 0)
	}
	if col.IsAuth() {
		addAuth(d, col)
	}
}

func isView(col *core.Collection) bool { return col.IsView() }

// ruleWords says who an API rule lets in: its words (collections.RuleWords)
// and the filter itself.
func ruleWords(col *core.Collection, op string, rule *string) string {
	switch {
	case rule == nil && c.RuleWords[col.Name][op] != "":
		return "\n\n**Who:** superusers only (anyone else: 403). " + c.RuleWords[col.Name][op]
	case rule == nil:
		return "\n\n**Who:** superusers only (anyone else: 403)."
	case *rule == "" && c.RuleWords[col.Name][op] != "":
		// The rule is in Go (hooks), so that PocketBase runs no query.
		return "\n\n**Who:** " + c.RuleWords[col.Name][op] + " Superusers always.\n\nAPI rule: checked by the server's hooks (the stored rule is empty)."
	case *rule == "":
		return "\n\n**Who:** anyone; no token needed."
	}
	words := c.RuleWords[col.Name][op]
	if words == "" {
		words = "callers for whom the rule holds."
	}
	return fmt.Sprintf("\n\n**Who:** %s Superusers always.\n\nAPI rule: `%s`", words, *rule)
}

// collectionDescription introduces a collection's tag.
func collectionDescription(col *core.Collection) string {
	kind := "Records"
	if col.IsAuth() {
		kind = "Records (which sign in: an auth collection)"
	}
	return fmt.Sprintf("%s of the `%s` collection, served by PocketBase's record API under `/api/collections/%s/records`. "+
		"The fields are in the `%s` schema; writes take `%sCreate` and `%sUpdate`.", kind, col.Name, col.Name, col.Name, col.Name, col.Name)
}

// listParams are PocketBase's list parameters.
var listParams = append([]apidoc.Param{
	{Name: "page", Description: "The page (1-based). Default 1.", Schema: apidoc.Integer().With("minimum", 1)},
	{Name: "perPage", Description: "Records per page, at most 1000. Default 30.", Schema: apidoc.Integer().With("minimum", 1).With("maximum", 1000)},
	{Name: "sort", Description: "Fields to sort by, comma-separated; `-` before a field for descending, such as `-created,id`. Hidden fields only for superusers.", Schema: apidoc.String()},
	{Name: "filter", Description: "A PocketBase filter expression, such as `status = \"active\" && created > \"2026-01-01\"`. Hidden fields only for superusers.", Schema: apidoc.String()},
	{Name: "skipTotal", Description: "Skip counting: totalItems and totalPages are -1. Faster.", Schema: apidoc.Boolean()},
}, viewParams...)

// viewParams are the parameters every record answer takes.
var viewParams = []apidoc.Param{
	{Name: "expand", Description: "Relations to expand into `expand`, comma-separated, up to 6 levels deep with dots, such as `session,session.owner`. Expanded records follow their own view rule.", Schema: apidoc.String()},
	{Name: "fields", Description: "The fields to return, comma-separated, such as `id,title,expand.session.title`; `*` for all at a level; `:excerpt(200)` on text.", Schema: apidoc.String()},
}

// addAuth adds the auth routes a client of the collection uses.
func addAuth(d *document, col *core.Collection) {
	name := col.Name
	authResp := apidoc.Object(apidoc.Props{
		"token":  apidoc.String().Doc("The auth token, sent as `Authorization` afterwards."),
		"record": apidoc.Ref(name),
		"meta":   apidoc.Any().Doc("OAuth2 only."),
	}, "token", "record")
	if col.PasswordAuth.Enabled {
		d.addOp(http.MethodPost, "/api/collections/"+name+"/auth-with-password", apidoc.Op{
			Summary: "Sign in with a password", Tag: name, Auth: apidoc.Anyone,
			Description: "Signs a record of `" + name + "` in with its identity (" + strings.Join(col.PasswordAuth.IdentityFields, ", ") + ") and password. Rate limited per address (`CONFLICTO_RATE_LIMIT_AUTH`).",
			Body: apidoc.Object(apidoc.Props{
				"identity": apidoc.String(), "password": apidoc.String(),
				"identityField": apidoc.String().Doc("Which identity field to match; all of them when absent."),
			}, "identity", "password"),
			BodyExample: map[string]any{"identity": "host@example.com", "password": "a long secret"},
			Responses:   []apidoc.Response{{Status: http.StatusOK, Description: "Signed in.", Schema: authResp}},
			Errors: []apidoc.Error{
				{Status: http.StatusBadRequest, Field: "identity", Code: "validation_required", When: "A missing identity or password; or wrong credentials (PocketBase's \"Failed to authenticate.\", no field)."},
				{Status: http.StatusTooManyRequests, When: "Sign-ins per address."},
			},
		}, 0)
	}
	who := apidoc.Host
	if name == c.Participants {
		who = apidoc.Participant
	}
	d.addOp(http.MethodPost, "/api/collections/"+name+"/auth-refresh", apidoc.Op{
		Summary: "Renew a token", Tag: name, Auth: who,
		Description: "A new token for the caller, a record of `" + name + "`, from now. No body.",
		Responses:   []apidoc.Response{{Status: http.StatusOK, Description: "A new token.", Schema: authResp}},
		Errors: []apidoc.Error{
			{Status: http.StatusUnauthorized, When: "No token, or one that no longer resolves."},
			{Status: http.StatusForbidden, When: "A token of another collection."},
		},
	}, 0)
}

// recordSchema is a record as the API answers it.
func recordSchema(names map[string]string, col *core.Collection) apidoc.Schema {
	props := apidoc.Props{
		core.FieldNameCollectionId:   apidoc.String().With("readOnly", true),
		core.FieldNameCollectionName: apidoc.Enum(col.Name).With("readOnly", true),
		core.FieldNameExpand:         apidoc.MapOf(apidoc.Any()).Doc("The relations asked for with `expand`, by field.").With("readOnly", true),
	}
	required := []string{core.FieldNameCollectionId, core.FieldNameCollectionName}
	computed := c.Computed[col.Name]
	for _, f := range col.Fields {
		name := f.GetName()
		if writeOnly(col, f) {
			continue
		}
		s := withWords(fieldSchema(names, col, f), c.FieldWords[col.Name][name])
		readBy, partial := c.ReadBy[col.Name][name]
		switch {
		case f.GetHidden():
			s = s.Doc(strings.TrimSpace(describe(s) + " Hidden: present only where the server shows it (superusers, and what this description says)."))
		case partial:
			s = withWords(s, readBy)
		case !(col.IsAuth() && name == core.FieldNameEmail):
			required = append(required, name)
		}
		if serverSet(col, f) {
			s = s.With("readOnly", true)
		}
		props[name] = s
	}
	for name, s := range computed {
		props[name] = s.With("readOnly", true)
		required = append(required, name)
	}
	slices.Sort(required)
	return apidoc.Object(props, required...).Doc(fmt.Sprintf("A record of `%s` as the API answers it.", col.Name))
}

// writeSchema is the body of a create (required fields required) or an
// update (every field optional).
func writeSchema(names map[string]string, col *core.Collection, create bool) apidoc.Schema {
	ignored := apidoc.Any().Doc("Accepted and ignored (the dashboard sends records back whole).")
	props := apidoc.Props{
		core.FieldNameCollectionId: ignored, core.FieldNameCollectionName: ignored, core.FieldNameExpand: ignored,
	}
	var required []string
	for _, f := range col.Fields {
		name := f.GetName()
		if col.IsAuth() && name == core.FieldNameTokenKey {
			continue
		}
		if serverSet(col, f) {
			if _, ok := f.(*core.AutodateField); ok || name == core.FieldNameId && !create {
				props[name] = ignored
				continue
			}
			props[name] = withWords(fieldSchema(names, col, f).Doc("Set by the server: only empty or unchanged (400 `read_only` otherwise)."), c.FieldWords[col.Name][name])
			continue
		}
		if f.GetHidden() && !writeOnly(col, f) && !slices.Contains(c.SentHidden[col.Name], name) {
			if _, ok := c.Computed[col.Name][name]; !ok {
				props[name] = withWords(fieldSchema(names, col, f).Doc("Hidden: superusers only (400 `read_only` for anyone else)."), c.FieldWords[col.Name][name])
				continue
			}
		}
		props[name] = withWords(fieldSchema(names, col, f), c.FieldWords[col.Name][name])
		if create && requiredOnCreate(col, f) {
			required = append(required, name)
		}
	}
	if col.IsAuth() {
		props[core.FieldNamePassword+"Confirm"] = apidoc.String().Doc("The password again.").With("writeOnly", true)
		if !create {
			props["oldPassword"] = apidoc.String().Doc("The current password, to change it (not needed by superusers).").With("writeOnly", true)
		}
	}
	for name := range c.Computed[col.Name] {
		props[name] = ignored
	}
	what := "update"
	if create {
		what = "create"
	}
	return apidoc.Object(props, required...).Doc(fmt.Sprintf("The JSON body of a `%s` %s. Unknown members are refused (`unknown_field`).", col.Name, what))
}

// writeOnly reports whether a field is sent but never answered.
func writeOnly(col *core.Collection, f core.Field) bool {
	switch f.GetName() {
	case core.FieldNamePassword, core.FieldNameTokenKey:
		return col.IsAuth()
	}
	return false
}

// serverSet reports whether only the server sets a field.
func serverSet(col *core.Collection, f core.Field) bool {
	if _, ok := f.(*core.AutodateField); ok {
		return true
	}
	return slices.Contains(c.ServerSet[col.Name], f.GetName())
}

// requiredOnCreate reports whether a create must send the field: the
// schema requires it and the server does not fill it in.
func requiredOnCreate(col *core.Collection, f core.Field) bool {
	if f.GetName() == core.FieldNameId || slices.Contains(c.Defaulted[col.Name], f.GetName()) {
		return false
	}
	switch f := f.(type) {
	case *core.TextField:
		return f.Required && f.AutogeneratePattern == ""
	case *core.NumberField:
		return f.Required
	case *core.BoolField:
		return f.Required
	case *core.EmailField:
		return f.Required
	case *core.URLField:
		return f.Required
	case *core.EditorField:
		return f.Required
	case *core.DateField:
		return f.Required
	case *core.SelectField:
		return f.Required
	case *core.FileField:
		return f.Required
	case *core.RelationField:
		return f.Required
	case *core.JSONField:
		return f.Required
	case *core.PasswordField:
		return f.Required
	case *core.GeoPointField:
		return f.Required
	}
	return false
}

// withWords adds words to a schema's description.
func withWords(s apidoc.Schema, words string) apidoc.Schema {
	if words == "" {
		return s
	}
	return s.Doc(strings.TrimSpace(describe(s) + " " + words))
}

func describe(s apidoc.Schema) string {
	d, _ := s["description"].(string)
	return d
}
