//go:build !js

package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/color"
	pngenc "image/png"
	"io"
	"net"
	"net/http"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/triggerwidget/triggerwidget/internal/pgtest"
)

// lockedBuffer is a log a process writes while the test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// proc is a widgetd process whose log can be read while it runs.
type proc struct {
	cmd  *exec.Cmd
	base string
	addr string
	log  *lockedBuffer
	done chan struct{} // closed once it has exited
	err  error         // cmd.Wait's, once done is closed
}

// launch starts the built widgetd with args and waits for it to listen.
func launch(t *testing.T, args ...string) *proc {
	t.Helper()
	cmd := exec.Command(build(t), append([]string{"-addr", "127.0.0.1:0", "-dist", fakeDist(t), "-site", ""}, args...)...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	p := &proc{cmd: cmd, log: &lockedBuffer{}, done: make(chan struct{})}
	cmd.Stderr = p.log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		if u, ok := strings.CutPrefix(sc.Text(), "triggerwidget demo: "); ok {
			p.base = strings.TrimSuffix(u, "/")
			break
		}
	}
	go func() {
		_, _ = io.Copy(io.Discard, stdout)
		p.err = cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-p.done
	})
	if p.base == "" {
		t.Fatalf("widgetd %q did not start: %s", args, p.log)
	}
	p.addr = strings.TrimPrefix(p.base, "http://")
	return p
}

// waitLog waits until the process has logged want.
func (p *proc) waitLog(t *testing.T, want string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(p.log.String(), want) {
		if time.Now().After(deadline) {
			t.Fatalf("widgetd never logged %q:\n%s", want, p.log)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// get fetches url with cookies and returns the status and body.
func get(t *testing.T, url string, cookies []*http.Cookie) (int, http.Header, string) {
	t.Helper()
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cookies {
		req.AddCookie(c)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

func postLogin(t *testing.T, base, email, password string) *http.Response {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"email": email, "password": password})
	resp, err := http.Post(base+"/api/v1/session", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp
}

// Two widgetd processes on one PostgreSQL database are one service: a set
// published through either is served by the other within a second (also
// while one cannot listen), an upload through one is served by the other, a
// login made on one is a session on the other, failed logins are counted
// across both, and each reports the database healthy.
func TestTwoInstancesOnePostgres(t *testing.T) {
	dbURL := pgtest.Database(t)
	const password = "correct horse battery"
	if _, _, err := op(t, password+"\n", "user", "add", "-db", dbURL, "-email", "ann@example.com"); err != nil {
		t.Fatalf("user add: %v", err)
	}
	if _, _, err := op(t, "", "property", "add", "-db", dbURL, "-owner", "ann@example.com", "-id", "acme", "-name", "Acme"); err != nil {
		t.Fatalf("property add: %v", err)
	}
	out, _, err := op(t, "", "token", "create", "-db", dbURL, "-property", "acme", "-name", "ci")
	if err != nil {
		t.Fatalf("token create: %v", err)
	}
	token := strings.TrimSpace(out)
	a := launch(t, "-db", dbURL)
	b := launch(t, "-db", dbURL)
	a.waitLog(t, "following publications")
	b.waitLog(t, "following publications")

	for _, p := range []*proc{a, b} {
		st, _, body := get(t, p.base+"/healthz", nil)
		if st != http.StatusOK || !strings.Contains(body, `"database":"ok"`) {
			t.Errorf("GET /healthz: %d %s; want 200 with the database ok", st, body)
		}
	}

	// Each write goes through one instance while the other has the old
	// set cached (it has just served it); the other serves the new one
	// within a second of the write's answer.
	for i, pair := range [][2]*proc{{a, b}, {b, a}, {a, b}} {
		writer, reader := pair[0], pair[1]
		if st, _, _ := get(t, reader.base+"/p/acme/triggers.json", nil); st != http.StatusOK {
			t.Fatalf("GET triggers.json before write %d: %d", i, st)
		}
		text := fmt.Sprintf("Message number %d", i)
		if st, _, err := call("POST", writer.base+"/api/v1/properties/acme/triggers", token, trigger(fmt.Sprint("t", i), text), nil); err != nil || st != http.StatusCreated {
			t.Fatalf("write %d: %d %v\n%s", i, st, err, writer.log)
		}
		written := time.Now()
		for {
			_, _, body := get(t, reader.base+"/p/acme/triggers.json", nil)
			if strings.Contains(body, text) {
				t.Logf("write %d: served by the other instance %v after the write's answer", i, time.Since(written).Round(time.Millisecond))
				break
			}
			if time.Since(written) > time.Second {
				t.Fatalf("write %d: the other instance still serves the old set a second after the write:\n%s", i, body)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}

	// An upload through one instance is served by the other.
	var png bytes.Buffer
	img := image.NewRGBA(image.Rect(0, 0, 4, 4))
	img.Set(1, 1, color.RGBA{200, 30, 30, 255})
	if err := pngenc.Encode(&png, img); err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("POST", a.base+"/api/v1/properties/acme/uploads?filename=dot.png", bytes.NewReader(png.Bytes()))
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusCreated || !strings.HasPrefix(loc, "/u/") {
		t.Fatalf("upload through a: %d, Location %q", resp.StatusCode, loc)
	}
	if st, h, body := get(t, b.base+loc, nil); st != http.StatusOK || h.Get("Content-Type") != "image/png" || len(body) == 0 {
		t.Errorf("GET %s from b: %d %s, %d bytes; want the uploaded image", loc, st, h.Get("Content-Type"), len(body))
	}

	// When b's listening connection is cut (a database restart, a
	// failover, a proxy's idle timeout), b still serves a new set within a
	// second, and listens again.
	killed := terminateListeners(t, dbURL)
	if killed != 2 {
		t.Errorf("terminated %d listening connections, want one per instance", killed)
	}
	b.waitLog(t, "not following publications")
	if st, _, err := call("POST", a.base+"/api/v1/properties/acme/triggers", token, trigger("after-cut", "After the cut"), nil); err != nil || st != http.StatusCreated {
		t.Fatalf("write after the cut: %d %v", st, err)
	}
	written := time.Now()
	for {
		if _, _, body := get(t, b.base+"/p/acme/triggers.json", nil); strings.Contains(body, "After the cut") {
			break
		}
		if time.Since(written) > time.Second {
			t.Fatal("with its listening connection cut, b still serves the old set a second after the write")
		}
		time.Sleep(5 * time.Millisecond)
	}
	deadline := time.Now().Add(10 * time.Second)
	for strings.Count(b.log.String(), "following publications") < 3 { // listening, lost, listening again
		if time.Now().After(deadline) {
			t.Fatalf("b did not listen again after its connection was cut:\n%s", b.log)
		}
		time.Sleep(10 * time.Millisecond)
	}

	// A session made on one instance works on the other, and logging out
	// on the other ends it everywhere.
	resp = postLogin(t, a.base, "ann@example.com", password)
	if resp.StatusCode != http.StatusOK || len(resp.Cookies()) == 0 {
		t.Fatalf("login on a: %d, cookies %v", resp.StatusCode, resp.Cookies())
	}
	cookies := resp.Cookies()
	if st, _, body := get(t, b.base+"/api/v1/me", cookies); st != http.StatusOK || !strings.Contains(body, "ann@example.com") {
		t.Errorf("GET /api/v1/me on b with a's session: %d %s", st, body)
	}
	req, _ = http.NewRequest("DELETE", b.base+"/api/v1/session", nil)
	for _, c := range cookies {
		req.AddCookie(c)
	}
	req.Header.Set("Origin", b.base)
	if r, err := http.DefaultClient.Do(req); err != nil || r.StatusCode >= 300 {
		t.Fatalf("logout on b: %v %v", r, err)
	} else {
		r.Body.Close()
	}
	if st, _, _ := get(t, a.base+"/api/v1/me", cookies); st != http.StatusUnauthorized {
		t.Errorf("GET /api/v1/me on a after logging out on b: %d, want 401", st)
	}

	// Failed logins count across instances: a guesser alternating
	// between them is slowed as if there were one.
	status := 0
	for i := range 8 {
		status = postLogin(t, []*proc{a, b}[i%2].base, "ann@example.com", "wrong guess").StatusCode
		if status == http.StatusTooManyRequests {
			break
		}
	}
	if status != http.StatusTooManyRequests {
		t.Errorf("8 failed logins alternating between the instances were never slowed (last %d)", status)
	}
	for _, p := range []*proc{a, b} {
		if r := postLogin(t, p.base, "ann@example.com", password); r.StatusCode != http.StatusTooManyRequests {
			t.Errorf("the right password from the guesser's address right after: %d, want 429 on both instances", r.StatusCode)
		}
	}
}

// On SIGTERM, widgetd stops accepting connections, lets the request in
// flight finish with its whole answer, and exits cleanly.
func TestGracefulShutdown(t *testing.T) {
	p := launch(t, "-data", t.TempDir(), "-log-level", "debug", "-log-json")
	conn, err := net.Dial("tcp", p.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// A first request makes sure the server has accepted the connection
	// (one still in the listener's queue is reset when it closes); the
	// second is sent but for the end of its body, and left time to be read.
	br := bufio.NewReader(conn)
	if _, err := fmt.Fprintf(conn, "GET /healthz HTTP/1.1\r\nHost: %s\r\n\r\n", p.addr); err != nil {
		t.Fatal(err)
	}
	if resp, err := http.ReadResponse(br, nil); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /healthz: %v %v", resp, err)
	} else {
		_, _ = io.Copy(io.Discard, resp.Body)
	}
	body := `{"email":"nobody@example.com","password":"not the right one"}`
	head := fmt.Sprintf("POST /api/v1/session HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\nX-Request-Id: drain-1\r\n\r\n", p.addr, len(body))
	if _, err := io.WriteString(conn, head+body[:10]); err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond)
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	p.waitLog(t, "shutting down")
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", p.addr, time.Second)
		if err != nil {
			break
		}
		c.Close()
		if time.Now().After(deadline) {
			t.Fatal("widgetd still accepts connections after SIGTERM")
		}
		time.Sleep(10 * time.Millisecond)
	}
	select {
	case <-p.done:
		t.Fatalf("widgetd exited (%v) with a request in flight", p.err)
	default:
	}
	if _, err := io.WriteString(conn, body[10:]); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatalf("the request in flight got no answer: %v", err)
	}
	answer, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusUnauthorized || !strings.Contains(string(answer), "wrong email or password") {
		t.Errorf("the request in flight: %d %s %v; want its whole 401 answer", resp.StatusCode, answer, err)
	}
	if id := resp.Header.Get("X-Request-Id"); id != "drain-1" {
		t.Errorf("X-Request-Id %q, want the request's own drain-1", id)
	}
	select {
	case <-p.done:
		if p.err != nil {
			t.Errorf("widgetd exited with %v after SIGTERM; want a clean exit\n%s", p.err, p.log)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("widgetd did not exit after its last request")
	}
	var logged bool
	for line := range strings.SplitSeq(p.log.String(), "\n") {
		var rec map[string]any
		if json.Unmarshal([]byte(line), &rec) == nil && rec["msg"] == "request" && rec["request_id"] == "drain-1" && rec["path"] == "/api/v1/session" {
			logged = true
		}
	}
	if !logged || !strings.Contains(p.log.String(), `"msg":"stopped"`) {
		t.Errorf("want a JSON request record with request_id drain-1 and a final stopped record:\n%s", p.log)
	}
}

// A request that outlives -shutdown-timeout is cut off, and widgetd says
// so in its exit status.
func TestShutdownTimeout(t *testing.T) {
	p := launch(t, "-data", t.TempDir(), "-shutdown-timeout", "200ms")
	conn, err := net.Dial("tcp", p.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := fmt.Fprintf(conn, "GET /healthz HTTP/1.1\r\nHost: %s\r\n\r\n", p.addr); err != nil {
		t.Fatal(err)
	}
	if resp, err := http.ReadResponse(bufio.NewReader(conn), nil); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /healthz: %v %v", resp, err)
	} else {
		_, _ = io.Copy(io.Discard, resp.Body)
	}
	if _, err := fmt.Fprintf(conn, "POST /api/v1/session HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{", p.addr); err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond)
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-p.done:
		var ee *exec.ExitError
		if !errors.As(p.err, &ee) || !strings.Contains(p.log.String(), "cut off") {
			t.Errorf("exit %v; want a failure naming the requests cut off\n%s", p.err, p.log)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("widgetd waited past -shutdown-timeout")
	}
}

// terminateListeners ends the database connections that listen for
// publications, as a database restart would, and says how many it ended.
func terminateListeners(t *testing.T, dbURL string) int {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(t.Context())
	var n int
	err = conn.QueryRow(t.Context(), `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
		WHERE datname = current_database() AND pid <> pg_backend_pid() AND query LIKE 'LISTEN %'`).Scan(&n)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
