package web

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/triggerwidget/triggerwidget/widget"
)

// Every English text the pages show has its French version.
func TestEveryTextHasFrench(t *testing.T) {
	var missing []string
	check := func(where, text string) {
		if _, ok := fr[text]; !ok {
			missing = append(missing, where+": "+strconv.Quote(text))
		}
	}
	inTemplates := regexp.MustCompile(`\bT \$?\.Lang ("(?:[^"\\]|\\.)*")`)
	err := fs.WalkDir(files, "templates", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, _ := fs.ReadFile(files, path)
		for _, m := range inTemplates.FindAllStringSubmatch(string(data), -1) {
			s, err := strconv.Unquote(m[1])
			if err != nil {
				t.Errorf("%s: %v", path, err)
				continue
			}
			check(path, s)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	inGo := regexp.MustCompile(`\bT\((?:c\.lang|lang|p\.Lang|c\.Lang), ("(?:[^"\\]|\\.)*")\)`)
	goFiles, _ := filepath.Glob("*.go")
	for _, f := range goFiles {
		if strings.HasSuffix(f, "_test.go") || strings.HasPrefix(f, "fr_") || f == "i18n.go" {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range inGo.FindAllStringSubmatch(string(data), -1) {
			s, _ := strconv.Unquote(m[1])
			check(f, s)
		}
	}
	for _, s := range sections {
		check("the Administration menu", s.Name)
	}
	for _, st := range []string{"online", "away", "offline"} {
		check("statuses", st)
	}
	for _, m := range missing {
		t.Errorf("no French text for %s", m)
	}
}

// Every validator code has its French meaning.
func TestEveryProblemCodeHasFrench(t *testing.T) {
	for _, c := range widget.ProblemCodes {
		if _, ok := frenchCodes[c.Code]; !ok {
			t.Errorf("no French meaning for problem code %s", c.Code)
		}
	}
}
