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
// Listen holds one connection of its own, outside the pool. After 15 s
// without a notification it checks that the connection still answers
// (and returns the error when it does not), so that a connection the
// network lost silently is noticed within about half a minute.
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
		wait, cancel := context.WithTimeout(ctx, db.quiet)
		n, err := conn.WaitForNotification(wait)
		cancel()
		if err != nil && ctx.Err() == nil && wait.Err() != nil && !conn.IsClosed() {
			// Quiet for a while: make sure the connection still answers,
			// since one lost without a word from the network (a
			// firewall's dropped state, a dead peer) would otherwise wait
			// here for ever while publications go unheard.
			check, cancel := context.WithTimeout(ctx, db.quiet)
			err = conn.Ping(check)
			cancel()
			if err == nil {
				continue
			}
		}
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
