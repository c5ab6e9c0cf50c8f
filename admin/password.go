package admin

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"github.com/triggerwidget/triggerwidget/store"
)

// PasswordParams are argon2id's costs. They are written into every hash,
// so raising them later only affects new hashes; old ones still verify.
type PasswordParams struct {
	Memory  uint32 // KiB
	Time    uint32 // passes
	Threads uint8
}

// DefaultPasswordParams follow RFC 9106's second recommended option
// (64 MiB, three passes) with the parallelism of a small server.
var DefaultPasswordParams = PasswordParams{Memory: 64 << 10, Time: 3, Threads: 2}

const (
	// MinPasswordLen and MaxPasswordLen bound a password, in characters
	// and bytes: long passphrases are welcome; megabytes are not.
	MinPasswordLen = 10
	MaxPasswordLen = 1024
	saltLen        = 16
	keyLen         = 32
)

// checkPassword returns an Invalid error naming what is wrong with pw.
func checkPassword(pw string) error {
	switch {
	case !utf8.ValidString(pw):
		return store.Errorf(store.Invalid, "the password is not valid UTF-8 text")
	case utf8.RuneCountInString(pw) < MinPasswordLen:
		return store.Errorf(store.Invalid, "the password must have at least %d characters", MinPasswordLen)
	case len(pw) > MaxPasswordLen:
		return store.Errorf(store.Invalid, "the password must have at most %d bytes", MaxPasswordLen)
	}
	return nil
}

// hashPassword returns pw's argon2id hash in the PHC string format:
// $argon2id$v=19$m=65536,t=3,p=2$<salt>$<key>.
func hashPassword(pw string, p PasswordParams) (string, error) {
	salt := make([]byte, saltLen)
	_, _ = rand.Read(salt) // never fails (see newSecret)
	key := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, keyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.Memory, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

var errBadHash = errors.New("not an argon2id hash")

// verifyPassword reports whether pw matches encoded, in constant time.
func verifyPassword(pw, encoded string) (bool, error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return false, errBadHash
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, errBadHash
	}
	var p PasswordParams
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil ||
		p.Memory == 0 || p.Memory > 1<<22 || p.Time == 0 || p.Time > 100 || p.Threads == 0 {
		return false, errBadHash
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false, errBadHash
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil || len(want) == 0 || len(want) > 128 {
		return false, errBadHash
	}
	got := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}
