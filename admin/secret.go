package admin

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"strings"
)

// Secrets given to people and programs — session cookies, API tokens,
// invitation links — are 32 random bytes, base64url-encoded behind a
// prefix that says what they are (so a leaked one is recognised by
// secret scanners and by a person). Only their SHA-256 is stored: the
// secrets have 256 bits of entropy, so a fast hash is enough, and a copy
// of the database lets nobody in.
const (
	tokenPrefix      = "twk_"
	sessionPrefix    = "tws_"
	invitationPrefix = "twi_"
)

func newSecret(prefix string) (secret string, hash []byte) {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // never fails: crypto/rand crashes the program rather than return short
	secret = prefix + base64.RawURLEncoding.EncodeToString(b)
	return secret, hashSecret(secret)
}

func hashSecret(secret string) []byte {
	h := sha256.Sum256([]byte(secret))
	return h[:]
}

// wellFormedSecret reports whether s could be a secret with prefix; it
// keeps junk from reaching the database.
func wellFormedSecret(s, prefix string) bool {
	rest, ok := strings.CutPrefix(s, prefix)
	if !ok || len(rest) != 43 {
		return false
	}
	_, err := base64.RawURLEncoding.DecodeString(rest)
	return err == nil
}
