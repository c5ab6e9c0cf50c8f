//go:build !js

package sqlite

import (
	"context"
	"database/sql"
	"time"

	"github.com/triggerwidget/triggerwidget/store"
)

// CreateProperty implements store.Properties. A zero p.Created is set to
// now; first.Created is always now.
func (db *DB) CreateProperty(ctx context.Context, p *store.Property, owner int64, first *store.Version) error {
	if first == nil {
		return store.Errorf(store.Internal, "property %q has no first version", p.ID)
	}
	now := stamp(time.Time{}, db.now())
	created := stamp(p.Created, now)
	err := db.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO properties (id, name, website_url, created) VALUES (?, ?, ?, ?)`,
			p.ID, p.Name, p.WebsiteURL, millis(created))
		if unique(err, "properties.id") {
			return store.Errorf(store.Conflict, "property id %s is taken", p.ID)
		}
		if err != nil {
			return err
		}
		if err := mustAccount(ctx, tx, owner); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO members (property_id, account_id, role, added) VALUES (?, ?, ?, ?)`,
			p.ID, owner, store.RoleAdmin, millis(created)); err != nil {
			return err
		}
		return insertVersion(ctx, tx, p.ID, 1, first, now)
	})
	if err != nil {
		return err
	}
	p.Created = created
	first.PropertyID, first.Number, first.Created = p.ID, 1, now
	return nil
}

const propertyColumns = `p.id, p.name, p.website_url, p.created`

type scanner interface{ Scan(dest ...any) error }

func scanProperty(s scanner, extra ...any) (store.Property, error) {
	var p store.Property
	var created int64
	if err := s.Scan(append([]any{&p.ID, &p.Name, &p.WebsiteURL, &created}, extra...)...); err != nil {
		return p, err
	}
	p.Created = fromMillis(created)
	return p, nil
}

// Property implements store.Properties.
func (db *DB) Property(ctx context.Context, id string) (*store.Property, error) {
	p, err := scanProperty(db.r.QueryRowContext(ctx, `SELECT `+propertyColumns+` FROM properties p WHERE p.id = ?`, id))
	if err != nil {
		return nil, storeError(notFound(err, "no property %q", id), "cannot read a property")
	}
	return &p, nil
}

// PropertiesOf implements store.Properties.
func (db *DB) PropertiesOf(ctx context.Context, accountID int64) ([]store.PropertyRole, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT `+propertyColumns+`, m.role
		FROM members m JOIN properties p ON p.id = m.property_id
		WHERE m.account_id = ? ORDER BY p.name, p.id`, accountID)
	if err != nil {
		return nil, storeError(err, "cannot list properties")
	}
	defer rows.Close()
	var list []store.PropertyRole
	for rows.Next() {
		var pr store.PropertyRole
		if pr.Property, err = scanProperty(rows, &pr.Role); err != nil {
			return nil, storeError(err, "cannot list properties")
		}
		list = append(list, pr)
	}
	return list, storeError(rows.Err(), "cannot list properties")
}

// UpdateProperty implements store.Properties.
func (db *DB) UpdateProperty(ctx context.Context, p *store.Property) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE properties SET name = ?, website_url = ? WHERE id = ?`, p.Name, p.WebsiteURL, p.ID)
		if err != nil {
			return err
		}
		return affected(res, "no property %q", p.ID)
	})
}

// AllProperties implements store.Properties.
func (db *DB) AllProperties(ctx context.Context) ([]store.Property, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT `+propertyColumns+` FROM properties p ORDER BY p.id`)
	if err != nil {
		return nil, storeError(err, "cannot list properties")
	}
	defer rows.Close()
	var list []store.Property
	for rows.Next() {
		p, err := scanProperty(rows)
		if err != nil {
			return nil, storeError(err, "cannot list properties")
		}
		list = append(list, p)
	}
	return list, storeError(rows.Err(), "cannot list properties")
}

// Role implements store.Members.
func (db *DB) Role(ctx context.Context, propertyID string, accountID int64) (store.Role, error) {
	var r store.Role
	err := db.r.QueryRowContext(ctx, `SELECT role FROM members WHERE property_id = ? AND account_id = ?`,
		propertyID, accountID).Scan(&r)
	if err != nil {
		return "", storeError(notFound(err, "account %d is not a member of property %q", accountID, propertyID), "cannot read a role")
	}
	return r, nil
}

// Members implements store.Members: by the time they were added.
func (db *DB) Members(ctx context.Context, propertyID string) ([]store.Member, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT m.property_id, m.account_id, a.email, m.role, m.added
		FROM members m JOIN accounts a ON a.id = m.account_id
		WHERE m.property_id = ? ORDER BY m.added, m.account_id`, propertyID)
	if err != nil {
		return nil, storeError(err, "cannot list members")
	}
	defer rows.Close()
	var list []store.Member
	for rows.Next() {
		var m store.Member
		var added int64
		if err := rows.Scan(&m.PropertyID, &m.AccountID, &m.Email, &m.Role, &added); err != nil {
			return nil, storeError(err, "cannot list members")
		}
		m.Added = fromMillis(added)
		list = append(list, m)
	}
	return list, storeError(rows.Err(), "cannot list members")
}

// SetMember implements store.Members. A new member's zero Added is set to
// now; an existing member keeps its Added.
func (db *DB) SetMember(ctx context.Context, m *store.Member) error {
	var added int64
	var email string
	err := db.write(ctx, func(tx *sql.Tx) error {
		if err := mustProperty(ctx, tx, m.PropertyID); err != nil {
			return err
		}
		if err := mustAccount(ctx, tx, m.AccountID); err != nil {
			return err
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO members (property_id, account_id, role, added) VALUES (?, ?, ?, ?)
			ON CONFLICT (property_id, account_id) DO UPDATE SET role = excluded.role
			RETURNING added`,
			m.PropertyID, m.AccountID, m.Role, millis(stamp(m.Added, db.now()))).Scan(&added)
		if err != nil {
			return err
		}
		if err := mustHaveAdmin(ctx, tx, m.PropertyID); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `SELECT email FROM accounts WHERE id = ?`, m.AccountID).Scan(&email)
	})
	if err != nil {
		return err
	}
	m.Added, m.Email = fromMillis(added), email
	return nil
}

// mustHaveAdmin is Conflict when the property has no admin left.
func mustHaveAdmin(ctx context.Context, tx *sql.Tx, propertyID string) error {
	ok, err := exists(ctx, tx, `SELECT 1 FROM members WHERE property_id = ? AND role = ?`, propertyID, store.RoleAdmin)
	if err == nil && !ok {
		err = store.Errorf(store.Conflict, "property %q would be left without an admin", propertyID)
	}
	return err
}

// RemoveMember implements store.Members.
func (db *DB) RemoveMember(ctx context.Context, propertyID string, accountID int64) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM members WHERE property_id = ? AND account_id = ?`, propertyID, accountID)
		if err != nil {
			return err
		}
		if err := affected(res, "account %d is not a member of property %q", accountID, propertyID); err != nil {
			return err
		}
		return mustHaveAdmin(ctx, tx, propertyID)
	})
}

// CreateInvitation implements store.Invitations. A zero Created is set to
// now.
func (db *DB) CreateInvitation(ctx context.Context, inv *store.Invitation) error {
	created := stamp(inv.Created, db.now())
	var id int64
	err := db.write(ctx, func(tx *sql.Tx) error {
		if err := mustProperty(ctx, tx, inv.PropertyID); err != nil {
			return err
		}
		if err := mustAccount(ctx, tx, inv.InvitedBy); err != nil {
			return err
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO invitations (property_id, email, role, hash, invited_by, created, expires)
			VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			inv.PropertyID, inv.Email, inv.Role, inv.Hash, inv.InvitedBy, millis(created), millis(inv.Expires)).Scan(&id)
		if unique(err, "invitations.hash") {
			return store.Errorf(store.Conflict, "the invitation exists already")
		}
		return err
	})
	if err != nil {
		return err
	}
	inv.ID, inv.Created = id, created
	return nil
}

const invitationColumns = `id, property_id, email, role, hash, invited_by, created, expires`

func scanInvitation(s scanner) (store.Invitation, error) {
	var inv store.Invitation
	var created, expires int64
	err := s.Scan(&inv.ID, &inv.PropertyID, &inv.Email, &inv.Role, &inv.Hash, &inv.InvitedBy, &created, &expires)
	inv.Created, inv.Expires = fromMillis(created), fromMillis(expires)
	return inv, err
}

// Invitations implements store.Invitations: oldest first, expired ones
// included until DeleteExpired.
func (db *DB) Invitations(ctx context.Context, propertyID string) ([]store.Invitation, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT `+invitationColumns+` FROM invitations
		WHERE property_id = ? ORDER BY created, id`, propertyID)
	if err != nil {
		return nil, storeError(err, "cannot list invitations")
	}
	defer rows.Close()
	var list []store.Invitation
	for rows.Next() {
		inv, err := scanInvitation(rows)
		if err != nil {
			return nil, storeError(err, "cannot list invitations")
		}
		list = append(list, inv)
	}
	return list, storeError(rows.Err(), "cannot list invitations")
}

func invitationByHash(ctx context.Context, q querier, hash []byte, now time.Time) (*store.Invitation, error) {
	inv, err := scanInvitation(q.QueryRowContext(ctx, `SELECT `+invitationColumns+` FROM invitations
		WHERE hash = ? AND expires > ?`, hash, millis(now)))
	if err != nil {
		return nil, notFound(err, "no invitation, or it has expired or been used")
	}
	return &inv, nil
}

// InvitationByHash implements store.Invitations.
func (db *DB) InvitationByHash(ctx context.Context, hash []byte, now time.Time) (*store.Invitation, error) {
	inv, err := invitationByHash(ctx, db.r, hash, now)
	return inv, storeError(err, "cannot read an invitation")
}

// DeleteInvitation implements store.Invitations.
func (db *DB) DeleteInvitation(ctx context.Context, propertyID string, id int64) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM invitations WHERE id = ? AND property_id = ?`, id, propertyID)
		if err != nil {
			return err
		}
		return affected(res, "no invitation %d to property %q", id, propertyID)
	})
}

// AcceptInvitation implements store.Invitations. A new account's zero
// Created, and a new member's Added, are set to now.
func (db *DB) AcceptInvitation(ctx context.Context, hash []byte, now time.Time, accountID int64, newAccount *store.Account) (int64, error) {
	var created time.Time
	if newAccount != nil {
		created = stamp(newAccount.Created, now)
	}
	err := db.write(ctx, func(tx *sql.Tx) error {
		inv, err := invitationByHash(ctx, tx, hash, now)
		if err != nil {
			return err
		}
		if newAccount != nil {
			if accountID, err = insertAccount(ctx, tx, newAccount, created); err != nil {
				return err
			}
		} else if err := mustAccount(ctx, tx, accountID); err != nil {
			return err
		}
		// An admin invited again as an agent stays an admin.
		if _, err := tx.ExecContext(ctx, `INSERT INTO members (property_id, account_id, role, added) VALUES (?, ?, ?, ?)
			ON CONFLICT (property_id, account_id) DO UPDATE SET role = ?
			WHERE excluded.role = ?`,
			inv.PropertyID, accountID, inv.Role, millis(now), store.RoleAdmin, store.RoleAdmin); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM invitations WHERE id = ?`, inv.ID)
		return err
	})
	if err != nil {
		return 0, err
	}
	if newAccount != nil {
		newAccount.ID, newAccount.Created = accountID, created
	}
	return accountID, nil
}
