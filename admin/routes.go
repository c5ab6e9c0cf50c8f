package admin

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/triggerwidget/triggerwidget/store"
	"github.com/triggerwidget/triggerwidget/widget"
)

// table is every route of the API; docs/api.md documents each.
func (h *Handler) table() []Route {
	const p = "/api/v1/properties/{pid}"
	return []Route{
		{"GET", "/api/v1/setup", "anyone", h.getSetup},
		{"POST", "/api/v1/setup", "anyone", h.postSetup},
		{"POST", "/api/v1/session", "anyone", h.login},
		{"DELETE", "/api/v1/session", "anyone", h.logout},
		{"GET", "/api/v1/me", "account", h.me},
		{"POST", "/api/v1/invitations/accept", "anyone", h.accept},

		{"GET", "/api/v1/properties", "account", h.listProperties},
		{"POST", "/api/v1/properties", "account", h.createProperty},
		{"GET", p, "member", h.getSettings},
		{"PATCH", p, "manage", h.patchSettings},

		{"GET", p + "/triggerset", "manage", h.getSet},
		{"PUT", p + "/triggerset", "manage", h.putSet},
		{"POST", p + "/validate", "manage", h.validate},

		{"GET", p + "/triggers", "manage", h.listItems(triggersList)},
		{"POST", p + "/triggers", "manage", h.addItem(triggersList)},
		{"PUT", p + "/triggers:order", "manage", h.reorder},
		{"POST", p + "/triggers:delete", "manage", h.bulkDelete(triggersList)},
		{"GET", p + "/triggers/{id}", "manage", h.getItem(triggersList)},
		{"PUT", p + "/triggers/{id}", "manage", h.putItem(triggersList)},
		{"DELETE", p + "/triggers/{id}", "manage", h.deleteItem(triggersList)},
		{"POST", p + "/triggers/{id}/duplicate", "manage", h.duplicate},

		{"GET", p + "/shortcuts", "manage", h.listItems(shortcutsList)},
		{"POST", p + "/shortcuts", "manage", h.addItem(shortcutsList)},
		{"POST", p + "/shortcuts:delete", "manage", h.bulkDelete(shortcutsList)},
		{"GET", p + "/shortcuts/{id}", "manage", h.getItem(shortcutsList)},
		{"PUT", p + "/shortcuts/{id}", "manage", h.putItem(shortcutsList)},
		{"DELETE", p + "/shortcuts/{id}", "manage", h.deleteItem(shortcutsList)},

		{"GET", p + "/versions", "manage", h.listVersions},
		{"GET", p + "/versions/{n}", "manage", h.getVersion},
		{"POST", p + "/versions/{n}/restore", "manage", h.restore},

		{"GET", p + "/uploads", "manage", h.listUploads},
		{"POST", p + "/uploads", "manage", h.postUpload},

		{"GET", p + "/members", "people", h.listMembers},
		{"PUT", p + "/members/{account}", "people", h.putMember},
		{"DELETE", p + "/members/{account}", "people", h.deleteByID("account", "member", h.s.RemoveMember)},
		{"GET", p + "/invitations", "people", h.listInvitations},
		{"POST", p + "/invitations", "people", h.invite},
		{"DELETE", p + "/invitations/{id}", "people", h.deleteByID("id", "invitation", h.s.Uninvite)},
		{"GET", p + "/tokens", "people", h.listTokens},
		{"POST", p + "/tokens", "people", h.createToken},
		{"DELETE", p + "/tokens/{id}", "people", h.deleteByID("id", "token", h.s.RevokeToken)},
	}
}

// --- accounts and sessions ---

func (h *Handler) getSetup(w http.ResponseWriter, r *http.Request, _ Actor) error {
	need, err := h.s.NeedsSetup(ctx(r))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]bool{"needed": need})
	return nil
}

type credentials struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

func (h *Handler) postSetup(w http.ResponseWriter, r *http.Request, _ Actor) error {
	var c credentials
	if err := decode(w, r, &c); err != nil {
		return err
	}
	acc, secret, err := h.s.Setup(ctx(r), c.Email, c.Password)
	if err != nil {
		return err
	}
	h.setSession(w, r, secret)
	writeJSON(w, http.StatusCreated, accountJSON(acc))
	return nil
}

func (h *Handler) login(w http.ResponseWriter, r *http.Request, _ Actor) error {
	var c credentials
	if err := decode(w, r, &c); err != nil {
		return err
	}
	acc, secret, err := h.s.Login(ctx(r), c.Email, c.Password, h.ClientAddr(r))
	if err != nil {
		return err
	}
	h.setSession(w, r, secret)
	writeJSON(w, http.StatusOK, accountJSON(acc))
	return nil
}

func (h *Handler) logout(w http.ResponseWriter, r *http.Request, _ Actor) error {
	if c, err := r.Cookie(cookieName); err == nil {
		if err := h.s.Logout(ctx(r), c.Value); err != nil {
			return err
		}
	}
	h.clearSession(w, r)
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func accountJSON(a *store.Account) map[string]any {
	return map[string]any{"id": a.ID, "email": a.Email}
}

func (h *Handler) me(w http.ResponseWriter, r *http.Request, a Actor) error {
	switch {
	case a.Account != nil:
		writeJSON(w, http.StatusOK, map[string]any{"account": accountJSON(a.Account)})
	case a.Token != nil:
		writeJSON(w, http.StatusOK, map[string]any{"token": map[string]any{"name": a.Token.Name, "property": a.Token.PropertyID}})
	default:
		return store.Errorf(store.Unauthorized, "log in or send an API token (Authorization: Bearer …)")
	}
	return nil
}

func (h *Handler) accept(w http.ResponseWriter, r *http.Request, _ Actor) error {
	var body struct {
		Token    string `json:"token"`
		Password string `json:"password"`
	}
	if err := decode(w, r, &body); err != nil {
		return err
	}
	acc, secret, err := h.s.Accept(ctx(r), body.Token, body.Password, h.ClientAddr(r))
	if err != nil {
		return err
	}
	h.setSession(w, r, secret)
	writeJSON(w, http.StatusOK, accountJSON(acc))
	return nil
}

// --- properties ---

type propertyJSON struct {
	ID         string     `json:"id"`
	Name       string     `json:"name"`
	WebsiteURL string     `json:"websiteUrl"`
	Role       store.Role `json:"role"`
}

func (h *Handler) listProperties(w http.ResponseWriter, r *http.Request, a Actor) error {
	ps, err := h.s.Properties(ctx(r), a)
	if err != nil {
		return err
	}
	out := make([]propertyJSON, len(ps))
	for i, p := range ps {
		out[i] = propertyJSON{p.ID, p.Name, p.WebsiteURL, p.Role}
	}
	writeJSON(w, http.StatusOK, map[string]any{"properties": out})
	return nil
}

func (h *Handler) createProperty(w http.ResponseWriter, r *http.Request, a Actor) error {
	if a.Anonymous() {
		return store.Errorf(store.Unauthorized, "log in to create a property")
	}
	var body struct {
		ID         string `json:"id"`
		Name       string `json:"name"`
		WebsiteURL string `json:"websiteUrl"`
		Timezone   string `json:"timezone"`
	}
	if err := decode(w, r, &body); err != nil {
		return err
	}
	st, err := h.s.CreateProperty(ctx(r), a, "", NewProperty{
		ID: body.ID, Name: body.Name, WebsiteURL: body.WebsiteURL, Timezone: body.Timezone,
		Language: language(r),
	})
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/properties/"+url.PathEscape(st.ID))
	writeJSON(w, http.StatusCreated, st)
	return nil
}

// language is the request's preferred language among those the admin
// speaks ("fr" or "en").
func language(r *http.Request) string {
	if l := r.URL.Query().Get("lang"); l != "" {
		return l
	}
	for _, part := range strings.Split(r.Header.Get("Accept-Language"), ",") {
		tag, _, _ := strings.Cut(strings.TrimSpace(part), ";")
		switch {
		case len(tag) >= 2 && (tag[:2] == "fr" || tag[:2] == "FR"):
			return "fr"
		case len(tag) >= 2 && (tag[:2] == "en" || tag[:2] == "EN"):
			return "en"
		}
	}
	return "en"
}

func (h *Handler) getSettings(w http.ResponseWriter, r *http.Request, a Actor) error {
	st, err := h.s.Settings(ctx(r), a, r.PathValue("pid"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, st)
	return nil
}

func (h *Handler) patchSettings(w http.ResponseWriter, r *http.Request, a Actor) error {
	pid := r.PathValue("pid")
	if err := h.s.Authorize(ctx(r), a, pid, Manage); err != nil {
		return err
	}
	var c SettingsChange
	if err := decode(w, r, &c); err != nil {
		return err
	}
	st, err := h.s.UpdateSettings(ctx(r), a, pid, c)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, st)
	return nil
}

// --- the trigger set ---

func setHeaders(w http.ResponseWriter, v *store.Version) {
	w.Header().Set("ETag", SetETag(v.Number))
	w.Header().Set("X-Set-Version", strconv.FormatInt(v.Number, 10))
}

func (h *Handler) getSet(w http.ResponseWriter, r *http.Request, a Actor) error {
	v, err := h.s.TriggerSet(ctx(r), a, r.PathValue("pid"))
	if err != nil {
		return err
	}
	setHeaders(w, v)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(v.Data)
	return nil
}

// writtenJSON is the answer to a write of the whole set.
type writtenJSON struct {
	Version  int64               `json:"version"`
	ETag     string              `json:"etag"`
	Changed  bool                `json:"changed"`
	Summary  string              `json:"summary"`
	Warnings []widget.FieldError `json:"warnings"`
}

func written(w *Written) writtenJSON {
	out := writtenJSON{Version: w.Version.Number, ETag: SetETag(w.Version.Number), Changed: w.Changed, Summary: w.Version.Summary, Warnings: w.Warnings}
	if !w.Changed {
		out.Summary = fmt.Sprintf("No change: version %d is already this set", w.Version.Number)
	}
	if out.Warnings == nil {
		out.Warnings = []widget.FieldError{}
	}
	return out
}

// readSet reads a whole-set body; an unauthorised caller learns nothing
// about its size limit.
func (h *Handler) readSet(w http.ResponseWriter, r *http.Request, a Actor) ([]byte, error) {
	if err := h.s.Authorize(ctx(r), a, r.PathValue("pid"), Manage); err != nil {
		return nil, err
	}
	return readBody(w, r, maxBody)
}

func (h *Handler) putSet(w http.ResponseWriter, r *http.Request, a Actor) error {
	data, err := h.readSet(w, r, a)
	if err != nil {
		return err
	}
	res, err := h.s.PutSet(ctx(r), a, r.PathValue("pid"), r.Header.Get("If-Match"), data)
	if err != nil {
		return withLines(err, data)
	}
	setHeaders(w, res.Version)
	writeJSON(w, http.StatusOK, written(res))
	return nil
}

func (h *Handler) validate(w http.ResponseWriter, r *http.Request, a Actor) error {
	data, err := h.readSet(w, r, a)
	if err != nil {
		return err
	}
	c, err := h.s.Validate(ctx(r), a, r.PathValue("pid"), data)
	if err != nil {
		return withLines(err, data)
	}
	warnings := c.Warnings
	if warnings == nil {
		warnings = []widget.FieldError{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"valid": true, "warnings": warnings})
	return nil
}

// --- triggers and shortcuts, one by one ---

func (h *Handler) listItems(k list) func(http.ResponseWriter, *http.Request, Actor) error {
	return func(w http.ResponseWriter, r *http.Request, a Actor) error {
		items, v, err := h.s.items(ctx(r), a, r.PathValue("pid"), k)
		if err != nil {
			return err
		}
		raws := make([]json.RawMessage, len(items))
		for i, it := range items {
			raws[i] = it.Raw
		}
		setHeaders(w, v)
		body := map[string]any{"version": v.Number, k.noun + "s": raws}
		if k.noun == "trigger" {
			body["max"] = widget.MaxTriggers
		}
		writeJSON(w, http.StatusOK, body)
		return nil
	}
}

// writeItem answers with one trigger or shortcut as stored.
// v, when not nil, is the version just written, which holds the item.
func (h *Handler) writeItem(w http.ResponseWriter, r *http.Request, a Actor, k list, id string, status int, v *store.Version) error {
	var it *Item
	var err error
	if v != nil {
		it, err = itemIn(v, k, id)
	} else {
		it, err = h.s.item(ctx(r), a, r.PathValue("pid"), k, id)
	}
	if err != nil {
		return err
	}
	w.Header().Set("ETag", it.ETag)
	if v != nil {
		w.Header().Set("X-Set-Version", strconv.FormatInt(v.Number, 10))
	}
	if status == http.StatusCreated {
		w.Header().Set("Location", "/api/v1/properties/"+url.PathEscape(r.PathValue("pid"))+"/"+k.noun+"s/"+url.PathEscape(id))
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(append(it.Raw, '\n'))
	return nil
}

func (h *Handler) getItem(k list) func(http.ResponseWriter, *http.Request, Actor) error {
	return func(w http.ResponseWriter, r *http.Request, a Actor) error {
		return h.writeItem(w, r, a, k, r.PathValue("id"), http.StatusOK, nil)
	}
}

// readItem reads the body of a one-trigger write.
func (h *Handler) readItem(w http.ResponseWriter, r *http.Request, a Actor) ([]byte, error) {
	if err := h.s.Authorize(ctx(r), a, r.PathValue("pid"), Manage); err != nil {
		return nil, err
	}
	return readBody(w, r, maxBody)
}

func (h *Handler) addItem(k list) func(http.ResponseWriter, *http.Request, Actor) error {
	return func(w http.ResponseWriter, r *http.Request, a Actor) error {
		data, err := h.readItem(w, r, a)
		if err != nil {
			return err
		}
		res, id, err := h.s.addItem(ctx(r), a, r.PathValue("pid"), k, data)
		if err != nil {
			return err
		}
		return h.writeItem(w, r, a, k, id, http.StatusCreated, res.Version)
	}
}

func (h *Handler) putItem(k list) func(http.ResponseWriter, *http.Request, Actor) error {
	return func(w http.ResponseWriter, r *http.Request, a Actor) error {
		data, err := h.readItem(w, r, a)
		if err != nil {
			return err
		}
		id := r.PathValue("id")
		res, err := h.s.putItem(ctx(r), a, r.PathValue("pid"), k, id, r.Header.Get("If-Match"), data)
		if err != nil {
			return err
		}
		// The body may rename the item; answer with it under its new id.
		var moved item
		_ = json.Unmarshal(data, &moved)
		if moved.ID != "" {
			id = moved.ID
		}
		return h.writeItem(w, r, a, k, id, http.StatusOK, res.Version)
	}
}

func (h *Handler) deleteItem(k list) func(http.ResponseWriter, *http.Request, Actor) error {
	return func(w http.ResponseWriter, r *http.Request, a Actor) error {
		res, err := h.s.deleteItems(ctx(r), a, r.PathValue("pid"), k, []string{r.PathValue("id")})
		if err != nil {
			return err
		}
		w.Header().Set("X-Set-Version", strconv.FormatInt(res.Version.Number, 10))
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
}

type idsBody struct {
	IDs []string `json:"ids"`
}

func (h *Handler) bulkDelete(k list) func(http.ResponseWriter, *http.Request, Actor) error {
	return func(w http.ResponseWriter, r *http.Request, a Actor) error {
		if err := h.s.Authorize(ctx(r), a, r.PathValue("pid"), Manage); err != nil {
			return err
		}
		var body idsBody
		if err := decode(w, r, &body); err != nil {
			return err
		}
		res, err := h.s.deleteItems(ctx(r), a, r.PathValue("pid"), k, body.IDs)
		if err != nil {
			return err
		}
		setHeaders(w, res.Version)
		writeJSON(w, http.StatusOK, written(res))
		return nil
	}
}

func (h *Handler) reorder(w http.ResponseWriter, r *http.Request, a Actor) error {
	if err := h.s.Authorize(ctx(r), a, r.PathValue("pid"), Manage); err != nil {
		return err
	}
	var body idsBody
	if err := decode(w, r, &body); err != nil {
		return err
	}
	res, err := h.s.ReorderTriggers(ctx(r), a, r.PathValue("pid"), body.IDs)
	if err != nil {
		return err
	}
	setHeaders(w, res.Version)
	writeJSON(w, http.StatusOK, written(res))
	return nil
}

func (h *Handler) duplicate(w http.ResponseWriter, r *http.Request, a Actor) error {
	res, id, err := h.s.DuplicateTrigger(ctx(r), a, r.PathValue("pid"), r.PathValue("id"))
	if err != nil {
		return err
	}
	return h.writeItem(w, r, a, triggersList, id, http.StatusCreated, res.Version)
}

// --- versions ---

type versionJSON struct {
	Number  int64           `json:"number"`
	Author  string          `json:"author"`
	Summary string          `json:"summary"`
	Created time.Time       `json:"created"`
	Set     json.RawMessage `json:"set,omitempty"`
}

func versionOf(v store.Version) versionJSON {
	return versionJSON{Number: v.Number, Author: v.Author, Summary: v.Summary, Created: v.Created.UTC(), Set: v.Data}
}

func (h *Handler) listVersions(w http.ResponseWriter, r *http.Request, a Actor) error {
	q := r.URL.Query()
	before, limit := intParam(q, "before"), intParam(q, "limit")
	if before < 0 || limit < 0 {
		return store.Errorf(store.BadRequest, "before and limit must be whole numbers ≥ 0")
	}
	vs, err := h.s.Versions(ctx(r), a, r.PathValue("pid"), before, int(limit))
	if err != nil {
		return err
	}
	out := make([]versionJSON, len(vs))
	for i, v := range vs {
		out[i] = versionOf(v)
	}
	writeJSON(w, http.StatusOK, map[string]any{"versions": out})
	return nil
}

// intParam reads a non-negative integer parameter: 0 when absent, -1 when
// malformed.
func intParam(q url.Values, name string) int64 {
	s := q.Get(name)
	if s == "" {
		return 0
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return -1
	}
	return n
}

func versionNumber(r *http.Request) (int64, error) {
	n, err := strconv.ParseInt(r.PathValue("n"), 10, 64)
	if err != nil || n <= 0 {
		return 0, store.Errorf(store.NotFound, "no version %s", quote(r.PathValue("n")))
	}
	return n, nil
}

func (h *Handler) getVersion(w http.ResponseWriter, r *http.Request, a Actor) error {
	if err := h.s.Authorize(ctx(r), a, r.PathValue("pid"), Manage); err != nil {
		return err
	}
	n, err := versionNumber(r)
	if err != nil {
		return err
	}
	v, err := h.s.Version(ctx(r), a, r.PathValue("pid"), n)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, versionOf(*v))
	return nil
}

func (h *Handler) restore(w http.ResponseWriter, r *http.Request, a Actor) error {
	if err := h.s.Authorize(ctx(r), a, r.PathValue("pid"), Manage); err != nil {
		return err
	}
	n, err := versionNumber(r)
	if err != nil {
		return err
	}
	res, err := h.s.Restore(ctx(r), a, r.PathValue("pid"), n, r.Header.Get("If-Match"))
	if err != nil {
		return err
	}
	setHeaders(w, res.Version)
	writeJSON(w, http.StatusOK, written(res))
	return nil
}

// --- people and tokens ---

func (h *Handler) listMembers(w http.ResponseWriter, r *http.Request, a Actor) error {
	ms, err := h.s.Members(ctx(r), a, r.PathValue("pid"))
	if err != nil {
		return err
	}
	out := make([]map[string]any, len(ms))
	for i, m := range ms {
		out[i] = map[string]any{"account": m.AccountID, "email": m.Email, "role": m.Role, "added": m.Added.UTC()}
	}
	writeJSON(w, http.StatusOK, map[string]any{"members": out})
	return nil
}

func pathID(r *http.Request, name, what string) (int64, error) {
	n, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || n <= 0 {
		return 0, store.Errorf(store.NotFound, "no %s %s", what, quote(r.PathValue(name)))
	}
	return n, nil
}

func (h *Handler) putMember(w http.ResponseWriter, r *http.Request, a Actor) error {
	pid := r.PathValue("pid")
	if err := h.s.Authorize(ctx(r), a, pid, People); err != nil {
		return err
	}
	id, err := pathID(r, "account", "member")
	if err != nil {
		return err
	}
	var body struct {
		Role store.Role `json:"role"`
	}
	if err := decode(w, r, &body); err != nil {
		return err
	}
	if err := h.s.SetRole(ctx(r), a, pid, id, body.Role); err != nil {
		return err
	}
	return h.listMembers(w, r, a)
}

func invitationJSON(inv store.Invitation) map[string]any {
	return map[string]any{"id": inv.ID, "email": inv.Email, "role": inv.Role, "created": inv.Created.UTC(), "expires": inv.Expires.UTC()}
}

func (h *Handler) listInvitations(w http.ResponseWriter, r *http.Request, a Actor) error {
	invs, err := h.s.Invitations(ctx(r), a, r.PathValue("pid"))
	if err != nil {
		return err
	}
	out := make([]map[string]any, len(invs))
	for i, inv := range invs {
		out[i] = invitationJSON(inv)
	}
	writeJSON(w, http.StatusOK, map[string]any{"invitations": out})
	return nil
}

func (h *Handler) invite(w http.ResponseWriter, r *http.Request, a Actor) error {
	pid := r.PathValue("pid")
	if err := h.s.Authorize(ctx(r), a, pid, People); err != nil {
		return err
	}
	var body struct {
		Email string     `json:"email"`
		Role  store.Role `json:"role"`
	}
	if err := decode(w, r, &body); err != nil {
		return err
	}
	inv, secret, err := h.s.Invite(ctx(r), a, pid, body.Email, body.Role)
	if err != nil {
		return err
	}
	out := invitationJSON(*inv)
	out["token"] = secret
	writeJSON(w, http.StatusCreated, out)
	return nil
}

func tokenJSON(t store.Token) map[string]any {
	out := map[string]any{"id": t.ID, "name": t.Name, "createdBy": t.CreatedBy, "created": t.Created.UTC(), "lastUsed": nil}
	if !t.LastUsed.IsZero() {
		out["lastUsed"] = t.LastUsed.UTC()
	}
	return out
}

func (h *Handler) listTokens(w http.ResponseWriter, r *http.Request, a Actor) error {
	ts, err := h.s.Tokens(ctx(r), a, r.PathValue("pid"))
	if err != nil {
		return err
	}
	out := make([]map[string]any, len(ts))
	for i, t := range ts {
		out[i] = tokenJSON(t)
	}
	writeJSON(w, http.StatusOK, map[string]any{"tokens": out})
	return nil
}

func (h *Handler) createToken(w http.ResponseWriter, r *http.Request, a Actor) error {
	pid := r.PathValue("pid")
	if err := h.s.Authorize(ctx(r), a, pid, People); err != nil {
		return err
	}
	var body struct {
		Name string `json:"name"`
	}
	if err := decode(w, r, &body); err != nil {
		return err
	}
	t, secret, err := h.s.CreateToken(ctx(r), a, pid, body.Name)
	if err != nil {
		return err
	}
	out := tokenJSON(*t)
	out["token"] = secret
	writeJSON(w, http.StatusCreated, out)
	return nil
}

// deleteByID answers DELETE of a numbered thing of a property that only
// its Admins may manage (a member, an invitation, a token): 204.
func (h *Handler) deleteByID(param, what string, del func(context.Context, Actor, string, int64) error) func(http.ResponseWriter, *http.Request, Actor) error {
	return func(w http.ResponseWriter, r *http.Request, a Actor) error {
		pid := r.PathValue("pid")
		if err := h.s.Authorize(ctx(r), a, pid, People); err != nil {
			return err
		}
		id, err := pathID(r, param, what)
		if err != nil {
			return err
		}
		if err := del(ctx(r), a, pid, id); err != nil {
			return err
		}
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
}
