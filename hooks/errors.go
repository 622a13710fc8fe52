package hooks

import (
	"errors"
	"net/http"
	"strings"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/tools/router"
)

// fieldError is a client error on one field with a stable code (API.md).
// Extra keys (e.g. a nickname suggestion) are added beside code and message.
type fieldError struct {
	code    string
	message string
	extra   map[string]any
}

func (e fieldError) Code() string  { return e.code }
func (e fieldError) Error() string { return e.message }

// Resolve implements router.SafeErrorResolver so extra keys reach the client.
func (e fieldError) Resolve(data map[string]any) any {
	for k, v := range e.extra {
		data[k] = v
	}
	return data
}

// invalid returns a validation error for field, for OnRecordValidate and
// friends: PocketBase turns it into a 400 with data.<field>.code.
func invalid(field, code, message string) error {
	return validation.Errors{field: validation.NewError(code, message)}
}

// badRequest is a 400 for custom routes with data.<field>.code.
func badRequest(field, code, message string) *router.ApiError {
	return apis.NewBadRequestError(message, map[string]error{field: fieldError{code: code, message: message}})
}

// conflict is a 409 with data.<field>.code (and extra keys, if any).
func conflict(field, code, message string, extra map[string]any) *router.ApiError {
	return router.NewApiError(http.StatusConflict, message, map[string]error{field: fieldError{code: code, message: message, extra: extra}})
}

// isUniqueViolation reports whether err is a unique index violation on
// field: either PocketBase's pre-insert check (validation_not_unique on the
// index's fields) or, when a concurrent insert won the race after that
// check, SQLite's constraint error naming the index or the column.
func isUniqueViolation(err error, index, field string) bool {
	var apiErr *router.ApiError
	if errors.As(err, &apiErr) {
		if raw, ok := apiErr.RawData().(error); ok {
			err = raw
		}
	}
	var verrs validation.Errors
	if errors.As(err, &verrs) {
		if ve, ok := verrs[field].(validation.Error); ok && ve.Code() == "validation_not_unique" {
			return true
		}
	}
	msg := err.Error()
	return strings.Contains(msg, "UNIQUE constraint failed") &&
		(strings.Contains(msg, index) || strings.Contains(msg, "."+field))
}
