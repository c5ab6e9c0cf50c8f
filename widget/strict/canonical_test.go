package strict

import (
	"bytes"
	"slices"
	"strings"
	"testing"
)

// TestCanonical_SameAsFormat: for every document Format accepts, Canonical
// gives exactly Format's output.
func TestCanonical_SameAsFormat(t *testing.T) {
	t.Parallel()
	for name, data := range testdataCases(t) {
		want, errs := Format(data)
		if errs != nil {
			t.Fatalf("%s: Format: %v", name, errs)
		}
		got, errs := Canonical(data)
		if errs != nil {
			t.Fatalf("%s: Canonical: %v", name, errs)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s: Canonical differs from Format:\n%s\nwant:\n%s", name, got, want)
		}
	}
}

// TestCanonical_DropsWhatTheRuntimeIgnores: unknown keys, at every level,
// are not in the output; of a key given twice, the last value is; and the
// result is what Format makes of it (so publishing it again changes
// nothing).
func TestCanonical_DropsWhatTheRuntimeIgnores(t *testing.T) {
	t.Parallel()
	data := doc(`{"version": 1, "property": "old", "secret": "s3cr3t-top",`,
		` "triggers": [{"id": "a", "type": "site", "note": {"internal": "do not publish"},`,
		` "message": {"text": "first", "text": "Hi", "html": "<b>x</b>"}, "agent": {"name": "Maya", "email": "maya@example.com"}}],`,
		` "shortcuts": [{"id": "s", "attachments": [{"kind": "link", "url": "/a", "tracking": "utm"}]}],`,
		` "property": "acme"}`)
	got, errs := Canonical(data)
	if errs != nil {
		t.Fatalf("Canonical: %v", errs)
	}
	for _, gone := range []string{"secret", "s3cr3t", "note", "do not publish", "html", "email", "maya@example.com", "tracking", "utm", "first", `"old"`} {
		if bytes.Contains(got, []byte(gone)) {
			t.Errorf("output still has %q:\n%s", gone, got)
		}
	}
	for _, kept := range []string{`"property": "acme"`, `"text": "Hi"`, `"name": "Maya"`, `"url": "/a"`} {
		if !strings.Contains(string(got), kept) {
			t.Errorf("output lacks %s:\n%s", kept, got)
		}
	}
	again, errs := Format(got)
	if errs != nil {
		t.Fatalf("Format of Canonical's output: %v", errs)
	}
	if !bytes.Equal(again, got) {
		t.Errorf("Format changes Canonical's output:\n%s\nto:\n%s", got, again)
	}
}

// TestCanonical_Refuses: what cannot be laid out is refused, with the
// problem, and no output.
func TestCanonical_Refuses(t *testing.T) {
	t.Parallel()
	for name, c := range map[string]struct {
		data []byte
		want []string
	}{
		"not JSON":      {[]byte(`{"version": 1, "secret": "abc`), []string{"(document) not_json"}},
		"other version": {[]byte(`{"version": 2}`), []string{"version bad_version"}},
		// A raw control character is not JSON wherever it is: the whole
		// document is refused, the verbatim value with it.
		"verbatim value that is not JSON": {
			doc(header, " \"triggers\": [{\"id\": \"a\", \"conditions\": [{\"value\": \"\x02\"}]}]}"),
			[]string{"(document) not_json"},
		},
	} {
		out, errs := Canonical(c.data)
		if out != nil {
			t.Errorf("%s: Canonical gave output:\n%s", name, out)
		}
		var got []string
		for _, e := range errs {
			got = append(got, e.Field+" "+e.Code)
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%s: problems %q, want %q", name, got, c.want)
		}
	}
}
