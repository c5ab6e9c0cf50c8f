//go:build !js

package admin_test

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/triggerwidget/triggerwidget/admin"
	"github.com/triggerwidget/triggerwidget/sqlite"
	"github.com/triggerwidget/triggerwidget/store"
)

// The authorization matrix: every route of the API × six kinds of caller.
// Each cell runs on its own copy of one fixture database, so that a cell
// that deletes something leaves the others their own.

// who is a kind of caller.
type who int

const (
	anonymous who = iota
	agentOfP      // an Agent of property p
	adminOfQ      // an Admin of property q only
	adminOfP      // an Admin of property p
	tokenOfQ      // an API token of property q
	tokenOfP      // an API token of property p
	numCallers
)

func (w who) String() string {
	return [...]string{"anonymous", "agent of p", "admin of q", "admin of p", "token of q", "token of p"}[w]
}

func (w who) token() bool { return w == tokenOfQ || w == tokenOfP }

// fixture is what the matrix's database holds, and the secrets to reach it.
type fixture struct {
	dir        string // the database to copy
	callers    [numCallers]caller
	extra      int64  // an Agent of p that cells may promote or remove
	invitation int64  // a pending invitation to p
	invSecret  string // its secret
	spareToken int64  // a token of p that cells may revoke
}

// matrixSet is p's set in the fixture: version 2.
var matrixSet = setJSON("p",
	[]string{siteTrigger("welcome", "Welcome message", "Hi"), pageTrigger("pricing", "Pricing page", "/pricing")},
	shortcut("sc1", "Our prices"))

// buildFixture makes the matrix's database in dir, through the service.
func buildFixture(t *testing.T, dir string) *fixture {
	t.Helper()
	st, err := sqlite.Open(ctx, dir)
	if err != nil {
		t.Fatalf("sqlite.Open: %v", err)
	}
	defer func() {
		if err := st.Close(); err != nil {
			t.Fatalf("closing the fixture: %v", err)
		}
	}()
	clock := newClock()
	svc := admin.New(admin.Config{Store: st, Now: clock.Now, Password: cheap})
	fx := &fixture{dir: dir}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("building the fixture: %v", err)
		}
	}
	owner, sess, err := svc.Setup(ctx, "owner@example.com", password)
	must(err)
	fx.callers[adminOfP] = caller{session: sess}
	login := func(email string) (*store.Account, string) {
		a, err := svc.AddAccount(ctx, email, password)
		must(err)
		_, s, err := svc.Login(ctx, email, password, "127.0.0.1")
		must(err)
		return a, s
	}
	other, sess := login("other@example.com")
	fx.callers[adminOfQ] = caller{session: sess}
	agent, sess := login("agent@example.com")
	fx.callers[agentOfP] = caller{session: sess}
	extra, _ := login("extra@example.com")
	fx.extra = extra.ID

	ownerA, otherA := admin.Actor{Account: owner}, admin.Actor{Account: other}
	_, err = svc.CreateProperty(ctx, ownerA, "", admin.NewProperty{ID: "p", Name: "Property P"})
	must(err)
	_, err = svc.CreateProperty(ctx, otherA, "", admin.NewProperty{ID: "q", Name: "Property Q"})
	must(err)
	for _, id := range []int64{agent.ID, extra.ID} {
		must(st.SetMember(ctx, &store.Member{PropertyID: "p", AccountID: id, Role: store.RoleAgent}))
	}
	_, err = svc.PutSet(ctx, ownerA, "p", "*", []byte(matrixSet))
	must(err)

	_, secret, err := svc.CreateToken(ctx, ownerA, "p", "ci")
	must(err)
	fx.callers[tokenOfP] = caller{bearer: secret}
	_, secret, err = svc.CreateToken(ctx, otherA, "q", "ci")
	must(err)
	fx.callers[tokenOfQ] = caller{bearer: secret}
	spare, _, err := svc.CreateToken(ctx, ownerA, "p", "spare")
	must(err)
	fx.spareToken = spare.ID
	inv, secret, err := svc.Invite(ctx, ownerA, "p", "new@example.com", store.RoleAgent)
	must(err)
	fx.invitation, fx.invSecret = inv.ID, secret
	return fx
}

// copyDir copies the regular files of the fixture's directory tree.
func copyDir(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, path)
		dst := filepath.Join(to, rel)
		if d.IsDir() {
			return os.MkdirAll(dst, 0o700)
		}
		src, err := os.Open(path)
		if err != nil {
			return err
		}
		defer src.Close()
		out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
		if err != nil {
			return err
		}
		if _, err := io.Copy(out, src); err != nil {
			out.Close()
			return err
		}
		return out.Close()
	})
	if err != nil {
		t.Fatalf("copying the fixture: %v", err)
	}
}

// pngBytes is a small valid PNG.
func pngBytes(t testing.TB, w, h int) []byte {
	t.Helper()
	m := image.NewNRGBA(image.Rect(0, 0, w, h))
	for x := range w {
		for y := range h {
			m.Set(x, y, color.NRGBA{uint8(x * 40), uint8(y * 40), 200, 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, m); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// call is a request that succeeds (with ok) when its caller is allowed.
type call struct {
	path string // with the pattern's wildcards filled in
	body any
	hdr  []string
	ok   int
}

// calls gives, for each route (by "METHOD pattern"), a request valid enough
// to succeed for an allowed caller.
func calls(t *testing.T, fx *fixture) map[string]call {
	const p = "/api/v1/properties/p"
	const pat = "/api/v1/properties/{pid}"
	id := func(n int64) string { return strconv.FormatInt(n, 10) }
	return map[string]call{
		"GET /api/v1/setup":               {"/api/v1/setup", nil, nil, 200},
		"POST /api/v1/setup":              {"/api/v1/setup", map[string]string{"email": "x@example.com", "password": password}, nil, 403},
		"POST /api/v1/session":            {"/api/v1/session", map[string]string{"email": "owner@example.com", "password": password}, nil, 200},
		"DELETE /api/v1/session":          {"/api/v1/session", nil, nil, 204},
		"GET /api/v1/me":                  {"/api/v1/me", nil, nil, 200},
		"POST /api/v1/invitations/accept": {"/api/v1/invitations/accept", map[string]string{"token": fx.invSecret, "password": password}, nil, 200},
		"GET /api/v1/properties":          {"/api/v1/properties", nil, nil, 200},
		"POST /api/v1/properties":         {"/api/v1/properties", map[string]string{"name": "New site"}, nil, 201},
		"GET " + pat:                      {p, nil, nil, 200},
		"PATCH " + pat:                    {p, map[string]string{"name": "Renamed"}, nil, 200},

		"GET " + pat + "/triggerset":               {p + "/triggerset", nil, nil, 200},
		"PUT " + pat + "/triggerset":               {p + "/triggerset", setJSON("p", []string{siteTrigger("welcome", "Hello", "Hello")}), []string{"If-Match", "*"}, 200},
		"POST " + pat + "/validate":                {p + "/validate", matrixSet, nil, 200},
		"GET " + pat + "/triggers":                 {p + "/triggers", nil, nil, 200},
		"POST " + pat + "/triggers":                {p + "/triggers", pageTrigger("docs", "Docs", "/docs"), nil, 201},
		"PUT " + pat + "/triggers:order":           {p + "/triggers:order", map[string][]string{"ids": {"pricing", "welcome"}}, nil, 200},
		"POST " + pat + "/triggers:delete":         {p + "/triggers:delete", map[string][]string{"ids": {"pricing"}}, nil, 200},
		"GET " + pat + "/triggers/{id}":            {p + "/triggers/welcome", nil, nil, 200},
		"PUT " + pat + "/triggers/{id}":            {p + "/triggers/welcome", siteTrigger("welcome", "Welcome", "Hello again"), nil, 200},
		"DELETE " + pat + "/triggers/{id}":         {p + "/triggers/pricing", nil, nil, 204},
		"POST " + pat + "/triggers/{id}/duplicate": {p + "/triggers/welcome/duplicate", nil, nil, 201},
		"GET " + pat + "/shortcuts":                {p + "/shortcuts", nil, nil, 200},
		"POST " + pat + "/shortcuts":               {p + "/shortcuts", shortcut("sc2", "Hello"), nil, 201},
		"POST " + pat + "/shortcuts:delete":        {p + "/shortcuts:delete", map[string][]string{"ids": {"sc1"}}, nil, 200},
		"GET " + pat + "/shortcuts/{id}":           {p + "/shortcuts/sc1", nil, nil, 200},
		"PUT " + pat + "/shortcuts/{id}":           {p + "/shortcuts/sc1", shortcut("sc1", "Changed"), nil, 200},
		"DELETE " + pat + "/shortcuts/{id}":        {p + "/shortcuts/sc1", nil, nil, 204},
		"GET " + pat + "/versions":                 {p + "/versions", nil, nil, 200},
		"GET " + pat + "/versions/{n}":             {p + "/versions/1", nil, nil, 200},
		"POST " + pat + "/versions/{n}/restore":    {p + "/versions/1/restore", nil, nil, 200},
		"GET " + pat + "/uploads":                  {p + "/uploads", nil, nil, 200},
		"POST " + pat + "/uploads":                 {p + "/uploads?filename=a.png", pngBytes(t, 3, 2), []string{"Content-Type", "image/png"}, 201},
		"GET " + pat + "/members":                  {p + "/members", nil, nil, 200},
		"PUT " + pat + "/members/{account}":        {p + "/members/" + id(fx.extra), map[string]string{"role": "admin"}, nil, 200},
		"DELETE " + pat + "/members/{account}":     {p + "/members/" + id(fx.extra), nil, nil, 204},
		"GET " + pat + "/invitations":              {p + "/invitations", nil, nil, 200},
		"POST " + pat + "/invitations":             {p + "/invitations", map[string]string{"email": "someone@example.com", "role": "agent"}, nil, 201},
		"DELETE " + pat + "/invitations/{id}":      {p + "/invitations/" + id(fx.invitation), nil, nil, 204},
		"GET " + pat + "/tokens":                   {p + "/tokens", nil, nil, 200},
		"POST " + pat + "/tokens":                  {p + "/tokens", map[string]string{"name": "deploy"}, nil, 201},
		"DELETE " + pat + "/tokens/{id}":           {p + "/tokens/" + id(fx.spareToken), nil, nil, 204},
	}
}

// expected is the status a caller gets from a route whose allowed callers
// get ok, following Route.Caller and Service.Authorize.
func expected(t *testing.T, rt admin.Route, w who, ok int) int {
	switch rt.Caller {
	case "anyone":
		return ok
	case "account":
		switch {
		case w == anonymous:
			return http.StatusUnauthorized
		case w.token() && rt.Method == "POST" && rt.Pattern == "/api/v1/properties":
			return http.StatusForbidden // a token cannot create another property
		}
		return ok
	case "member", "manage", "people":
		switch {
		case w == anonymous:
			return http.StatusUnauthorized
		case w == adminOfQ || w == tokenOfQ:
			return http.StatusNotFound
		case w == agentOfP && rt.Caller != "member":
			return http.StatusForbidden
		case w == tokenOfP && rt.Caller == "people":
			return http.StatusForbidden
		}
		return ok
	}
	t.Errorf("route %s %s: unknown caller kind %q", rt.Method, rt.Pattern, rt.Caller)
	return 0
}

func TestAuthorizationMatrix(t *testing.T) {
	t.Parallel()
	fx := buildFixture(t, t.TempDir())
	routes := admin.NewHandler(admin.New(admin.Config{}), admin.HandlerConfig{}).Routes()
	cs := calls(t, fx)
	seen := map[string]bool{}
	cells := 0
	for _, rt := range routes {
		key := rt.Method + " " + rt.Pattern
		c, ok := cs[key]
		if !ok {
			t.Errorf("route %s has no expectation in the matrix", key)
			continue
		}
		seen[key] = true
		for w := range numCallers {
			status := expected(t, rt, w, c.ok)
			cells++
			t.Run(key+"/"+w.String(), func(t *testing.T) {
				t.Parallel()
				dir := t.TempDir()
				copyDir(t, fx.dir, dir)
				e := newEnvWith(t, envConfig{dir: dir})
				r := e.do(t, fx.callers[w], rt.Method, c.path, c.body, c.hdr...)
				if r.Status != status {
					t.Fatalf("%s %s as %s: status = %d, want %d; body: %s", rt.Method, c.path, w, r.Status, status, bytes.TrimSpace(r.Body))
				}
				if r.Status >= 400 {
					var e apiErr
					decodeJSON(t, r, &e)
					if e.Error.Code == "" || e.Error.Message == "" {
						t.Errorf("error without code or message: %s", r.Body)
					}
				}
				if status == http.StatusUnauthorized || status == http.StatusForbidden || status == http.StatusNotFound {
					// A refused call changes nothing.
					if v := e.storedSet(t, "p"); v.Number != 2 {
						t.Errorf("refused call published version %d (%s)", v.Number, v.Summary)
					}
				}
			})
		}
	}
	for key := range cs {
		if !seen[key] {
			t.Errorf("the matrix expects route %s, which the handler does not have", key)
		}
	}
	if want := len(routes) * int(numCallers); cells != want {
		t.Errorf("matrix has %d cells, want %d", cells, want)
	}
}

// TestBadBearer: a token that is malformed, unknown or revoked is refused
// with 401 and a JSON error, on every kind of route, never taken for
// anonymity.
func TestBadBearer(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	owner := e.setupOwner(t, "owner@example.com")
	e.createProperty(t, owner, "p")
	id, secret := e.createToken(t, owner, "p", "ci")
	want(t, e.do(t, caller{bearer: secret}, "GET", "/api/v1/properties/p/triggerset", nil), http.StatusOK)
	want(t, e.do(t, owner, "DELETE", "/api/v1/properties/p/tokens/"+strconv.FormatInt(id, 10), nil), http.StatusNoContent)

	tests := []struct {
		name string
		auth string
	}{
		{"revoked", "Bearer " + secret},
		{"malformed", "Bearer twk_short"},
		{"wrong prefix", "Bearer " + strings.Replace(secret, "twk_", "tws_", 1)},
		{"unknown", "Bearer twk_" + strings.Repeat("A", 43)},
		{"not bearer", "Basic b3duZXI6cGFzc3dvcmQ="},
		{"empty bearer", "Bearer "},
	}
	for _, tc := range tests {
		for _, path := range []string{"/api/v1/properties/p/triggerset", "/api/v1/me", "/api/v1/setup"} {
			t.Run(tc.name+path, func(t *testing.T) {
				r := e.do(t, anon, "GET", path, nil, "Authorization", tc.auth)
				wantError(t, r, http.StatusUnauthorized, "unauthorized")
			})
		}
	}
}
