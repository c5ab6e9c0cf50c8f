package atomicfile

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// files lists the names in dir, to catch temporary files left behind.
func files(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func wantFiles(t *testing.T, dir string, want ...string) {
	t.Helper()
	if got := files(t, dir); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("%s holds %q, want %q", dir, got, want)
	}
}

func wantContent(t *testing.T, name, want string) {
	t.Helper()
	got, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf("%s = %q, want %q", name, got, want)
	}
}

func wantMode(t *testing.T, name string, want os.FileMode) {
	t.Helper()
	if runtime.GOOS == "windows" {
		return // no Unix permissions
	}
	info, err := os.Stat(name)
	if err != nil {
		t.Fatal(err)
	}
	if got := info.Mode().Perm(); got != want {
		t.Errorf("%s has mode %v, want %v", name, got, want)
	}
}

func TestWriteFile_New(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	name := filepath.Join(dir, "set.json")
	// 0666 is what a umask of 022 would cut down: perm applies exactly.
	if err := WriteFile(name, []byte("new"), 0o666); err != nil {
		t.Fatal(err)
	}
	wantContent(t, name, "new")
	wantMode(t, name, 0o666)
	wantFiles(t, dir, "set.json")
}

func TestWriteFile_KeepsMode(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	name := filepath.Join(dir, "set.json")
	if err := os.WriteFile(name, []byte("old content, longer than the new"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(name, 0o640); err != nil { // exactly, whatever the umask
		t.Fatal(err)
	}
	if err := WriteFile(name, []byte("new"), 0o644); err != nil {
		t.Fatal(err)
	}
	wantContent(t, name, "new")
	wantMode(t, name, 0o640)
	wantFiles(t, dir, "set.json")
}

func TestWriteFile_RelativeName(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	if err := WriteFile("set.json", []byte("here"), 0o644); err != nil {
		t.Fatal(err)
	}
	wantContent(t, filepath.Join(dir, "set.json"), "here")
	wantFiles(t, dir, "set.json")
}

// A link stays a link, pointing where it pointed; the file it points to is
// rewritten, keeping its mode. Relative targets are read from the link's
// directory, through a chain of links.
func TestWriteFile_Symlink(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	sub := filepath.Join(dir, "sub")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	target := filepath.Join(sub, "real.json")
	if err := os.WriteFile(target, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	inner := filepath.Join(sub, "inner.json")
	if err := os.Symlink("real.json", inner); err != nil {
		t.Skipf("cannot make symbolic links here: %v", err)
	}
	outer := filepath.Join(dir, "outer.json")
	if err := os.Symlink(filepath.Join("sub", "inner.json"), outer); err != nil {
		t.Fatal(err)
	}

	if err := WriteFile(outer, []byte("new"), 0o644); err != nil {
		t.Fatal(err)
	}
	wantContent(t, target, "new")
	wantMode(t, target, 0o600)
	for link, want := range map[string]string{outer: filepath.Join("sub", "inner.json"), inner: "real.json"} {
		info, err := os.Lstat(link)
		if err != nil || info.Mode()&os.ModeSymlink == 0 {
			t.Errorf("%s is no longer a symbolic link (%v, %v)", link, info.Mode(), err)
			continue
		}
		if got, _ := os.Readlink(link); got != want {
			t.Errorf("%s points to %q, want %q", link, got, want)
		}
	}
	wantFiles(t, dir, "outer.json", "sub")
	wantFiles(t, sub, "inner.json", "real.json")
}

func TestWriteFile_DanglingSymlink(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	link := filepath.Join(dir, "link.json")
	if err := os.Symlink("missing.json", link); err != nil {
		t.Skipf("cannot make symbolic links here: %v", err)
	}
	if err := WriteFile(link, []byte("created"), 0o644); err != nil {
		t.Fatal(err)
	}
	wantContent(t, filepath.Join(dir, "missing.json"), "created")
	if info, err := os.Lstat(link); err != nil || info.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link was replaced: %v, %v", info.Mode(), err)
	}
}

func TestWriteFile_SymlinkLoop(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	if err := os.Symlink("b", a); err != nil {
		t.Skipf("cannot make symbolic links here: %v", err)
	}
	if err := os.Symlink("a", b); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(a, []byte("x"), 0o644); err == nil || !strings.Contains(err.Error(), "symbolic links") {
		t.Errorf("WriteFile through a loop of links = %v, want an error naming the links", err)
	}
	wantFiles(t, dir, "a", "b")
}

// The rename fails (a file cannot replace a directory, even for root):
// the temporary file, already written, is removed.
func TestWriteFile_RenameFails(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	name := filepath.Join(dir, "taken")
	if err := os.Mkdir(name, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(name, "inside"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(name, []byte("x"), 0o644); err == nil {
		t.Fatal("WriteFile over a directory succeeded")
	}
	wantFiles(t, dir, "taken")
	wantFiles(t, name, "inside")
}

// The directory is read-only: nothing can be created, and the file keeps
// its content. Root can write anyway, so the case needs another user.
func TestWriteFile_ReadOnlyDir(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("no read-only directories on Windows")
	}
	dir := t.TempDir()
	name := filepath.Join(dir, "set.json")
	if err := os.WriteFile(name, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o555); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.Chmod(dir, 0o755) })
	if probe, err := os.CreateTemp(dir, "probe-*"); err == nil {
		_ = probe.Close()
		_ = os.Remove(probe.Name())
		t.Skip("a read-only directory is writable here (running as root?); TestWriteFile_RenameFails covers the clean-up")
	}
	if err := WriteFile(name, []byte("new"), 0o644); err == nil {
		t.Fatal("WriteFile in a read-only directory succeeded")
	}
	wantContent(t, name, "old")
	wantFiles(t, dir, "set.json")
}

func TestWriteFile_MissingDir(t *testing.T) {
	t.Parallel()
	if err := WriteFile(filepath.Join(t.TempDir(), "no", "set.json"), []byte("x"), 0o644); err == nil {
		t.Error("WriteFile into a missing directory succeeded")
	}
}
