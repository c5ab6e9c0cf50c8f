package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"log/slog"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/triggerwidget/triggerwidget/store"
)

// Operations: the health check, request ids, and the log handler that
// carries them.
//
//   - /healthz answers 200 {"status":"ok"} — with "database":"ok" when
//     Config.Health is set and answers within healthTimeout — and 503
//     {"status":"unavailable","database":"…"} naming the problem when it
//     does not (the message of the store's error: never a URL, a query or
//     a password; the whole error goes to the log). A load balancer takes
//     an instance whose database is out of reach out of rotation.
//   - Every request has an id: a sane incoming X-Request-Id (1 to 64 of
//     [A-Za-z0-9._:-], as a proxy such as nginx's $request_id sets it), or
//     else one of this process (a random prefix chosen at start and a
//     counter: unique across instances without a random read per
//     request). It is echoed in the response's X-Request-Id and carried
//     by the request's context, so that every log record made with that
//     context — through a handler wrapped by LogHandler — names it as
//     request_id.

// healthTimeout bounds the database check of /healthz.
const healthTimeout = 2 * time.Second

func (s *Server) serveHealth(w http.ResponseWriter, r *http.Request) {
	if !allowMethod(w, r, false) {
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	body := map[string]string{"status": "ok"}
	status := http.StatusOK
	if s.health != nil {
		ctx, cancel := context.WithTimeout(r.Context(), healthTimeout)
		err := s.health(ctx)
		cancel()
		if err != nil {
			s.log.ErrorContext(r.Context(), "health check failed", "error", err)
			msg := "the database does not answer"
			if store.ErrorCode(err) != store.Internal {
				msg = store.ErrorMessage(err)
			}
			body, status = map[string]string{"status": "unavailable", "database": msg}, http.StatusServiceUnavailable
		} else {
			body["database"] = "ok"
		}
	}
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_ = json.NewEncoder(w).Encode(body)
	}
}

// RequestIDHeader is the header that carries a request's id.
const RequestIDHeader = "X-Request-Id"

type requestIDKey struct{}

// RequestID is the id of the request ctx belongs to, or "".
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// WithRequestID returns ctx carrying a request id.
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey{}, id)
}

var (
	idPrefix = func() string {
		var b [6]byte
		_, _ = rand.Read(b[:])
		return hex.EncodeToString(b[:]) + "-"
	}()
	idCounter atomic.Uint64
)

// requestID is the request's sane X-Request-Id, or a new id.
func requestID(r *http.Request) string {
	if id := r.Header.Get(RequestIDHeader); saneRequestID(id) {
		return id
	}
	var buf [40]byte
	return string(strconv.AppendUint(append(buf[:0], idPrefix...), idCounter.Add(1), 10))
}

func saneRequestID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' || c == ':') {
			return false
		}
	}
	return true
}

// LogHandler wraps h so that every record logged with a request's context
// carries its id as request_id.
func LogHandler(h slog.Handler) slog.Handler { return requestIDHandler{h} }

type requestIDHandler struct{ slog.Handler }

func (h requestIDHandler) Handle(ctx context.Context, r slog.Record) error {
	if id := RequestID(ctx); id != "" {
		r = r.Clone()
		r.AddAttrs(slog.String("request_id", id))
	}
	return h.Handler.Handle(ctx, r)
}

func (h requestIDHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return requestIDHandler{h.Handler.WithAttrs(as)}
}

func (h requestIDHandler) WithGroup(name string) slog.Handler {
	return requestIDHandler{h.Handler.WithGroup(name)}
}
