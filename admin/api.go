package admin

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/triggerwidget/triggerwidget/store"
	"github.com/triggerwidget/triggerwidget/widget"
	"github.com/triggerwidget/triggerwidget/widget/strict"
)

// The HTTP API lives under /api/v1/ (docs/api.md lists every route with a
// curl example). Decisions:
//
//   - Routes are one table (Handler.Routes), so tests can walk them all:
//     the authorization matrix asserts every route for every kind of
//     caller.
//   - Authentication: "Authorization: Bearer twk_…" (an API token) or the
//     session cookie. Authorization happens in the Service, on every call,
//     never in the HTTP layer alone.
//   - Errors are {"error": {"code", "message"}}; the code maps to the HTTP
//     status in exactly one table (statusOf). A 422 from the trigger-set
//     checks adds "problems": [{"triggerId", "index", "field", "code",
//     "message"}], and "line"/"col" when the body was a whole set.
//   - Request bodies are capped (maxBody, 413) and decoded strictly: an
//     unknown field is refused by name, trailing data too.
//   - State changes are protected against cross-site requests by Go's
//     http.CrossOriginProtection (Sec-Fetch-Site / Origin), which lets
//     non-browser clients (curl, the CLI, CI) through.

// maxBody caps a JSON request body: a whole trigger set at its size limit,
// with room for indentation.
const maxBody = widget.MaxSetBytes + 64<<10

// cookieName is the session cookie.
const cookieName = "tw_session"

// HandlerConfig configures the API's HTTP side.
type HandlerConfig struct {
	// Secure marks the session cookie Secure even on plain-HTTP requests
	// (set it behind a TLS-terminating proxy). Requests that arrive over
	// TLS always get a Secure cookie.
	Secure bool
	// TrustProxy takes the client's address, for login throttling, from
	// the last X-Forwarded-For entry (the one the proxy added). Set it
	// only behind a reverse proxy that sets that header; otherwise
	// clients could choose their address.
	TrustProxy bool
	// Logger receives internal errors. Nil discards.
	Logger *slog.Logger
}

// Handler serves the API. Build it with NewHandler.
type Handler struct {
	s      *Service
	cfg    HandlerConfig
	log    *slog.Logger
	mux    *http.ServeMux
	routes []Route
	guard  http.Handler
}

// Route is one route of the API.
type Route struct {
	Method  string
	Pattern string // a net/http pattern path, e.g. /api/v1/properties/{pid}/triggers
	// Caller is who may call it: "anyone", "account" (any logged-in
	// person), "member", "manage" or "people" (on the {pid} property; see
	// Access).
	Caller string
	handle func(w http.ResponseWriter, r *http.Request, a Actor) error
}

// NewHandler returns the API handler over s.
func NewHandler(s *Service, cfg HandlerConfig) *Handler {
	h := &Handler{s: s, cfg: cfg, log: cfg.Logger, mux: http.NewServeMux()}
	if h.log == nil {
		h.log = slog.New(slog.DiscardHandler)
	}
	h.routes = h.table()
	for _, rt := range h.routes {
		h.mux.HandleFunc(rt.Method+" "+rt.Pattern, h.serve(rt))
	}
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeError(w, r, h.log, store.Errorf(store.Forbidden, "cross-site request refused: the admin's API only takes changes from its own pages or from clients that are not browsers"))
	}))
	h.guard = cop.Handler(http.HandlerFunc(h.route))
	return h
}

// Routes lists every route of the API.
func (h *Handler) Routes() []Route { return slices.Clone(h.routes) }

// ServeHTTP serves the API under /api/ and the uploads under /u/ (the
// admin's pages are package web's).
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/u/") {
		h.s.ServeUpload(w, r)
		return
	}
	h.guard.ServeHTTP(w, r)
}

// route dispatches to the mux, answering JSON 404 and 405 itself.
func (h *Handler) route(w http.ResponseWriter, r *http.Request) {
	if _, pattern := h.mux.Handler(r); pattern != "" {
		h.mux.ServeHTTP(w, r)
		return
	}
	var allow []string
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, p := h.mux.Handler(probe); p != "" {
			allow = append(allow, m)
		}
	}
	if len(allow) == 0 {
		writeError(w, r, h.log, store.Errorf(store.NotFound, "no API route %s", quote(r.URL.Path)))
		return
	}
	w.Header().Set("Allow", strings.Join(allow, ", "))
	writeStatus(w, http.StatusMethodNotAllowed, "method_not_allowed", r.Method+" is not allowed here; use "+strings.Join(allow, " or "))
}

func (h *Handler) serve(rt Route) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		a, err := h.actor(r)
		if err == nil {
			err = rt.handle(w, r, a)
		}
		if err != nil {
			writeError(w, r, h.log, err)
		}
	}
}

// actor authenticates a request: a bearer token, else the session cookie,
// else anonymous. A credential that is sent but wrong is an error, not
// anonymity, so the caller learns why.
func (h *Handler) actor(r *http.Request) (Actor, error) {
	if auth := r.Header.Get("Authorization"); auth != "" {
		scheme, secret, ok := strings.Cut(auth, " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") {
			return Actor{}, store.Errorf(store.Unauthorized, "the Authorization header must be \"Bearer <API token>\"")
		}
		return h.s.TokenActor(r.Context(), strings.TrimSpace(secret))
	}
	c, err := r.Cookie(cookieName)
	if err != nil || c.Value == "" {
		return Actor{}, nil
	}
	acc, err := h.s.Session(r.Context(), c.Value)
	if store.IsCode(err, store.Unauthorized) {
		return Actor{}, nil // an ended session is anonymity; routes that need more say so
	}
	if err != nil {
		return Actor{}, err
	}
	return Actor{Account: acc}, nil
}

func (h *Handler) setSession(w http.ResponseWriter, r *http.Request, secret string) {
	http.SetCookie(w, &http.Cookie{
		Name: cookieName, Value: secret, Path: "/",
		MaxAge:   int(h.s.SessionTTL() / time.Second),
		HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: h.cfg.Secure || r.TLS != nil,
	})
}

func (h *Handler) clearSession(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: cookieName, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: h.cfg.Secure || r.TLS != nil})
}

// ClientAddr identifies the client for login throttling, by the
// handler's TrustProxy. The admin's pages use it too, so that a login by
// either way is counted against the same client.
func (h *Handler) ClientAddr(r *http.Request) string { return ClientAddr(r, h.cfg.TrustProxy) }

// ClientAddr is the client's address: the last X-Forwarded-For entry
// (the one a trusted proxy added) when trustProxy is set, else the
// connection's address.
func ClientAddr(r *http.Request, trustProxy bool) string {
	if trustProxy {
		if xff := r.Header.Values("X-Forwarded-For"); len(xff) > 0 {
			last := xff[len(xff)-1]
			if i := strings.LastIndexByte(last, ','); i >= 0 {
				last = last[i+1:]
			}
			if last = strings.TrimSpace(last); last != "" {
				return last
			}
		}
	}
	host := r.RemoteAddr
	if i := strings.LastIndexByte(host, ':'); i > 0 {
		host = host[:i]
	}
	return host
}

// --- the error table ---

// statusOf maps each error code to its HTTP status: the only place.
var statusOf = map[store.Code]int{
	store.BadRequest:      http.StatusBadRequest,
	store.Unauthorized:    http.StatusUnauthorized,
	store.Forbidden:       http.StatusForbidden,
	store.NotFound:        http.StatusNotFound,
	store.Conflict:        http.StatusConflict,
	store.TooLarge:        http.StatusRequestEntityTooLarge,
	store.UnsupportedType: http.StatusUnsupportedMediaType,
	store.Invalid:         http.StatusUnprocessableEntity,
	store.PreconditionReq: http.StatusPreconditionRequired,
	store.TooManyRequests: http.StatusTooManyRequests,
	store.Internal:        http.StatusInternalServerError,
	store.Unavailable:     http.StatusServiceUnavailable,
}

// StatusOf is the HTTP status of err.
func StatusOf(err error) int {
	if st, ok := statusOf[store.ErrorCode(err)]; ok {
		return st
	}
	return http.StatusInternalServerError
}

// apiProblem is a trigger-set problem in an API error.
type apiProblem struct {
	widget.FieldError
	Line int `json:"line,omitempty"`
	Col  int `json:"col,omitempty"`
}

type apiError struct {
	Code     string       `json:"code"`
	Message  string       `json:"message"`
	Problems []apiProblem `json:"problems,omitempty"`
}

func writeError(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	code := store.ErrorCode(err)
	status := StatusOf(err)
	body := apiError{Code: string(code), Message: store.ErrorMessage(err)}
	var le *locatedError
	var e *store.Error
	if errors.As(err, &le) {
		for _, p := range le.located {
			body.Problems = append(body.Problems, apiProblem{FieldError: p.FieldError, Line: p.Line, Col: p.Col})
		}
	} else if errors.As(err, &e) {
		if e.RetryAfter > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(int(roundWait(e.RetryAfter)/time.Second)))
		}
		for _, p := range e.Problems {
			body.Problems = append(body.Problems, apiProblem{FieldError: p})
		}
	}
	if status >= 500 {
		log.LogAttrs(r.Context(), slog.LevelError, "API request failed",
			slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.String("error", err.Error()))
	}
	if code == store.Unauthorized && r.Header.Get("Authorization") == "" {
		w.Header().Set("WWW-Authenticate", `Bearer realm="triggerwidget"`)
	}
	writeJSON(w, status, map[string]any{"error": body})
}

// writeStatus writes an error that is not a domain error (405).
func writeStatus(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, map[string]any{"error": apiError{Code: code, Message: msg}})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

// readBody reads a capped request body.
func readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, error) {
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return nil, store.Errorf(store.TooLarge, "the request body is larger than %d KiB", limit>>10)
	}
	if err != nil {
		return nil, store.Wrap(store.BadRequest, err, "the request body could not be read")
	}
	return data, nil
}

// decode reads a JSON body into v strictly.
func decode(w http.ResponseWriter, r *http.Request, v any) error {
	data, err := readBody(w, r, maxBody)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		msg := err.Error()
		if f, ok := strings.CutPrefix(msg, "json: unknown field "); ok {
			// Named by its start when long: an error does not echo a
			// body back whole.
			if len(f) > 64 {
				f = strings.ToValidUTF8(f[:60], "") + "…\""
			}
			return store.Errorf(store.BadRequest, "unknown field %s in the request body", f)
		}
		if errors.Is(err, io.EOF) {
			return store.Errorf(store.BadRequest, "the request body is empty; send a JSON object")
		}
		return store.Errorf(store.BadRequest, "the request body is not the JSON expected: %s", strings.TrimPrefix(msg, "json: "))
	}
	// More is false for a stray '}' or ']', which is trailing data too.
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return store.Errorf(store.BadRequest, "the request body has data after its JSON object")
	}
	return nil
}

// withLines adds line and column to the problems of an Invalid error
// about the document data.
func withLines(err error, data []byte) error {
	var e *store.Error
	if !errors.As(err, &e) || e.Code != store.Invalid || len(e.Problems) == 0 {
		return err
	}
	return &locatedError{err: e, located: strict.Locate(data, e.Problems)}
}

// locatedError is an Invalid error whose problems know their place.
type locatedError struct {
	err     *store.Error
	located []strict.Problem
}

func (e *locatedError) Error() string { return e.err.Error() }
func (e *locatedError) Unwrap() error { return e.err }

// ctx is a short name for a request's context in handlers.
func ctx(r *http.Request) context.Context { return r.Context() }
