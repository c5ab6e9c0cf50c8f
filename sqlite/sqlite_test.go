package sqlite

import (
	"testing"

	"github.com/triggerwidget/triggerwidget/store"
	"github.com/triggerwidget/triggerwidget/store/storetest"
)

func open(t *testing.T, opts ...Option) *DB {
	t.Helper()
	db, err := Open(t.Context(), t.TempDir(), opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return open(t) })
}
