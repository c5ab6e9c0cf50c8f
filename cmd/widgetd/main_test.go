//go:build !js

package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/triggerwidget/triggerwidget/admin"
	"github.com/triggerwidget/triggerwidget/internal/pgtest"
)

// op runs an operator command in-process.
func op(t *testing.T, stdin string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errb bytes.Buffer
	err = run(context.Background(), args, strings.NewReader(stdin), &out, &errb)
	return out.String(), errb.String(), err
}

func TestOperatorCommands(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	if _, _, err := op(t, "", "property", "add", "-data", data, "-owner", "ann@example.com", "-id", "acme", "-name", "Acme"); err == nil ||
		!strings.Contains(err.Error(), "no data directory") {
		t.Fatalf("property add before any account: err %v, want the missing data directory named", err)
	}
	out, _, err := op(t, "correct horse battery\n", "user", "add", "-data", data, "-email", "Ann@Example.com")
	if err != nil || !strings.Contains(out, "account ann@example.com created") {
		t.Fatalf("user add: %q, %v", out, err)
	}
	tests := []struct {
		name  string
		stdin string
		args  []string
		want  string // in the error
	}{
		{"same email twice", "another long password\n", []string{"user", "add", "-data", data, "-email", "ann@example.com"}, "taken"},
		{"short password", "short\n", []string{"user", "add", "-data", data, "-email", "bob@example.com"}, "at least 10 characters"},
		{"no password", "", []string{"user", "add", "-data", data, "-email", "bob@example.com"}, "password on standard input"},
		{"bad email", "correct horse battery\n", []string{"user", "add", "-data", data, "-email", "bob"}, "not an email address"},
		{"unknown owner", "", []string{"property", "add", "-data", data, "-owner", "zed@example.com", "-id", "z", "-name", "Z"}, "no account \"zed@example.com\""},
		{"bad id", "", []string{"property", "add", "-data", data, "-owner", "ann@example.com", "-id", "a b", "-name", "Z"}, "property id \"a b\""},
		{"missing flags", "", []string{"property", "add", "-data", data, "-id", "z"}, "-owner, -id and -name are required"},
		{"token for no property", "", []string{"token", "create", "-data", data, "-property", "nope", "-name", "ci"}, "no property"},
		{"unknown command", "", []string{"users"}, "unknown command \"users\""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := op(t, tt.stdin, tt.args...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err %v, want one containing %q", err, tt.want)
			}
		})
	}

	// A set with problems is refused, each problem on its line; nothing is created.
	bad := filepath.Join(t.TempDir(), "bad.json")
	os.WriteFile(bad, []byte(`{"version":1,"property":"acme","triggers":[{"id":"a","type":"site","message":{"text":"hi"},"agent":{"name":"A"},"delay":-1},{"id":"a","type":"site","message":{"text":"hi"},"agent":{"name":"A"}}]}`), 0o644)
	_, _, err = op(t, "", "property", "add", "-data", data, "-owner", "ann@example.com", "-id", "acme", "-name", "Acme", "-set", bad)
	if err == nil || !strings.Contains(err.Error(), "bad.json: the trigger set has 2 problems") ||
		!strings.Contains(err.Error(), "\n\ttrigger \"a\": delay:") || !strings.Contains(err.Error(), "[duplicate_id]") && !strings.Contains(err.Error(), "duplicate") {
		t.Fatalf("property add -set with a bad set: err %v", err)
	}

	demo, err := filepath.Abs(filepath.Join("..", "..", "demo", "properties", "demo.json"))
	if err != nil {
		t.Fatal(err)
	}
	out, _, err = op(t, "", "property", "add", "-data", data, "-owner", "ann@example.com", "-id", "demo", "-name", "Demo shop", "-set", demo)
	if err != nil || !strings.Contains(out, "property demo (Demo shop) created, owned by ann@example.com") {
		t.Fatalf("property add -set demo.json: %q, %v", out, err)
	}
	out, errOut, err := op(t, "", "token", "create", "-data", data, "-property", "demo", "-name", "ci")
	if err != nil || !strings.HasPrefix(out, "twk_") || strings.Count(out, "\n") != 1 || !strings.Contains(errOut, "shown only once") {
		t.Fatalf("token create: stdout %q stderr %q err %v; want the token alone on stdout", out, errOut, err)
	}
}

// widgetd is a widgetd process started by a test.
type widgetd struct {
	cmd  *exec.Cmd
	base string // http://127.0.0.1:PORT
	log  *bytes.Buffer
}

var (
	buildOnce sync.Once
	binary    string
	buildErr  error
)

// build compiles widgetd once per test binary.
func build(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "widgetd-bin-")
		if err != nil {
			buildErr = err
			return
		}
		binary = filepath.Join(dir, "widgetd")
		out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binary
}

func TestMain(m *testing.M) {
	code := pgtest.Run(m)
	if binary != "" {
		os.RemoveAll(filepath.Dir(binary))
	}
	os.Exit(code)
}

// fakeDist is a directory that passes widgetd's check for a widget build.
func fakeDist(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "widget.js"), []byte("// widget\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// start runs widgetd on data and waits for it to listen.
func start(t *testing.T, data, dist string) *widgetd {
	t.Helper()
	return startWith(t, "-data", data, "-dist", dist, "-site", "")
}

// startWith runs widgetd with args and waits for it to listen.
func startWith(t *testing.T, args ...string) *widgetd {
	t.Helper()
	cmd := exec.Command(build(t), append([]string{"-addr", "127.0.0.1:0"}, args...)...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	w := &widgetd{cmd: cmd, log: &bytes.Buffer{}}
	cmd.Stderr = w.log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
	})
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		if u, ok := strings.CutPrefix(sc.Text(), "triggerwidget demo: "); ok {
			w.base = strings.TrimSuffix(u, "/")
			break
		}
	}
	if w.base == "" {
		cmd.Wait()
		t.Fatalf("widgetd did not start: %s", w.log)
	}
	go io.Copy(io.Discard, stdout)
	return w
}

func (w *widgetd) kill(t *testing.T) {
	t.Helper()
	if err := w.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	w.cmd.Wait()
}

// call makes an API request with a token and decodes a JSON answer.
func call(method, url, token string, body any, out any) (int, http.Header, error) {
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return resp.StatusCode, resp.Header, err
	}
	if out != nil && len(data) > 0 {
		if err := json.Unmarshal(data, out); err != nil {
			return resp.StatusCode, resp.Header, fmt.Errorf("%s: %v", data, err)
		}
	}
	return resp.StatusCode, resp.Header, nil
}

// seed creates an account, property "acme" and a token, with the operator
// commands, and returns the token.
func seed(t *testing.T, data string) string {
	t.Helper()
	if _, _, err := op(t, "correct horse battery\n", "user", "add", "-data", data, "-email", "ann@example.com"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := op(t, "", "property", "add", "-data", data, "-owner", "ann@example.com", "-id", "acme", "-name", "Acme"); err != nil {
		t.Fatal(err)
	}
	out, _, err := op(t, "", "token", "create", "-data", data, "-property", "acme", "-name", "test")
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(out)
}

func trigger(id, text string) map[string]any {
	return map[string]any{"id": id, "name": "Trigger " + id, "type": "page", "delay": 5,
		"url":     map[string]any{"match": "starts_with", "value": "/" + id},
		"message": map[string]any{"text": text}, "agent": map[string]any{"name": "Ann"}}
}

// TestKillNineLosesNoAcknowledgedWrite kills widgetd with SIGKILL while
// writers stream edits, restarts it on the same data directory and checks
// that every write the API acknowledged is there, as acknowledged, and
// that the published set is the newest version and valid.
func TestKillNineLosesNoAcknowledgedWrite(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	data, dist := filepath.Join(t.TempDir(), "data"), fakeDist(t)
	token := seed(t, data)
	w := start(t, data, dist)

	const writers = 3
	for i := range writers {
		id := "w" + strconv.Itoa(i)
		if st, _, err := call("POST", w.base+"/api/v1/properties/acme/triggers", token, trigger(id, "start"), nil); err != nil || st != http.StatusCreated {
			t.Fatalf("POST trigger %s: %d %v", id, st, err)
		}
	}
	type ack struct {
		version int64
		id      string
		text    string
	}
	var (
		mu   sync.Mutex
		acks []ack
		wg   sync.WaitGroup
	)
	enough := make(chan struct{})
	var once sync.Once
	for i := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id := "w" + strconv.Itoa(i)
			for n := 0; ; n++ {
				text := fmt.Sprintf("%s edit %d", id, n)
				st, h, err := call("PUT", w.base+"/api/v1/properties/acme/triggers/"+id, token, trigger(id, text), nil)
				if err != nil {
					return // the process is gone: this write was not acknowledged
				}
				if st != http.StatusOK {
					t.Errorf("PUT %s: status %d", id, st)
					return
				}
				v, _ := strconv.ParseInt(h.Get("X-Set-Version"), 10, 64)
				mu.Lock()
				acks = append(acks, ack{v, id, text})
				if len(acks) >= 60 {
					once.Do(func() { close(enough) })
				}
				mu.Unlock()
			}
		}()
	}
	select {
	case <-enough:
	case <-time.After(2 * time.Minute):
		t.Fatal("60 writes were not acknowledged within 2 minutes")
	}
	w.kill(t) // writers are mid-request
	wg.Wait()

	w2 := start(t, data, dist)
	mu.Lock()
	defer mu.Unlock()
	var newest int64
	for _, a := range acks {
		var v struct {
			Number int64           `json:"number"`
			Set    json.RawMessage `json:"set"`
		}
		st, _, err := call("GET", fmt.Sprintf("%s/api/v1/properties/acme/versions/%d", w2.base, a.version), token, nil, &v)
		if err != nil || st != http.StatusOK {
			t.Fatalf("acknowledged version %d: status %d, %v", a.version, st, err)
		}
		if !bytes.Contains(v.Set, []byte(`"text": "`+a.text+`"`)) {
			t.Errorf("acknowledged version %d lacks %q", a.version, a.text)
		}
		newest = max(newest, a.version)
	}
	var list struct {
		Versions []struct {
			Number int64 `json:"number"`
		} `json:"versions"`
	}
	if st, _, err := call("GET", w2.base+"/api/v1/properties/acme/versions?limit=1", token, nil, &list); err != nil || st != 200 || len(list.Versions) != 1 {
		t.Fatalf("versions: %d %v %+v", st, err, list)
	}
	if list.Versions[0].Number < newest {
		t.Errorf("newest version after restart is %d, but %d was acknowledged", list.Versions[0].Number, newest)
	}
	resp, err := http.Get(w2.base + "/p/acme/triggers.json")
	if err != nil {
		t.Fatal(err)
	}
	published, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if _, err := admin.Check("acme", published); err != nil {
		t.Errorf("the published set after the crash does not validate: %v", err)
	}
	var cur struct {
		Set json.RawMessage `json:"set"`
	}
	call("GET", fmt.Sprintf("%s/api/v1/properties/acme/versions/%d", w2.base, list.Versions[0].Number), token, nil, &cur)
	var a, b bytes.Buffer
	json.Compact(&a, cur.Set)
	json.Compact(&b, published)
	if a.Len() == 0 || !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Errorf("/p/acme/triggers.json is not the newest version %d", list.Versions[0].Number)
	}
	t.Logf("%d acknowledged writes before SIGKILL; newest version after restart %d", len(acks), list.Versions[0].Number)
}

// TestReadOnlyDataDirectoryKeepsServing starts widgetd on a data
// directory it cannot write: it serves the published set, and a write
// gets 503 with a message that says why.
func TestReadOnlyDataDirectoryKeepsServing(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root writes through file modes; the read-only store is tested in package sqlite and in storage_test.go")
	}
	data, dist := filepath.Join(t.TempDir(), "data"), fakeDist(t)
	token := seed(t, data)
	if err := os.Chmod(data, 0o500); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(data, 0o700) })
	w := start(t, data, dist)
	resp, err := http.Get(w.base + "/p/acme/triggers.json")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET published set from a read-only directory: %v %v", resp, err)
	}
	resp.Body.Close()
	var e struct {
		Error struct{ Code, Message string } `json:"error"`
	}
	st, _, err := call("POST", w.base+"/api/v1/properties/acme/triggers", token, trigger("x", "hi"), &e)
	if err != nil || st != http.StatusServiceUnavailable || !strings.Contains(e.Error.Message, "writable") && !strings.Contains(e.Error.Message, "read-only") {
		t.Errorf("write to a read-only directory: %d %+v %v; want 503 saying it is not writable", st, e, err)
	}
}
