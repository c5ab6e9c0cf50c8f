package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/triggerwidget/triggerwidget/widget"
)

// Code classifies an error for the edge that reports it: the API maps each
// code to one HTTP status in one table (package admin), the commands to
// one message. The codes are part of the API's documented error format.
type Code string

const (
	Invalid         Code = "invalid"               // the request or the trigger set breaks a rule (422)
	BadRequest      Code = "bad_request"           // the request cannot be read at all (400)
	Unauthorized    Code = "unauthorized"          // nobody is logged in, or the credentials are wrong (401)
	Forbidden       Code = "forbidden"             // logged in, but not allowed (403)
	NotFound        Code = "not_found"             // no such thing, or not visible to the caller (404)
	Conflict        Code = "conflict"              // stale version, taken id or email, last admin (409)
	PreconditionReq Code = "precondition_required" // a whole-set write without If-Match (428)
	TooLarge        Code = "too_large"             // the body or upload is over its cap (413)
	UnsupportedType Code = "unsupported_type"      // an upload of a kind that is refused (415)
	TooManyRequests Code = "too_many_requests"     // repeated failed logins: wait (429)
	Unavailable     Code = "unavailable"           // storage cannot take writes now: disk full, read-only (503)
	Internal        Code = "internal"              // a bug or an unexpected failure (500)
)

// Error is the error of the admin's domain: a code, a message for a person
// (never holding a secret or a stack), and for Invalid the trigger-set
// problems it is about.
type Error struct {
	Code     Code
	Message  string
	Problems []widget.FieldError
	// RetryAfter, for TooManyRequests, is how long to wait.
	RetryAfter time.Duration
	// Err is the underlying cause, for logs only; it is never shown to a
	// client.
	Err error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return e.Message + ": " + e.Err.Error()
	}
	return e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with code and a formatted message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Wrap returns an *Error with code and message caused by err.
func Wrap(code Code, err error, message string) *Error {
	return &Error{Code: code, Message: message, Err: err}
}

// ErrorCode is err's code: its *Error's, Internal for any other error, and
// "" for nil.
func ErrorCode(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// ErrorMessage is the message a client may see: its *Error's, or a generic
// one that leaks nothing for any other error.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}

// IsCode reports whether err has code c.
func IsCode(err error, c Code) bool { return err != nil && ErrorCode(err) == c }

// Classify is how a backend turns a database error into an *Error: one
// already is; a broken reference (brokenRef) is NotFound; a database that
// cannot do its work now (unavailable gives the message for a person, or
// "") is Unavailable; a canceled request and anything else are Internal,
// the latter with message.
func Classify(err error, message string, brokenRef func(error) bool, unavailable func(error) string) error {
	if err == nil {
		return nil
	}
	var se *Error
	if errors.As(err, &se) {
		return err
	}
	if brokenRef(err) {
		return Wrap(NotFound, err, "something it refers to does not exist")
	}
	if m := unavailable(err); m != "" {
		return Wrap(Unavailable, err, m)
	}
	if errors.Is(err, context.Canceled) {
		return Wrap(Internal, err, "the request was canceled")
	}
	return Wrap(Internal, err, message)
}
