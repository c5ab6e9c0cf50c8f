package admin

import (
	"context"
	"maps"
	"time"

	"github.com/triggerwidget/triggerwidget/store"
)

// Several widgetd instances may share one database. Each keeps its own
// cache of published sets (sets.go), so a set one instance publishes must
// reach the caches of the others: FollowPublications drops cached sets
// as a database announces their publications (PostgreSQL's LISTEN/NOTIFY
// through postgres.DB.Listen), and the next request reads the new set.
//
// While it is not listening — before the first connection, and after one
// drops until a new one is up — nothing announces anything, so the whole
// cache is dropped every Follow.Deaf (a second): a set served then is at
// most that old, at the cost of one read per property and second. It
// reconnects after a wait that doubles from Follow.Backoff up to
// Follow.MaxBackoff, starting again from Backoff once it listens.
//
// A set read from the store before a drop is never cached after it (the
// cache's generation), so a slow read cannot put back what a notification
// just removed. A dropped set is kept aside and served when the store
// cannot be read (lastKnown): a database out of reach makes the sets
// stale, not the widget broken.

// Listener is postgres.DB.Listen: it calls changed with a property's id
// for each publication (with "" once it listens: forget everything), until
// ctx is done (nil) or its connection fails (the error).
type Listener func(ctx context.Context, changed func(propertyID string)) error

// Follow tunes FollowPublications; zero fields take the defaults.
type Follow struct {
	Deaf       time.Duration // how often the cache is dropped while not listening; 1s
	Backoff    time.Duration // the first wait before listening again; 250ms
	MaxBackoff time.Duration // the longest wait; 30s
}

// FollowPublications keeps this Service's cache of published sets true to
// a database other processes publish to, until ctx is done.
func (s *Service) FollowPublications(ctx context.Context, listen Listener, f Follow) {
	if f.Deaf <= 0 {
		f.Deaf = time.Second
	}
	if f.Backoff <= 0 {
		f.Backoff = 250 * time.Millisecond
	}
	if f.MaxBackoff <= 0 {
		f.MaxBackoff = 30 * time.Second
	}
	backoff := f.Backoff
	for ctx.Err() == nil {
		s.sets.forget("")
		deafCtx, stopDeaf := context.WithCancel(ctx)
		go s.dropWhileDeaf(deafCtx, f.Deaf)
		listening := false
		err := listen(ctx, func(id string) {
			if id == "" && !listening {
				listening = true
				stopDeaf()
				backoff = f.Backoff
				s.log.InfoContext(ctx, "following publications")
			}
			s.sets.forget(id)
		})
		stopDeaf()
		if ctx.Err() != nil {
			return
		}
		s.log.WarnContext(ctx, "not following publications; cached sets are dropped every "+f.Deaf.String()+" until listening again",
			"error", err, "retry_in", backoff)
		t := time.NewTimer(backoff)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
		backoff = min(backoff*2, f.MaxBackoff)
	}
}

// dropWhileDeaf drops the whole cache every d, until ctx is done.
func (s *Service) dropWhileDeaf(ctx context.Context, d time.Duration) {
	t := time.NewTicker(d)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if ctx.Err() == nil {
				s.sets.forget("")
			}
		}
	}
}

// generation is the count of forgets so far, for put.
func (c *setCache) generation() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen
}

// forget drops the cached set of a property, or every cached set for "".
// What it drops is kept aside for lastKnown.
func (c *setCache) forget(id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	if c.dropped == nil {
		c.dropped = map[string]*cached{}
	}
	if id == "" {
		maps.Copy(c.dropped, c.m)
		clear(c.m)
	} else if p := c.m[id]; p != nil {
		c.dropped[id] = p
		delete(c.m, id)
	}
}

// lastKnown is the set last dropped for a property, when reading the
// store failed with err for any reason but NotFound: an instance that
// cannot reach its database keeps serving what it last knew rather than
// an error (it cannot tell whether anything was published meanwhile, and
// neither can the widget). NotFound forgets it.
func (c *setCache) lastKnown(id string, err error) *cached {
	c.mu.Lock()
	defer c.mu.Unlock()
	if store.IsCode(err, store.NotFound) {
		delete(c.dropped, id)
		return nil
	}
	return c.dropped[id]
}
