package routes

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"

	"conflicto/apierr"
)

// decodeJSON reads a JSON object body into dst with clear 400s for
// malformed JSON and wrong field types.
func decodeJSON(e *core.RequestEvent, dst any) *router.ApiError {
	// Read to the end, then rewind: PocketBase reads the body again for
	// RequestInfo (EnrichRecord), and since 0.40 a body read to its end
	// without a rewind answers EOF there.
	body, err := io.ReadAll(http.MaxBytesReader(e.Response, e.Request.Body, joinBodyLimit))
	if rr, ok := e.Request.Body.(router.Rereader); ok {
		rr.Reread()
	}
	var maxErr *http.MaxBytesError
	if errors.As(err, &maxErr) {
		return router.NewApiError(http.StatusRequestEntityTooLarge, "The request body is too large.", nil)
	} else if err != nil {
		return apierr.BadBody("invalid_json", "The request body could not be read.")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(dst); err != nil {
		var typeErr *json.UnmarshalTypeError
		switch {
		case errors.As(err, &typeErr) && typeErr.Field != "":
			return apierr.BadRequest(typeErr.Field, "invalid_type", fmt.Sprintf("The %s must be a %s.", typeErr.Field, jsonKind(typeErr.Type.Kind().String())))
		default:
			return apierr.BadBody("invalid_type", "The request body must be a JSON object.")
		}
	}
	if dec.More() {
		return apierr.BadBody("invalid_json", "The request body must be a single JSON object.")
	}
	return nil
}

func jsonKind(goKind string) string {
	switch goKind {
	case "string":
		return "string"
	case "slice", "array":
		return "list"
	case "bool":
		return "boolean"
	case "map", "struct":
		return "object"
	default:
		return "number"
	}
}

// bodyError is the 4xx for a body PocketBase could not read or decode:
// 413 over the route's limit, 400 otherwise.
func bodyError(err error) *router.ApiError {
	var apiErr *router.ApiError
	if errors.As(err, &apiErr) && apiErr.Status == http.StatusRequestEntityTooLarge {
		return router.NewApiError(http.StatusRequestEntityTooLarge, "The request body is too large.", nil)
	}
	return apis.NewBadRequestError("The request body could not be read.", nil)
}
