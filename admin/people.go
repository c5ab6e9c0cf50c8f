package admin

import (
	"cmp"
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/triggerwidget/triggerwidget/store"
)

// InvitationTTL is how long an invitation link can be used.
const InvitationTTL = 7 * 24 * time.Hour

// Members lists the members of a property.
func (s *Service) Members(ctx context.Context, a Actor, propertyID string) ([]store.Member, error) {
	if err := s.Authorize(ctx, a, propertyID, People); err != nil {
		return nil, err
	}
	return s.st.Members(ctx, propertyID)
}

// SetRole changes a member's role. The store refuses to leave a property
// without an Admin.
func (s *Service) SetRole(ctx context.Context, a Actor, propertyID string, accountID int64, role store.Role) error {
	if err := s.Authorize(ctx, a, propertyID, People); err != nil {
		return err
	}
	if !role.Valid() {
		return store.Errorf(store.Invalid, "the role %s must be admin or agent", quote(string(role)))
	}
	if _, err := s.st.Role(ctx, propertyID, accountID); err != nil {
		if store.IsCode(err, store.NotFound) {
			return store.Errorf(store.NotFound, "account %d is not a member of this property", accountID)
		}
		return err
	}
	return s.st.SetMember(ctx, &store.Member{PropertyID: propertyID, AccountID: accountID, Role: role, Added: s.now()})
}

// RemoveMember removes a member (an Admin may remove themselves, unless
// they are the last one).
func (s *Service) RemoveMember(ctx context.Context, a Actor, propertyID string, accountID int64) error {
	if err := s.Authorize(ctx, a, propertyID, People); err != nil {
		return err
	}
	return s.st.RemoveMember(ctx, propertyID, accountID)
}

// Invite creates an invitation and returns it with its secret, which is
// shown once (the admin turns it into a link to send).
func (s *Service) Invite(ctx context.Context, a Actor, propertyID, email string, role store.Role) (*store.Invitation, string, error) {
	if err := s.Authorize(ctx, a, propertyID, People); err != nil {
		return nil, "", err
	}
	email, err := normalizeEmail(email)
	if err != nil {
		return nil, "", err
	}
	if !role.Valid() {
		return nil, "", store.Errorf(store.Invalid, "the role %s must be admin or agent", quote(string(role)))
	}
	if a.Account == nil {
		return nil, "", store.Errorf(store.Forbidden, "invitations are sent by a person: log in to the admin")
	}
	secret, hash := newSecret(invitationPrefix)
	now := s.now()
	inv := &store.Invitation{PropertyID: propertyID, Email: email, Role: role, Hash: hash, InvitedBy: a.Account.ID, Created: now, Expires: now.Add(InvitationTTL)}
	if err := s.st.CreateInvitation(ctx, inv); err != nil {
		return nil, "", err
	}
	return inv, secret, nil
}

// Invitations lists a property's pending invitations.
func (s *Service) Invitations(ctx context.Context, a Actor, propertyID string) ([]store.Invitation, error) {
	if err := s.Authorize(ctx, a, propertyID, People); err != nil {
		return nil, err
	}
	return s.st.Invitations(ctx, propertyID)
}

// Uninvite withdraws an invitation.
func (s *Service) Uninvite(ctx context.Context, a Actor, propertyID string, id int64) error {
	if err := s.Authorize(ctx, a, propertyID, People); err != nil {
		return err
	}
	return s.st.DeleteInvitation(ctx, propertyID, id)
}

// Invitation returns a pending invitation by its secret, for the page that
// accepts it.
func (s *Service) Invitation(ctx context.Context, secret string) (*store.Invitation, error) {
	if !wellFormedSecret(secret, invitationPrefix) {
		return nil, store.Errorf(store.NotFound, "this invitation link is not valid; ask for a new one")
	}
	inv, err := s.st.InvitationByHash(ctx, hashSecret(secret), s.now())
	if store.IsCode(err, store.NotFound) {
		return nil, store.Errorf(store.NotFound, "this invitation was used, withdrawn or has expired; ask for a new one")
	}
	if err != nil {
		return nil, err
	}
	// Sent by someone no longer an Admin of the property: withdrawn with
	// their power.
	if err := s.adminByID(ctx, inv.PropertyID, inv.InvitedBy); err != nil {
		if store.IsCode(err, store.NotFound) || store.IsCode(err, store.Forbidden) {
			return nil, store.Errorf(store.NotFound, "this invitation was withdrawn: whoever sent it is no longer an Admin of the property; ask for a new one")
		}
		return nil, err
	}
	return inv, nil
}

// InvitationView is what the page that accepts an invitation shows to
// whoever holds its link: the invitation, the property's name, who sent
// it, and whether the invited email has an account already (then its
// password is asked, else a new one).
type InvitationView struct {
	store.Invitation
	PropertyName string
	InviterEmail string // "" when the inviter is no longer a member
	HasAccount   bool
}

// ViewInvitation reads a pending invitation by its secret, with what its
// page shows. The secret is the only credential: it reveals nothing more
// of the property than its name and the inviter's email.
func (s *Service) ViewInvitation(ctx context.Context, secret string) (*InvitationView, error) {
	inv, err := s.Invitation(ctx, secret)
	if err != nil {
		return nil, err
	}
	v := &InvitationView{Invitation: *inv, PropertyName: inv.PropertyID}
	if p, err := s.st.Property(ctx, inv.PropertyID); err == nil {
		v.PropertyName = p.Name
	}
	if members, err := s.st.Members(ctx, inv.PropertyID); err == nil {
		for _, m := range members {
			if m.AccountID == inv.InvitedBy {
				v.InviterEmail = m.Email
			}
		}
	}
	_, err = s.st.AccountByEmail(ctx, inv.Email)
	v.HasAccount = err == nil
	return v, nil
}

// Accept accepts an invitation. A person who has no account yet chooses a
// password, which creates it; one who has an account proves it with the
// password (failures count like failed logins). Either way they are
// logged in, and the session's secret is returned.
func (s *Service) Accept(ctx context.Context, secret, password, client string) (*store.Account, string, error) {
	inv, err := s.Invitation(ctx, secret)
	if err != nil {
		return nil, "", err
	}
	existing, err := s.st.AccountByEmail(ctx, inv.Email)
	var acc *store.Account
	var fresh *store.Account
	switch {
	case err == nil:
		wait, _, err := s.throttle.wait(ctx, inv.Email, client)
		if err != nil {
			return nil, "", err
		}
		if wait > 0 {
			return nil, "", &store.Error{Code: store.TooManyRequests, Message: "too many failed logins; try again in " + roundWait(wait).String(), RetryAfter: wait}
		}
		ok, verr := s.verify(ctx, password, existing.PasswordHash)
		if store.IsCode(verr, store.TooManyRequests) || ctx.Err() != nil {
			return nil, "", cmp.Or(verr, ctx.Err())
		}
		if verr != nil || !ok {
			if ferr := s.throttle.fail(ctx, inv.Email, client); ferr != nil {
				s.log.ErrorContext(ctx, "cannot count a failed login", "error", ferr)
			}
			return nil, "", store.Errorf(store.Unauthorized, "%s already has an account: enter its password to join", inv.Email)
		}
		acc = existing
	case store.IsCode(err, store.NotFound):
		if fresh, err = s.newAccount(ctx, inv.Email, password); err != nil {
			return nil, "", err
		}
		acc = fresh
	default:
		return nil, "", err
	}
	id, err := s.st.AcceptInvitation(ctx, inv.Hash, s.now(), acc.ID, fresh)
	if err != nil {
		return nil, "", err
	}
	acc.ID = id
	s.log.InfoContext(ctx, "invitation accepted", "property", inv.PropertyID, "email", inv.Email, "role", inv.Role)
	sess, err := s.startSession(ctx, acc)
	return acc, sess, err
}

// CreateToken creates an API token for a property and returns it with its
// secret, which is shown once.
func (s *Service) CreateToken(ctx context.Context, a Actor, propertyID, name string) (*store.Token, string, error) {
	if err := s.Authorize(ctx, a, propertyID, People); err != nil {
		return nil, "", err
	}
	name = strings.TrimSpace(name)
	if name == "" || !plainText(name) || utf8.RuneCountInString(name) > 100 {
		return nil, "", store.Errorf(store.Invalid, "name the token (1 to 100 characters), e.g. after the CI job that uses it")
	}
	if _, err := s.st.Property(ctx, propertyID); err != nil {
		return nil, "", err
	}
	secret, hash := newSecret(tokenPrefix)
	t := &store.Token{PropertyID: propertyID, Name: name, Hash: hash, CreatedBy: a.Author(), Created: s.now()}
	if err := s.st.CreateToken(ctx, t); err != nil {
		return nil, "", err
	}
	return t, secret, nil
}

// Tokens lists a property's API tokens.
func (s *Service) Tokens(ctx context.Context, a Actor, propertyID string) ([]store.Token, error) {
	if err := s.Authorize(ctx, a, propertyID, People); err != nil {
		return nil, err
	}
	return s.st.Tokens(ctx, propertyID)
}

// RevokeToken deletes an API token.
func (s *Service) RevokeToken(ctx context.Context, a Actor, propertyID string, id int64) error {
	if err := s.Authorize(ctx, a, propertyID, People); err != nil {
		return err
	}
	return s.st.DeleteToken(ctx, propertyID, id)
}
