// Package atomicfile replaces files so that a reader, or a crash, sees the
// old content or the new one, never a mix.
package atomicfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"syscall"
)

// maxLinks bounds how many symbolic links WriteFile follows, as the kernel
// does, so that a loop of links is an error instead of a hang.
const maxLinks = 40

// WriteFile writes data to the file name, atomically:
//
//   - the data goes to a temporary file in the same directory (so the
//     rename below stays on one file system), which is synced to disk;
//   - the temporary file gets the mode of the file it replaces, or perm
//     exactly (the umask does not apply) when name does not exist yet;
//   - it is renamed over name, and the directory is synced so that the
//     rename itself survives a crash.
//
// Symbolic links are followed on purpose: writing to a link rewrites the
// file it points to (through any chain of links, relative targets read
// from the link's own directory) and leaves the link in place, as
// editors and os.WriteFile do. Replacing the link with a regular file
// would silently detach it from the file it shares, which is never what
// someone rewriting "the file" means. A dangling link gets its target
// created.
//
// The replaced file's owner is not carried over (the new file belongs to
// the writer), nor are its extended attributes or hard links: another name
// for the old file keeps the old content.
//
// On every error the temporary file is removed and name is left as it
// was, except that a failure to sync the directory is reported after the
// rename has been done.
func WriteFile(name string, data []byte, perm os.FileMode) (err error) {
	target, err := resolve(name)
	if err != nil {
		return err
	}
	mode := perm.Perm()
	switch info, err := os.Stat(target); {
	case err == nil:
		mode = info.Mode().Perm()
	case !errors.Is(err, fs.ErrNotExist):
		return err
	}
	dir, base := filepath.Split(target)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = tmp.Close() // may already be closed
			_ = os.Remove(tmp.Name())
		}
	}()
	if _, err := tmp.Write(data); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), mode); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), target); err != nil {
		return err
	}
	if err := syncDir(dir); err != nil {
		return fmt.Errorf("wrote %s but could not sync its directory: %w", target, err)
	}
	return nil
}

// resolve follows name through symbolic links to the file to replace,
// which need not exist.
func resolve(name string) (string, error) {
	for range maxLinks {
		info, err := os.Lstat(name)
		if errors.Is(err, fs.ErrNotExist) {
			return name, nil
		}
		if err != nil {
			return "", err
		}
		if info.Mode()&fs.ModeSymlink == 0 {
			return name, nil
		}
		link, err := os.Readlink(name)
		if err != nil {
			return "", err
		}
		if !filepath.IsAbs(link) {
			link = filepath.Join(filepath.Dir(name), link)
		}
		name = link
	}
	return "", &fs.PathError{Op: "write", Path: name, Err: errors.New("too many levels of symbolic links")}
}

// syncDir makes a rename in dir durable. File systems that cannot sync a
// directory say so with EINVAL (or "unsupported"); that is not an error,
// and Windows cannot open a directory for syncing at all.
func syncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	if errors.Is(err, syscall.EINVAL) || errors.Is(err, errors.ErrUnsupported) {
		return nil
	}
	return err
}
