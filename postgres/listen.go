//go:build !js

package postgres

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"
)

// PublishedChannel is the notification channel on which every publication
// (Publish, and CreateProperty's version 1) is announced when its
// transaction commits, with the property's id as the payload.
const PublishedChannel = "triggerwidget_published"

// Listen calls changed with a property's id whenever a new version of it
// is published, by this process or any other sharing the database, until
// ctx is done (then it returns nil) or the connection it listens on fails
// (then it returns the error).
//
// It first calls changed with the empty id, once it is listening: any
// publication before that may have been missed, so a cache of published
// sets forgets them all. Calling Listen again after an error does the
// same. changed runs on Listen's goroutine; the next notification waits
// for it to return.
//
// Listen holds one connection of its own, outside the pool.
func (db *DB) Listen(ctx context.Context, changed func(propertyID string)) error {
	conn, err := pgx.ConnectConfig(ctx, db.pool.Config().ConnConfig.Copy())
	if err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return storeError(err, "cannot connect to listen for publications")
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{PublishedChannel}.Sanitize()); err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return storeError(err, "cannot listen for publications")
	}
	changed("")
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			if ctx.Err() != nil && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) || conn.IsClosed()) {
				return nil
			}
			return storeError(err, "lost the connection listening for publications")
		}
		if n.Channel == PublishedChannel {
			changed(n.Payload)
		}
	}
}
