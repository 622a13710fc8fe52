// Package apierr is how Conflicto tells a client what is wrong: a status,
// a sentence-case message, and for each field at fault a stable snake_case
// code (docs/API.md, "Errors"). Hooks return Invalid from model hooks,
// routes return BadRequest and Conflict; a server fault is ServerFault.
package apierr

import (
	"errors"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"
)

// FieldError is a client error on one field with a stable code (docs/API.md).
// Extra keys (e.g. a nickname suggestion) are added beside code and message.
type FieldError struct {
	code    string
	message string
	extra   map[string]any
}

// Code is the stable snake_case code of the error.
func (e FieldError) Code() string { return e.code }

// Error is the sentence-case message.
func (e FieldError) Error() string { return e.message }

// Resolve implements router.SafeErrorResolver so extra keys reach the client.
func (e FieldError) Resolve(data map[string]any) any {
	for k, v := range e.extra {
		data[k] = v
	}
	return data
}

// Invalid returns a validation error for field, for OnRecordValidate and
// friends: PocketBase turns it into a 400 with data.<field>.code.
func Invalid(field, code, message string) error {
	return validation.Errors{field: validation.NewError(code, message)}
}

// BadRequest is a 400 for custom routes with data.<field>.code.
func BadRequest(field, code, message string) *router.ApiError {
	return apis.NewBadRequestError(message, map[string]error{field: FieldError{code: code, message: message}})
}

// BodyField is the field a 400 names when the request body as a whole is
// at fault (not JSON, not an object, sent to a route that takes none):
// every 400 names a field, so a client can always read data.<field>.code.
const BodyField = "body"

// BadBody is a 400 about the whole request body: data.body.code is code
// (invalid_json, invalid_type or body_not_allowed; docs/API.md).
func BadBody(code, message string) *router.ApiError {
	return BadRequest(BodyField, code, message)
}

// Conflict is a 409 with data.<field>.code (and extra keys, if any).
func Conflict(field, code, message string, extra map[string]any) *router.ApiError {
	return router.NewApiError(http.StatusConflict, message, map[string]error{field: FieldError{code: code, message: message, extra: extra}})
}

// Forbidden is a 403 with data.<field>.code: the caller may not do this,
// for a reason the client is to show (a banned device's join).
func Forbidden(field, code, message string) *router.ApiError {
	return router.NewApiError(http.StatusForbidden, message, map[string]error{field: FieldError{code: code, message: message}})
}

// IsUniqueViolation reports whether err is a unique index violation on
// field: either PocketBase's pre-insert check (validation_not_unique on the
// index's fields) or, when a concurrent insert won the race after that
// check, SQLite's constraint error naming the index or the column.
func IsUniqueViolation(err error, index, field string) bool {
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

// ServerFault marks err as the server's fault: PocketBase's record handlers
// answer 400 for any error a hook returns unless it is an ApiError.
func ServerFault(err error) error {
	return router.NewInternalServerError("", err)
}

// RouteError is what a custom route answers for an error from saving
// records: ApiErrors as they are, validation errors as 400, anything else
// as the server's fault.
func RouteError(e *core.RequestEvent, err error) error {
	var apiErr *router.ApiError
	if errors.As(err, &apiErr) {
		return apiErr
	}
	var errs validation.Errors
	if errors.As(err, &errs) {
		return e.BadRequestError("Failed to save the activities.", errs)
	}
	return e.InternalServerError("", err)
}

// TooManyRequests answers 429 with a Retry-After header (whole seconds,
// at least 1) and PocketBase's error shape.
func TooManyRequests(e *core.RequestEvent, retry time.Duration, message string) error {
	secs := int(math.Ceil(retry.Seconds()))
	if secs < 1 {
		secs = 1
	}
	e.Response.Header().Set("Retry-After", strconv.Itoa(secs))
	return apis.NewTooManyRequestsError(message, map[string]any{
		"retry_after": secs,
	})
}
