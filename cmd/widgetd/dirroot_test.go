package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// writeDir makes dir with one file, widget.js, holding text.
func writeDir(t *testing.T, dir, text string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "widget.js"), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func wantFile(t *testing.T, fsys fs.FS, want string) {
	t.Helper()
	got, err := fs.ReadFile(fsys, "widget.js")
	if err != nil || string(got) != want {
		t.Fatalf("widget.js = %q, %v; want %q", got, err, want)
	}
}

// widgetd follows its -dist (and -site) directory when it is replaced:
// removed and written again (make build), at once; renamed aside for a new
// one (a release), within checkEvery. A link out of the new directory is
// still not followed.
func TestDirRoot_FollowsAReplacedDirectory(t *testing.T) {
	t.Parallel()
	base := t.TempDir()
	dist := filepath.Join(base, "dist")
	writeDir(t, dist, "v1")
	d, err := openDirRoot(dist)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Unix(1_700_000_000, 0)
	d.now = func() time.Time { return now }
	d.checked = now
	wantFile(t, d, "v1")

	// make build: the directory is removed and made again; the first file
	// missing sends dirRoot to look (no sooner than missCheckEvery after
	// its last look).
	if err := os.RemoveAll(dist); err != nil {
		t.Fatal(err)
	}
	writeDir(t, dist, "v2")
	if _, err := fs.ReadFile(d, "widget.js"); err == nil {
		t.Fatalf("read the removed directory's file")
	}
	now = now.Add(missCheckEvery)
	wantFile(t, d, "v2")

	// A release: the old directory is renamed aside, the new one into place.
	writeDir(t, dist+".new", "v3")
	if err := os.Rename(dist, dist+".old"); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(dist+".new", dist); err != nil {
		t.Fatal(err)
	}
	wantFile(t, d, "v2") // the old one, until the next check
	now = now.Add(checkEvery)
	wantFile(t, d, "v3")

	// os.Root still keeps links inside.
	secret := filepath.Join(base, "secret.txt")
	if err := os.WriteFile(secret, []byte("SECRET"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(secret, filepath.Join(dist, "leak.js")); err != nil {
		t.Skipf("cannot make symbolic links here: %v", err)
	}
	if b, err := fs.ReadFile(d, "leak.js"); err == nil {
		t.Errorf("a link out of the directory was followed: %q", b)
	}

	// Closed, it closes every root it opened and opens none again.
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	now = now.Add(checkEvery)
	if _, err := fs.ReadFile(d, "widget.js"); err == nil {
		t.Errorf("a closed dirRoot still serves files")
	}
}
