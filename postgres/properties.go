//go:build !js

package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/triggerwidget/triggerwidget/store"
)

// CreateProperty implements store.Properties. A zero p.Created is set to
// now; first.Created is always now. Version 1 is published: listeners are
// told, as for Publish.
func (db *DB) CreateProperty(ctx context.Context, p *store.Property, owner int64, first *store.Version) error {
	if first == nil {
		return store.Errorf(store.Internal, "property %q has no first version", p.ID)
	}
	now := stamp(time.Time{}, db.now())
	created := stamp(p.Created, now)
	err := db.write(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO properties (id, name, website_url, created) VALUES ($1, $2, $3, $4)`,
			p.ID, p.Name, p.WebsiteURL, created)
		if unique(err, "properties_id_unique") {
			return store.Errorf(store.Conflict, "property id %s is taken", p.ID)
		}
		if err != nil {
			return err
		}
		if err := mustAccount(ctx, tx, owner); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO members (property_id, account_id, role, added) VALUES ($1, $2, $3, $4)`,
			p.ID, owner, store.RoleAdmin, created); err != nil {
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

func scanProperty(s pgx.Row, extra ...any) (store.Property, error) {
	var p store.Property
	if err := s.Scan(append([]any{&p.ID, &p.Name, &p.WebsiteURL, &p.Created}, extra...)...); err != nil {
		return p, err
	}
	p.Created = p.Created.UTC()
	return p, nil
}

// Property implements store.Properties.
func (db *DB) Property(ctx context.Context, id string) (*store.Property, error) {
	p, err := scanProperty(db.pool.QueryRow(ctx, `SELECT `+propertyColumns+` FROM properties p WHERE p.id = $1`, id))
	if err != nil {
		return nil, storeError(notFound(err, "no property %q", id), "cannot read a property")
	}
	return &p, nil
}

// PropertiesOf implements store.Properties. Names and ids sort by their
// bytes (COLLATE "C"), as in the embedded store, whatever the database's
// locale.
func (db *DB) PropertiesOf(ctx context.Context, accountID int64) ([]store.PropertyRole, error) {
	return list(ctx, db.pool, "cannot list properties", func(r pgx.Rows) (store.PropertyRole, error) {
		var pr store.PropertyRole
		var err error
		pr.Property, err = scanProperty(r, &pr.Role)
		return pr, err
	}, `SELECT `+propertyColumns+`, m.role
		FROM members m JOIN properties p ON p.id = m.property_id
		WHERE m.account_id = $1 ORDER BY p.name COLLATE "C", p.id COLLATE "C"`, accountID)
}

// UpdateProperty implements store.Properties.
func (db *DB) UpdateProperty(ctx context.Context, p *store.Property) error {
	return db.write(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE properties SET name = $1, website_url = $2 WHERE id = $3`, p.Name, p.WebsiteURL, p.ID)
		if err != nil {
			return err
		}
		return affected(tag, "no property %q", p.ID)
	})
}

// AllProperties implements store.Properties.
func (db *DB) AllProperties(ctx context.Context) ([]store.Property, error) {
	return list(ctx, db.pool, "cannot list properties", func(r pgx.Rows) (store.Property, error) {
		return scanProperty(r)
	}, `SELECT `+propertyColumns+` FROM properties p ORDER BY p.id COLLATE "C"`)
}

// list runs a query and scans each row with scan. An error is a
// *store.Error with message.
func list[T any](ctx context.Context, q querier, message string, scan func(pgx.Rows) (T, error), query string, args ...any) ([]T, error) {
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return nil, storeError(err, message)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, storeError(err, message)
		}
		out = append(out, v)
	}
	return out, storeError(rows.Err(), message)
}

// Role implements store.Members.
func (db *DB) Role(ctx context.Context, propertyID string, accountID int64) (store.Role, error) {
	var r store.Role
	err := db.pool.QueryRow(ctx, `SELECT role FROM members WHERE property_id = $1 AND account_id = $2`,
		propertyID, accountID).Scan(&r)
	if err != nil {
		return "", storeError(notFound(err, "account %d is not a member of property %q", accountID, propertyID), "cannot read a role")
	}
	return r, nil
}

// Members implements store.Members: by the time they were added.
func (db *DB) Members(ctx context.Context, propertyID string) ([]store.Member, error) {
	return list(ctx, db.pool, "cannot list members", func(r pgx.Rows) (store.Member, error) {
		var m store.Member
		err := r.Scan(&m.PropertyID, &m.AccountID, &m.Email, &m.Role, &m.Added)
		m.Added = m.Added.UTC()
		return m, err
	}, `SELECT m.property_id, m.account_id, a.email, m.role, m.added
		FROM members m JOIN accounts a ON a.id = m.account_id
		WHERE m.property_id = $1 ORDER BY m.added, m.account_id`, propertyID)
}

// SetMember implements store.Members. A new member's zero Added is set to
// now; an existing member keeps its Added. The property's row is locked
// first, so that two changes of its members (through any instances) run
// one after the other and the second sees whether an admin is left.
func (db *DB) SetMember(ctx context.Context, m *store.Member) error {
	var added time.Time
	var email string
	err := db.write(ctx, func(tx pgx.Tx) error {
		if err := lockProperty(ctx, tx, m.PropertyID, "no property %q", m.PropertyID); err != nil {
			return err
		}
		if err := mustAccount(ctx, tx, m.AccountID); err != nil {
			return err
		}
		err := tx.QueryRow(ctx, `INSERT INTO members (property_id, account_id, role, added) VALUES ($1, $2, $3, $4)
			ON CONFLICT (property_id, account_id) DO UPDATE SET role = excluded.role
			RETURNING added`,
			m.PropertyID, m.AccountID, m.Role, stamp(m.Added, db.now())).Scan(&added)
		if err != nil {
			return err
		}
		if err := mustHaveAdmin(ctx, tx, m.PropertyID); err != nil {
			return err
		}
		return tx.QueryRow(ctx, `SELECT email FROM accounts WHERE id = $1`, m.AccountID).Scan(&email)
	})
	if err != nil {
		return err
	}
	m.Added, m.Email = added.UTC(), email
	return nil
}

// mustHaveAdmin is Conflict when the property has no admin left.
func mustHaveAdmin(ctx context.Context, tx pgx.Tx, propertyID string) error {
	ok, err := exists(ctx, tx, `SELECT 1 FROM members WHERE property_id = $1 AND role = $2`, propertyID, store.RoleAdmin)
	if err == nil && !ok {
		err = store.Errorf(store.Conflict, "property %q would be left without an admin", propertyID)
	}
	return err
}

// RemoveMember implements store.Members, under the property's lock as
// SetMember.
func (db *DB) RemoveMember(ctx context.Context, propertyID string, accountID int64) error {
	return db.write(ctx, func(tx pgx.Tx) error {
		if err := lockProperty(ctx, tx, propertyID, "account %d is not a member of property %q", accountID, propertyID); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `DELETE FROM members WHERE property_id = $1 AND account_id = $2`, propertyID, accountID)
		if err != nil {
			return err
		}
		if err := affected(tag, "account %d is not a member of property %q", accountID, propertyID); err != nil {
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
	err := db.write(ctx, func(tx pgx.Tx) error {
		if err := mustProperty(ctx, tx, inv.PropertyID); err != nil {
			return err
		}
		if err := mustAccount(ctx, tx, inv.InvitedBy); err != nil {
			return err
		}
		err := tx.QueryRow(ctx, `INSERT INTO invitations (property_id, email, role, hash, invited_by, created, expires)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
			inv.PropertyID, inv.Email, inv.Role, inv.Hash, inv.InvitedBy, created, ms(inv.Expires)).Scan(&id)
		if unique(err, "invitations_hash_unique") {
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

func scanInvitation(s pgx.Row) (store.Invitation, error) {
	var inv store.Invitation
	err := s.Scan(&inv.ID, &inv.PropertyID, &inv.Email, &inv.Role, &inv.Hash, &inv.InvitedBy, &inv.Created, &inv.Expires)
	inv.Created, inv.Expires = inv.Created.UTC(), inv.Expires.UTC()
	return inv, err
}

// Invitations implements store.Invitations: oldest first, expired ones
// included until DeleteExpired.
func (db *DB) Invitations(ctx context.Context, propertyID string) ([]store.Invitation, error) {
	return list(ctx, db.pool, "cannot list invitations", func(r pgx.Rows) (store.Invitation, error) {
		return scanInvitation(r)
	}, `SELECT `+invitationColumns+` FROM invitations WHERE property_id = $1 ORDER BY created, id`, propertyID)
}

// InvitationByHash implements store.Invitations.
func (db *DB) InvitationByHash(ctx context.Context, hash []byte, now time.Time) (*store.Invitation, error) {
	inv, err := scanInvitation(db.pool.QueryRow(ctx, `SELECT `+invitationColumns+` FROM invitations
		WHERE hash = $1 AND expires > $2`, hash, ms(now)))
	if err != nil {
		return nil, storeError(notFound(err, "no invitation, or it has expired or been used"), "cannot read an invitation")
	}
	return &inv, nil
}

// DeleteInvitation implements store.Invitations.
func (db *DB) DeleteInvitation(ctx context.Context, propertyID string, id int64) error {
	return db.write(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM invitations WHERE id = $1 AND property_id = $2`, id, propertyID)
		if err != nil {
			return err
		}
		return affected(tag, "no invitation %d to property %q", id, propertyID)
	})
}

// AcceptInvitation implements store.Invitations. A new account's zero
// Created, and a new member's Added, are set to now. The invitation is
// deleted first, which claims it: of two acceptances at once, the second
// waits for the first's row lock and then finds nothing to delete. A later
// failure (a taken email) rolls the deletion back.
func (db *DB) AcceptInvitation(ctx context.Context, hash []byte, now time.Time, accountID int64, newAccount *store.Account) (int64, error) {
	var created time.Time
	if newAccount != nil {
		created = stamp(newAccount.Created, now)
	}
	err := db.write(ctx, func(tx pgx.Tx) error {
		var propertyID string
		var role store.Role
		err := tx.QueryRow(ctx, `DELETE FROM invitations WHERE hash = $1 AND expires > $2 RETURNING property_id, role`,
			hash, ms(now)).Scan(&propertyID, &role)
		if err != nil {
			return notFound(err, "no invitation, or it has expired or been used")
		}
		if newAccount != nil {
			if accountID, err = insertAccount(ctx, tx, newAccount, created); err != nil {
				return err
			}
		} else if err := mustAccount(ctx, tx, accountID); err != nil {
			return err
		}
		// An admin invited again as an agent stays an admin.
		_, err = tx.Exec(ctx, `INSERT INTO members (property_id, account_id, role, added) VALUES ($1, $2, $3, $4)
			ON CONFLICT (property_id, account_id) DO UPDATE SET role = excluded.role
			WHERE excluded.role = $5`,
			propertyID, accountID, role, ms(now), store.RoleAdmin)
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
