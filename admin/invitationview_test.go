//go:build !js

package admin_test

import (
	"testing"

	"github.com/triggerwidget/triggerwidget/admin"
	"github.com/triggerwidget/triggerwidget/store"
)

// ViewInvitation shows the page that accepts an invitation what it needs
// (the property's name, the inviter, whether the email has an account)
// with the invitation's secret as the only credential, and nothing for a
// wrong secret.
func TestViewInvitation(t *testing.T) {
	e := newEnv(t)
	e.setupOwner(t, "ann@example.com")
	ann, err := e.st.AccountByEmail(ctx, "ann@example.com")
	if err != nil {
		t.Fatal(err)
	}
	owner := admin.Actor{Account: ann}
	if _, err := e.svc.CreateProperty(ctx, owner, "", admin.NewProperty{ID: "shop", Name: "The Shop"}); err != nil {
		t.Fatal(err)
	}
	e.addAccount(t, "bob@example.com")
	_, bob, err := e.svc.Invite(ctx, owner, "shop", "bob@example.com", store.RoleAgent)
	if err != nil {
		t.Fatal(err)
	}
	_, cat, err := e.svc.Invite(ctx, owner, "shop", "cat@example.com", store.RoleAdmin)
	if err != nil {
		t.Fatal(err)
	}
	v, err := e.svc.ViewInvitation(ctx, bob)
	if err != nil || v.PropertyName != "The Shop" || v.InviterEmail != "ann@example.com" || !v.HasAccount || v.Email != "bob@example.com" {
		t.Errorf("bob's invitation: %+v, %v", v, err)
	}
	if v, err := e.svc.ViewInvitation(ctx, cat); err != nil || v.HasAccount || v.Role != store.RoleAdmin {
		t.Errorf("cat's invitation: %+v, %v", v, err)
	}
	if v, err := e.svc.ViewInvitation(ctx, bob[:len(bob)-1]+"x"); !store.IsCode(err, store.NotFound) || v != nil {
		t.Errorf("a wrong secret: %+v, %v", v, err)
	}
}
