package openapi

import (
	"fmt"

	"github.com/pocketbase/pocketbase/core"

	"conflicto/apidoc"
	c "conflicto/collections"
)

// dateDoc is the format of every date of a record.
const dateDoc = "A date in UTC, \"2006-01-02 15:04:05.000Z\"; \"\" when unset."

// fieldSchema is a field's JSON as the schema defines it: its type, its
// limits, a select's values, a relation's collection; a JSON field's shape
// comes from collections.FieldSchemas.
func fieldSchema(names map[string]string, col *core.Collection, f core.Field) apidoc.Schema {
	if s, ok := c.FieldSchemas()[col.Name][f.GetName()]; ok {
		return s
	}
	switch f := f.(type) {
	case *core.TextField:
		s := apidoc.String()
		if f.Min > 0 && f.Required { // an optional text may be ""
			s = s.With("minLength", f.Min)
		}
		if f.Max > 0 {
			s = s.With("maxLength", f.Max)
		}
		if f.Pattern != "" {
			s = s.With("pattern", f.Pattern)
		}
		if f.PrimaryKey {
			s = s.Doc("The record's id (15 characters unless given on create).")
		}
		return s
	case *core.NumberField:
		s := apidoc.Number()
		if f.OnlyInt {
			s = apidoc.Integer()
		}
		if f.Min != nil && (f.Required || *f.Min <= 0) { // an optional number may be 0
			s = s.With("minimum", *f.Min)
		}
		if f.Max != nil {
			s = s.With("maximum", *f.Max)
		}
		return s
	case *core.BoolField:
		return apidoc.Boolean()
	case *core.EmailField:
		return apidoc.String().Doc("An email address.")
	case *core.URLField:
		return apidoc.String().Doc("A URL.")
	case *core.EditorField:
		return apidoc.String().Doc("HTML.")
	case *core.DateField:
		return apidoc.String().Doc(dateDoc)
	case *core.AutodateField:
		return apidoc.String().Doc(dateDoc + " Set by the server.")
	case *core.PasswordField:
		return apidoc.String().With("writeOnly", true).Doc("Write only.")
	case *core.SelectField:
		enum := apidoc.Enum(f.Values...)
		if f.MaxSelect > 1 {
			return apidoc.Array(enum)
		}
		if !f.Required {
			enum["enum"] = append(enum["enum"].([]any), "")
		}
		return enum
	case *core.RelationField:
		s := apidoc.String().Doc(fmt.Sprintf("The id of a `%s` record.", relatedName(names, f.CollectionId)))
		if f.MaxSelect > 1 {
			return apidoc.Array(s)
		}
		return s
	case *core.FileField:
		s := apidoc.String().Doc("A file name, served under /api/files/; upload as multipart.")
		if f.MaxSelect > 1 {
			return apidoc.Array(s)
		}
		return s
	case *core.GeoPointField:
		return apidoc.Object(apidoc.Props{"lon": apidoc.Number(), "lat": apidoc.Number()}, "lon", "lat")
	case *core.JSONField:
		return apidoc.Any().Doc("Any JSON.")
	}
	return apidoc.Any().Doc("A " + f.Type() + " field.")
}

// relatedName is the name of the collection a relation points to.
func relatedName(names map[string]string, id string) string {
	if name, ok := names[id]; ok {
		return name
	}
	return id
}
