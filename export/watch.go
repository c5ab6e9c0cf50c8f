//go:build !js

package export

import (
	"context"
	"time"

	"github.com/triggerwidget/triggerwidget/store"
)

// Keeping a tree current. Two ways publishing is observed, both without
// polling:
//
//   - Watch wraps the store the admin writes through: once a publish, a new
//     property or an upload has been committed, the files it changes are
//     written before the call returns (so an API write that has answered
//     is in the tree). A failure to write is logged, never the write's
//     failure: the database is the truth, and the next export repairs the
//     tree.
//   - Follow runs a store's notification listener (PostgreSQL's
//     LISTEN/NOTIFY, see postgres.DB.Listen): publishes of every instance
//     sharing the database are exported, and each time the listener
//     (re)connects, when notifications may have been missed, everything is.

// exportTimeout bounds an export that follows a write: it runs on after
// the request that caused it has gone.
const exportTimeout = time.Minute

// Watch returns st with its publishing methods followed by e.
func (e *Exporter) Watch(st store.Store) store.Store { return &watched{Store: st, e: e} }

type watched struct {
	store.Store
	e *Exporter
}

func (w *watched) ctx(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), exportTimeout)
}

func (w *watched) Publish(ctx context.Context, v *store.Version, base int64) error {
	if err := w.Store.Publish(ctx, v, base); err != nil {
		return err
	}
	ctx, cancel := w.ctx(ctx)
	defer cancel()
	w.e.mu.Lock()
	_, err := w.e.property(ctx, v.PropertyID, v)
	w.e.mu.Unlock()
	w.e.logFailure(err, v.PropertyID)
	return nil
}

func (w *watched) CreateProperty(ctx context.Context, p *store.Property, owner int64, first *store.Version) error {
	if err := w.Store.CreateProperty(ctx, p, owner, first); err != nil {
		return err
	}
	ctx, cancel := w.ctx(ctx)
	defer cancel()
	_, err := w.e.Property(ctx, p.ID)
	w.e.logFailure(err, p.ID)
	return nil
}

func (w *watched) PutUpload(ctx context.Context, u *store.Upload) error {
	if err := w.Store.PutUpload(ctx, u); err != nil {
		return err
	}
	w.e.logFailure(w.e.Upload(u), u.PropertyID)
	return nil
}

func (e *Exporter) logFailure(err error, propertyID string) {
	if err != nil {
		e.log.Error("cannot update the exported tree; it is repaired at the next export", "dir", e.dir, "property", propertyID, "error", err)
	}
}

// Listener is a store's publication listener, as postgres.DB.Listen: it
// calls changed(id) for each property published from then on, and
// changed("") once listening, when anything may have changed; it returns
// when ctx is done (nil) or the listening connection is lost (an error).
type Listener func(ctx context.Context, changed func(propertyID string)) error

// Follow exports what listen reports until ctx is done: one property per
// notification, everything each time listen starts (the first time and
// after every reconnection, since notifications may have been missed).
// When listen fails it is started again after a pause that doubles from
// 100 ms up to 10 s, and resets once a connection has lasted a minute.
func (e *Exporter) Follow(ctx context.Context, listen Listener) {
	const first, most = 100 * time.Millisecond, 10 * time.Second
	pause := first
	for ctx.Err() == nil {
		started := time.Now()
		err := listen(ctx, func(id string) {
			if id == "" {
				_, err := e.All(ctx)
				e.logFailure(err, "")
				return
			}
			_, err := e.Property(ctx, id)
			e.logFailure(err, id)
		})
		if ctx.Err() != nil {
			return
		}
		if time.Since(started) > time.Minute {
			pause = first
		}
		e.log.Warn("not listening for publications; the exported tree is brought up to date on reconnection", "error", err, "retry_in", pause)
		t := time.NewTimer(pause)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
		pause = min(pause*2, most)
	}
}
