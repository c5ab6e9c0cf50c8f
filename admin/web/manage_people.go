package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/triggerwidget/triggerwidget/admin"
	"github.com/triggerwidget/triggerwidget/store"
)

// Members, invitations and API tokens are for the Admins of a property,
// logged in as themselves (never through an API token). The page that
// accepts an invitation is for whoever holds its link.

func (h *Handler) membersPage(w http.ResponseWriter, r *http.Request, c *call) error {
	data := mgPage("members")
	h.mgNotice(w, r, data)
	return h.renderMembers(w, c, http.StatusOK, data)
}

func (h *Handler) renderMembers(w http.ResponseWriter, c *call, status int, data map[string]any) error {
	members, err := h.s.Members(c.ctx(), c.actor, c.pid)
	if err != nil {
		return err
	}
	invs, err := h.s.Invitations(c.ctx(), c.actor, c.pid)
	if err != nil {
		return err
	}
	data["Members"] = members
	data["Invitations"] = invs
	data["Base"] = mgBase(c)
	data["Me"] = c.actor.Account.ID
	if data["Invite"] == nil {
		data["Invite"] = map[string]string{"role": string(store.RoleAgent)}
	}
	h.render(w, c, status, "members", data)
	return nil
}

// mgMember finds a member by the {aid} of the route.
func (h *Handler) mgMember(r *http.Request, c *call) (*store.Member, error) {
	id, err := strconv.ParseInt(r.PathValue("aid"), 10, 64)
	if err != nil {
		return nil, errNotFound
	}
	members, err := h.s.Members(c.ctx(), c.actor, c.pid)
	if err != nil {
		return nil, err
	}
	for i := range members {
		if members[i].AccountID == id {
			return &members[i], nil
		}
	}
	return nil, store.Errorf(store.NotFound, "this person is no longer a member of the property")
}

// mgPeopleRefusal says why the store refused a change of members: the
// one it can refuse for is leaving the property without an Admin.
func mgPeopleRefusal(lang string, err error) string {
	if store.IsCode(err, store.Conflict) {
		return T(lang, "A property needs at least one Admin: make another member Admin first.")
	}
	return localizeMessage(lang, err)
}

func (h *Handler) rolePost(w http.ResponseWriter, r *http.Request, c *call) error {
	m, err := h.mgMember(r, c)
	if err != nil {
		return err
	}
	role := store.Role(r.PostFormValue("role"))
	err = h.s.SetRole(c.ctx(), c.actor, c.pid, m.AccountID, role)
	if err == nil {
		h.mgNotify(w, r, mgBase(c)+"members", fmt.Sprintf(T(c.lang, "%s is now %s."), m.Email, mgRoleName(c.lang, role)))
		return nil
	}
	status, ok := mgRefusal(err)
	if !ok {
		return err
	}
	data := mgPage("members")
	data["Error"] = mgPeopleRefusal(c.lang, err)
	return h.renderMembers(w, c, status, data)
}

func mgRoleName(lang string, r store.Role) string {
	if r == store.RoleAdmin {
		return T(lang, "Admin")
	}
	return T(lang, "Agent")
}

func (h *Handler) removeMemberPost(w http.ResponseWriter, r *http.Request, c *call) error {
	m, err := h.mgMember(r, c)
	if err != nil {
		return err
	}
	data := mgPage("members")
	if !mgConfirmed(r) {
		data["Confirm"] = map[string]any{
			"Title":  T(c.lang, "Remove member?"),
			"Text":   fmt.Sprintf(T(c.lang, "%s will no longer see this property."), m.Email),
			"Action": mgBase(c) + "members/" + strconv.FormatInt(m.AccountID, 10) + "/remove",
			"Yes":    T(c.lang, "Remove"),
		}
		return h.renderMembers(w, c, http.StatusOK, data)
	}
	err = h.s.RemoveMember(c.ctx(), c.actor, c.pid, m.AccountID)
	if err == nil {
		target := mgBase(c) + "members"
		if m.AccountID == c.actor.Account.ID {
			target = "/admin/"
		}
		h.mgNotify(w, r, target, fmt.Sprintf(T(c.lang, "Removed %s."), m.Email))
		return nil
	}
	status, ok := mgRefusal(err)
	if !ok {
		return err
	}
	data["Error"] = mgPeopleRefusal(c.lang, err)
	return h.renderMembers(w, c, status, data)
}

// invitePost creates an invitation and shows its link, once.
func (h *Handler) invitePost(w http.ResponseWriter, r *http.Request, c *call) error {
	form := map[string]string{"email": strings.TrimSpace(r.PostFormValue("email")), "role": r.PostFormValue("role")}
	data := mgPage("members")
	inv, secret, err := h.s.Invite(c.ctx(), c.actor, c.pid, form["email"], store.Role(form["role"]))
	if err != nil {
		status, ok := mgRefusal(err)
		if !ok {
			return err
		}
		data["Invite"] = form
		data["InviteError"] = localizeMessage(c.lang, err)
		return h.renderMembers(w, c, status, data)
	}
	data["Link"] = h.mgOrigin(r) + "/admin/invitation?token=" + url.QueryEscape(secret)
	data["Invited"] = inv
	data["Notice"] = fmt.Sprintf(T(c.lang, "Invitation created for %s."), inv.Email)
	return h.renderMembers(w, c, http.StatusOK, data)
}

func (h *Handler) withdrawPost(w http.ResponseWriter, r *http.Request, c *call) error {
	id, err := strconv.ParseInt(r.PathValue("iid"), 10, 64)
	if err != nil {
		return errNotFound
	}
	email := r.PostFormValue("email")
	data := mgPage("members")
	if !mgConfirmed(r) {
		data["Confirm"] = map[string]any{
			"Title":  T(c.lang, "Withdraw invitation?"),
			"Text":   fmt.Sprintf(T(c.lang, "The link sent to %s will stop working."), email),
			"Action": mgBase(c) + "members/invitations/" + strconv.FormatInt(id, 10) + "/withdraw",
			"Yes":    T(c.lang, "Withdraw"),
			"Email":  email,
		}
		return h.renderMembers(w, c, http.StatusOK, data)
	}
	if err := h.s.Uninvite(c.ctx(), c.actor, c.pid, id); err != nil {
		status, ok := mgRefusal(err)
		if !ok {
			return err
		}
		data["Error"] = localizeMessage(c.lang, err)
		return h.renderMembers(w, c, status, data)
	}
	h.mgNotify(w, r, mgBase(c)+"members", T(c.lang, "Invitation withdrawn."))
	return nil
}

// invitationPage shows who invites whom to which property, and the form
// that accepts the invitation. The token stays in the query, where the
// link puts it: the server's request log records paths, not queries.
func (h *Handler) invitationPage(w http.ResponseWriter, r *http.Request, c *call) error {
	return h.renderInvitation(w, c, http.StatusOK, r.URL.Query().Get("token"), "")
}

func (h *Handler) renderInvitation(w http.ResponseWriter, c *call, status int, secret, problem string) error {
	data := map[string]any{"Token": secret, "Error": problem}
	// Shown after a refused post too, the page's language switch keeps
	// the token.
	r2 := *c.r
	u := *c.r.URL
	u.RawQuery = url.Values{"token": {secret}}.Encode()
	r2.URL = &u
	c.r = &r2
	inv, err := h.s.ViewInvitation(c.ctx(), secret)
	if err != nil {
		st, ok := mgRefusal(err)
		if !ok {
			return err
		}
		data["Invalid"] = localizeMessage(c.lang, err)
		h.render(w, c, st, "invitation", data)
		return nil
	}
	data["Invitation"] = inv
	data["Role"] = mgRoleName(c.lang, inv.Role)
	data["Property"] = inv.PropertyName
	if inv.InviterEmail != "" {
		data["Inviter"] = inv.InviterEmail
	}
	data["Existing"] = inv.HasAccount
	if c.actor.Account != nil && c.actor.Account.Email != inv.Email {
		data["Other"] = c.actor.Account.Email
	}
	h.render(w, c, status, "invitation", data)
	return nil
}

// invitationPost accepts an invitation, logs the person in and opens the
// property.
func (h *Handler) invitationPost(w http.ResponseWriter, r *http.Request, c *call) error {
	secret := r.PostFormValue("token")
	inv, err := h.s.Invitation(c.ctx(), secret)
	if err != nil {
		if _, ok := mgRefusal(err); !ok {
			return err
		}
		return h.renderInvitation(w, c, admin.StatusOf(err), secret, "")
	}
	_, session, err := h.s.Accept(c.ctx(), secret, r.PostFormValue("password"), h.clientAddr(r))
	if err != nil {
		status, ok := mgRefusal(err)
		if !ok {
			return err
		}
		msg := localizeMessage(c.lang, err)
		switch {
		case store.IsCode(err, store.Unauthorized):
			msg = T(c.lang, "Wrong password for this account.")
		case errors.Is(err, admin.ErrBusy):
			msg = T(c.lang, "The server is busy checking passwords. Wait a moment, then try again.")
		case store.IsCode(err, store.TooManyRequests):
			msg = T(c.lang, "Too many failed logins. Wait a moment, then try again.")
		}
		return h.renderInvitation(w, c, status, secret, msg)
	}
	// Whoever was logged in in this browser is logged out: their session
	// ends with the cookie the new one replaces.
	if old, err := r.Cookie(sessionCookie); err == nil && old.Value != "" {
		if err := h.s.Logout(c.ctx(), old.Value); err != nil {
			return err
		}
	}
	h.setSession(w, r, session)
	http.Redirect(w, r, "/admin/p/"+url.PathEscape(inv.PropertyID)+"/", http.StatusSeeOther)
	return nil
}

// --- API tokens ---

func (h *Handler) tokensPage(w http.ResponseWriter, r *http.Request, c *call) error {
	data := mgPage("tokens")
	h.mgNotice(w, r, data)
	return h.renderTokens(w, c, http.StatusOK, data)
}

func (h *Handler) renderTokens(w http.ResponseWriter, c *call, status int, data map[string]any) error {
	tokens, err := h.s.Tokens(c.ctx(), c.actor, c.pid)
	if err != nil {
		return err
	}
	data["Tokens"] = tokens
	data["Base"] = mgBase(c)
	h.render(w, c, status, "tokens", data)
	return nil
}

func (h *Handler) tokenCreate(w http.ResponseWriter, r *http.Request, c *call) error {
	name := r.PostFormValue("name")
	data := mgPage("tokens")
	t, secret, err := h.s.CreateToken(c.ctx(), c.actor, c.pid, name)
	if err != nil {
		status, ok := mgRefusal(err)
		if !ok {
			return err
		}
		data["Name"] = name
		data["NameError"] = localizeMessage(c.lang, err)
		return h.renderTokens(w, c, status, data)
	}
	data["Secret"] = secret
	data["Created"] = t
	data["Notice"] = fmt.Sprintf(T(c.lang, "Token “%s” created."), t.Name)
	return h.renderTokens(w, c, http.StatusOK, data)
}

func (h *Handler) tokenRevoke(w http.ResponseWriter, r *http.Request, c *call) error {
	id, err := strconv.ParseInt(r.PathValue("tid"), 10, 64)
	if err != nil {
		return errNotFound
	}
	name := r.PostFormValue("name")
	data := mgPage("tokens")
	if !mgConfirmed(r) {
		data["Confirm"] = map[string]any{
			"Text":   fmt.Sprintf(T(c.lang, "Token “%s” will stop working at once; whatever uses it will be refused."), name),
			"Action": mgBase(c) + "tokens/" + strconv.FormatInt(id, 10) + "/revoke",
			"Name":   name,
		}
		return h.renderTokens(w, c, http.StatusOK, data)
	}
	if err := h.s.RevokeToken(c.ctx(), c.actor, c.pid, id); err != nil {
		status, ok := mgRefusal(err)
		if !ok {
			return err
		}
		data["Error"] = localizeMessage(c.lang, err)
		return h.renderTokens(w, c, status, data)
	}
	h.mgNotify(w, r, mgBase(c)+"tokens", fmt.Sprintf(T(c.lang, "Token “%s” revoked."), name))
	return nil
}
