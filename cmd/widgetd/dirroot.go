package main

import (
	"errors"
	"io/fs"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// dirRoot serves a directory named by a path through an os.Root (so a
// symbolic link inside may only lead to another file inside), and follows
// the path when the directory there is replaced: `make build` removes dist/
// and writes a new one, and a release may rename a new directory into
// place. A root opened once would go on serving the directory it opened,
// removed or renamed aside. So dirRoot checks whether the path still names
// the directory it holds at most once a second, or sooner (at most every
// missCheckEvery) when a file is not found, and opens the new one when not.
type dirRoot struct {
	path string
	now  func() time.Time // time.Now; tests move it

	root atomic.Pointer[os.Root] // the one requests use

	mu      sync.Mutex // checks, one at a time
	checked time.Time
	held    []*os.Root // every root opened, closed by Close
	closed  bool
}

// How often dirRoot looks whether its directory was replaced: on its own,
// and after a file was not found (a flood of 404s costs a stat at most
// this often).
const (
	checkEvery     = time.Second
	missCheckEvery = 100 * time.Millisecond
)

func openDirRoot(path string) (*dirRoot, error) {
	r, err := os.OpenRoot(path)
	if err != nil {
		return nil, err
	}
	d := &dirRoot{path: path, now: time.Now, held: []*os.Root{r}}
	d.root.Store(r)
	d.checked = d.now()
	return d, nil
}

// Open implements fs.FS.
func (d *dirRoot) Open(name string) (fs.File, error) {
	r := d.root.Load()
	if nr := d.check(r, checkEvery); nr != r {
		r = nr
	}
	f, err := r.FS().Open(name)
	if errors.Is(err, fs.ErrNotExist) {
		if nr := d.check(r, missCheckEvery); nr != r {
			return nr.FS().Open(name)
		}
	}
	return f, err
}

// check returns the root to use: r, or a new one when a check is due
// (none for every) and finds the path naming another directory. A check
// already under way elsewhere is not waited for.
func (d *dirRoot) check(r *os.Root, every time.Duration) *os.Root {
	if !d.mu.TryLock() {
		return r
	}
	defer d.mu.Unlock()
	now := d.now()
	if d.closed || now.Sub(d.checked) < every {
		return d.root.Load()
	}
	d.checked = now
	cur := d.root.Load()
	held, err := cur.Stat(".")
	there, err2 := os.Stat(d.path)
	if err2 != nil || !there.IsDir() || err == nil && os.SameFile(held, there) {
		return cur
	}
	nr, err := os.OpenRoot(d.path)
	if err != nil {
		return cur
	}
	// The old root stays open until Close: a request may still be reading
	// through it. Directories are replaced by releases: few pile up.
	d.held = append(d.held, nr)
	d.root.Store(nr)
	return nr
}

// Close closes every root opened; the last one keeps serving nothing.
func (d *dirRoot) Close() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.closed = true
	var errs []error
	for _, r := range d.held {
		errs = append(errs, r.Close())
	}
	d.held = nil
	return errors.Join(errs...)
}
