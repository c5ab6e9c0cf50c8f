package main

import (
	"errors"
	"io/fs"
	"os"
	"sync"
	"time"
)

// dirRoot serves a directory named by a path through an os.Root (so a
// symbolic link inside may only lead to another file inside), and follows
// the path when the directory there is replaced: `make build` removes dist/
// and writes a new one, and a release may rename a new directory into
// place. A root opened once would go on serving the directory it opened,
// removed or renamed aside. So at most once a second, and at once when a
// file is not found, dirRoot checks whether the path still names the
// directory it holds, and opens the new one when not.
type dirRoot struct {
	path string
	now  func() time.Time // time.Now; tests move it

	mu      sync.Mutex
	root    *os.Root
	checked time.Time
}

// checkEvery is how often dirRoot looks whether its directory was replaced.
const checkEvery = time.Second

func openDirRoot(path string) (*dirRoot, error) {
	r, err := os.OpenRoot(path)
	if err != nil {
		return nil, err
	}
	d := &dirRoot{path: path, now: time.Now, root: r}
	d.checked = d.now()
	return d, nil
}

// Open implements fs.FS.
func (d *dirRoot) Open(name string) (fs.File, error) {
	f, err := d.current(false).FS().Open(name)
	if errors.Is(err, fs.ErrNotExist) {
		if r := d.current(true); r != nil {
			return r.FS().Open(name)
		}
	}
	return f, err
}

// current returns the root to use, after checking the path when a check is
// due or missed is set.
func (d *dirRoot) current(missed bool) *os.Root {
	d.mu.Lock()
	defer d.mu.Unlock()
	now := d.now()
	if !missed && now.Sub(d.checked) < checkEvery {
		return d.root
	}
	d.checked = now
	held, err1 := d.root.Stat(".")
	there, err2 := os.Stat(d.path)
	if err2 != nil || !there.IsDir() || err1 == nil && os.SameFile(held, there) {
		return d.root
	}
	r, err := os.OpenRoot(d.path)
	if err != nil {
		return d.root
	}
	// The old root stays open: a request may still be reading through it.
	// Directories are replaced by releases, so few roots ever pile up.
	d.root = r
	return r
}

// Close closes the root held now.
func (d *dirRoot) Close() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.root.Close()
}
