//go:build !js

package sqlite

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/triggerwidget/triggerwidget/store"
)

// An upload's name in the uploads directory that is a symbolic link —
// planted by hand, pointing outside or inside — is never read through:
// the upload is not found, and nothing of the linked file comes back.
func TestUploadLinkIsNotFollowed(t *testing.T) {
	db := open(t)
	fill(t, db)
	ctx := t.Context()
	secret := filepath.Join(t.TempDir(), "secret.txt")
	if err := os.WriteFile(secret, []byte("SECRET"), 0o600); err != nil {
		t.Fatal(err)
	}
	logo := newUpload("acme", "logo")
	file := filepath.Join(db.Dir(), UploadsDir, logo.Name)
	if err := os.Remove(file); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(secret, file); err != nil {
		t.Skipf("cannot make symbolic links here: %v", err)
	}
	u, err := db.Upload(ctx, logo.Name)
	if store.ErrorCode(err) != store.NotFound {
		t.Fatalf("Upload through a link out: %v, %v; want %s", u, err, store.NotFound)
	}
	if strings.Contains(err.Error(), "SECRET") || strings.Contains(err.Error(), secret) {
		t.Errorf("the error names the linked file: %v", err)
	}

	// Uploading the same bytes again replaces the link with the file and
	// leaves the linked file as it was.
	if err := db.PutUpload(ctx, newUpload("acme", "logo")); err != nil {
		t.Fatalf("PutUpload over a link: %v", err)
	}
	if fi, err := os.Lstat(file); err != nil || !fi.Mode().IsRegular() {
		t.Fatalf("uploads/%s after PutUpload: %v, %v; want a regular file", logo.Name, fi, err)
	}
	if data, err := os.ReadFile(secret); err != nil || string(data) != "SECRET" {
		t.Errorf("the linked file became %q, %v", data, err)
	}
	u, err = db.Upload(ctx, logo.Name)
	if err != nil || string(u.Data) != "logo" {
		t.Errorf("Upload after PutUpload: %v, %v; want %q", u, err, "logo")
	}
	entries, _ := os.ReadDir(filepath.Join(db.Dir(), UploadsDir))
	if len(entries) != 1 {
		t.Errorf("uploads/ holds %d entries, want 1 (no temporary file left)", len(entries))
	}
}

// A new upload whose name is a dangling link to a file outside does not
// create that file.
func TestUploadDanglingLinkNotWrittenThrough(t *testing.T) {
	db := open(t)
	fill(t, db)
	target := filepath.Join(t.TempDir(), "created-outside")
	u := newUpload("acme", "new bytes")
	if err := os.Symlink(target, filepath.Join(db.Dir(), UploadsDir, u.Name)); err != nil {
		t.Skipf("cannot make symbolic links here: %v", err)
	}
	if err := db.PutUpload(t.Context(), u); err != nil {
		t.Fatalf("PutUpload: %v", err)
	}
	if _, err := os.Lstat(target); !os.IsNotExist(err) {
		t.Errorf("PutUpload wrote through a link, outside the uploads directory: %v", err)
	}
	got, err := db.Upload(t.Context(), u.Name)
	if err != nil || string(got.Data) != "new bytes" {
		t.Errorf("Upload: %v, %v", got, err)
	}
}
