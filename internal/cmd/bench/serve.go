//go:build !js

package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/triggerwidget/triggerwidget/internal/pgtest"
)

// The serve section measures widgetd as deployed: built binaries (go build
// ./cmd/widgetd), one or two of them on one throwaway PostgreSQL cluster
// (internal/pgtest), and, as the reference in the same run, Debian's
// nginx serving the same published bytes as a static file (with its
// precompressed .gz, gzip_static) and the same headers. Reads are GETs of
// /p/ID/triggers.json by a fixed number of keep-alive clients (the load
// generator of the server section, in this process); with two instances
// the clients are spread evenly over them, as a load balancer would.
// Rounds rotate the order of the variants; the figures are the medians
// over the rounds and the ratios are medians of the rounds' ratios.
// Writes are API PUTs through a widgetd over SQLite and one over
// PostgreSQL, alternating.

var (
	serveRounds  = flag.Int("serve-rounds", 5, "serve section: rounds, rotating nginx and 1 and 2 widgetd instances")
	serveDur     = flag.Duration("serve-dur", 3*time.Second, "serve section: duration of each read round")
	serveClients = flag.Int("serve-clients", 64, "serve section: concurrent keep-alive clients of the read rounds")
	serveWrites  = flag.Int("serve-writes", 100, "serve section: API writes per write round")
	serveEnv     = flag.String("serve-env", "", "serve section: also measure one widgetd with these space-separated `VAR=value` settings in its environment (e.g. GOGC=400); ';' separates variants")
	serveBase    = flag.String("serve-baseline", "", "serve section: also measure one widgetd built from this git `revision` (e.g. main), beside today's")
)

// proc is a server process the section started.
type proc struct {
	name string
	cmd  *exec.Cmd
	url  string // http://127.0.0.1:PORT
	log  string // its standard error
}

func (p *proc) stop() {
	if p == nil || p.cmd == nil || p.cmd.Process == nil {
		return
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = p.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(15 * time.Second):
		_ = p.cmd.Process.Kill()
		<-done
	}
}

func runServe(root string, sum *figures) error {
	ctx := context.Background()
	set, err := os.ReadFile(filepath.Join(root, "widget", "testdata", "bench-set.json"))
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "twbench-serve")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	bin := filepath.Join(tmp, "widgetd")
	build := exec.Command("go", "build", "-o", bin, "./cmd/widgetd")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		return fmt.Errorf("go build ./cmd/widgetd: %v\n%s", err, out)
	}
	baseBin := ""
	if *serveBase != "" {
		// The revision's tree, exported (not checked out) and built.
		src := filepath.Join(tmp, "baseline")
		if err := os.MkdirAll(src, 0o755); err != nil {
			return err
		}
		arch := exec.Command("sh", "-c", `git -C "$1" archive "$2" | tar -x -C "$3"`, "sh", root, *serveBase, src)
		if out, err := arch.CombinedOutput(); err != nil {
			return fmt.Errorf("-serve-baseline %s: git archive: %v\n%s", *serveBase, err, out)
		}
		baseBin = filepath.Join(tmp, "widgetd-baseline")
		build := exec.Command("go", "build", "-o", baseBin, "./cmd/widgetd")
		build.Dir = src
		if out, err := build.CombinedOutput(); err != nil {
			return fmt.Errorf("-serve-baseline %s: go build: %v\n%s", *serveBase, err, out)
		}
	}
	// widgetd wants a widget build; only /p/ and /api/ are measured here.
	dist := filepath.Join(tmp, "dist")
	if err := os.MkdirAll(dist, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dist, "widget.js"), []byte("// not measured\n"), 0o644); err != nil {
		return err
	}
	setFile := filepath.Join(tmp, "set.json")
	if err := os.WriteFile(setFile, set, 0o644); err != nil {
		return err
	}

	pgURL, err := pgtest.NewDatabase(ctx)
	if err != nil {
		return err
	}
	defer func() {
		if err := pgtest.Stop(); err != nil {
			fmt.Fprintln(os.Stderr, "bench: stopping PostgreSQL:", err)
		}
	}()
	pgStore := []string{"-db", pgURL}
	liteStore := []string{"-data", filepath.Join(tmp, "data")}
	pgToken, err := seed(bin, tmp, setFile, pgStore)
	if err != nil {
		return fmt.Errorf("PostgreSQL: %w", err)
	}
	liteToken, err := seed(bin, tmp, setFile, liteStore)
	if err != nil {
		return fmt.Errorf("SQLite: %w", err)
	}
	var procs []*proc
	defer func() {
		for _, p := range procs {
			p.stop()
		}
	}()
	startBin := func(bin, name string, env []string, args ...string) (*proc, error) {
		p, err := startProc(name, tmp, bin, env, append(args, "-addr", "127.0.0.1:0", "-dist", dist, "-site", "")...)
		if p != nil {
			procs = append(procs, p)
		}
		return p, err
	}
	start := func(name string, args ...string) (*proc, error) { return startBin(bin, name, nil, args...) }
	pgA, err := start("widgetd-pg-a", pgStore...)
	if err != nil {
		return err
	}
	pgB, err := start("widgetd-pg-b", pgStore...)
	if err != nil {
		return err
	}
	lite, err := start("widgetd-sqlite", liteStore...)
	if err != nil {
		return err
	}

	path := "/p/" + benchProperty + "/triggers.json"
	plain, err := capture(pgA.url+path, nil)
	if err != nil {
		return err
	}
	if plain.status != http.StatusOK {
		return fmt.Errorf("GET %s: %d", path, plain.status)
	}
	if other, err := capture(pgB.url+path, nil); err != nil || other.status != http.StatusOK || !bytes.Equal(other.body, plain.body) {
		return fmt.Errorf("the second instance does not serve the first one's set (status %d, %d bytes, %v)", other.status, len(other.body), err)
	}
	gzipH := http.Header{"Accept-Encoding": {"gzip"}}
	gz, err := capture(pgA.url+path, gzipH)
	if err != nil {
		return err
	}
	if gz.header.Get("Content-Encoding") != "gzip" {
		return fmt.Errorf("GET %s with Accept-Encoding: gzip: no gzip answer", path)
	}
	www := filepath.Join(tmp, "www")
	tree, err := exportTree(bin, tmp, www, pgStore, path, plain.body, gz.body)
	if err != nil {
		return err
	}
	ng, err := startNginx(tmp, www)
	if err != nil {
		return err
	}
	procs = append(procs, ng)
	// nginx answers with the same bytes; its own ETags.
	ngPlain, err := capture(ng.url+path, nil)
	if err != nil {
		return err
	}
	ngGz, err := capture(ng.url+path, gzipH)
	if err != nil {
		return err
	}
	// The gzip copies may come from two compressors: what they hold must
	// be the same.
	if !bytes.Equal(ngPlain.body, plain.body) || !bytes.Equal(gunzip(ngGz.body), plain.body) || ngGz.header.Get("Content-Encoding") != "gzip" {
		return fmt.Errorf("nginx does not serve the bytes widgetd serves (%d and %d bytes, Content-Encoding %q)",
			len(ngPlain.body), len(ngGz.body), ngGz.header.Get("Content-Encoding"))
	}
	for _, h := range []string{"Cache-Control", "Access-Control-Allow-Origin", "Content-Type", "Vary"} {
		if ngGz.header.Get(h) != gz.header.Get(h) {
			return fmt.Errorf("nginx answers %s: %q, widgetd %q", h, ngGz.header.Get(h), gz.header.Get(h))
		}
	}

	fmt.Printf("\n== serve (built widgetd on one PostgreSQL, beside Debian's nginx; loopback, %d keep-alive clients in this process, %d cores shared; %d rounds rotating the order, medians)\n",
		*serveClients, runtime.NumCPU(), max(*serveRounds, 1))
	fmt.Printf("published set: GET %s (%s; gzip %s); nginx = the same bytes from %s (gzip_static), the same headers, access_log off\n",
		path, kb(len(plain.body)), kb(len(gz.body)), tree)
	type target struct {
		name  string
		urls  []string
		procs []*proc
	}
	targets := []target{
		{"nginx", []string{ng.url + path}, []*proc{ng}},
		{"widgetd ×1", []string{pgA.url + path}, []*proc{pgA}},
		{"widgetd ×2", []string{pgA.url + path, pgB.url + path}, []*proc{pgA, pgB}},
	}
	if baseBin != "" {
		// A database of its own: another revision may hold other
		// migrations, and a widgetd refuses a schema newer than its own.
		baseURL, err := pgtest.NewDatabase(ctx)
		if err != nil {
			return err
		}
		baseStore := []string{"-db", baseURL}
		if _, err := seed(baseBin, tmp, setFile, baseStore); err != nil {
			return fmt.Errorf("-serve-baseline %s: %w", *serveBase, err)
		}
		base, err := startBin(baseBin, "widgetd-baseline", nil, baseStore...)
		if err != nil {
			return err
		}
		if got, err := capture(base.url+path, nil); err != nil || !bytes.Equal(got.body, plain.body) {
			return fmt.Errorf("-serve-baseline %s: the widgetd of that revision serves another set (%d bytes, %v)", *serveBase, len(got.body), err)
		}
		targets = append(targets, target{"widgetd@" + *serveBase + " ×1", []string{base.url + path}, []*proc{base}})
	}
	for k, variant := range strings.Split(*serveEnv, ";") {
		env := strings.Fields(variant)
		if len(env) == 0 {
			continue
		}
		p, err := startBin(bin, fmt.Sprintf("widgetd-env%d", k), env, pgStore...)
		if err != nil {
			return err
		}
		targets = append(targets, target{"widgetd " + strings.Join(env, " ") + " ×1", []string{p.url + path}, []*proc{p}})
	}
	variants := []struct {
		name   string
		header func(t target) http.Header
		status int
	}{
		{"plain", func(target) http.Header { return nil }, http.StatusOK},
		{"gzip", func(target) http.Header { return gzipH }, http.StatusOK},
		{"If-None-Match", func(t target) http.Header {
			if t.name == "nginx" {
				return http.Header{"If-None-Match": {ngPlain.header.Get("ETag")}}
			}
			return http.Header{"If-None-Match": {plain.header.Get("ETag")}}
		}, http.StatusNotModified},
	}
	rounds := max(*serveRounds, 1)
	for _, v := range variants {
		results := make([][]loadResult, len(targets))
		cpu := make([][]float64, len(targets)) // server CPU µs per answer
		warm := min(*serveDur/3, time.Second)
		for _, t := range targets {
			if r := hammerAll(t.urls, v.header(t), v.status, *serveClients, warm); r.bad > 0 {
				return fmt.Errorf("%s %s warm-up: %d bad answers: %s", t.name, v.name, r.bad, r.firstErr)
			}
		}
		for round := range rounds {
			for k := range targets {
				i := (k + round) % len(targets)
				t := targets[i]
				runtime.GC()
				cpu0 := cpuTime(t.procs)
				r := hammerAll(t.urls, v.header(t), v.status, *serveClients, *serveDur)
				used := cpuTime(t.procs) - cpu0
				if r.bad > 0 {
					return fmt.Errorf("%s %s: %d bad answers: %s", t.name, v.name, r.bad, r.firstErr)
				}
				results[i] = append(results[i], r)
				cpu[i] = append(cpu[i], float64(used.Microseconds())/float64(max(r.n, 1)))
			}
		}
		ref := summarize(results[0])
		refCPU := medianOf(cpu[0])
		fmt.Printf("  GET %s\n", v.name)
		fmt.Printf("    %-24s %7.0f req/s p50 %s p99 %s, server CPU %5.1fµs/answer\n", "nginx", ref.rate, ms(ref.p50), ms(ref.p99), refCPU)
		for i := 1; i < len(targets); i++ {
			s := summarize(results[i])
			c := medianOf(cpu[i])
			fmt.Printf("    %-24s %7.0f req/s p50 %s p99 %s, server CPU %5.1fµs/answer | rate %s of nginx's, CPU/answer %.2f× nginx's\n",
				targets[i].name, s.rate, ms(s.p50), ms(s.p99), c, ratio(results[i], results[0]), c/refCPU)
			sum.add("serve "+v.name+", "+targets[i].name, "%.0f req/s p99 %s (nginx %.0f req/s p99 %s): %s of nginx's rate; CPU %.1fµs/answer, %.2f× nginx's",
				s.rate, ms(s.p99), ref.rate, ms(ref.p99), ratio(results[i], results[0]), c, c/refCPU)
		}
	}

	var rss []string
	for _, t := range targets {
		for _, p := range t.procs {
			if r := rssOf(p); r != "" && !slices.Contains(rss, p.name+" "+r) {
				rss = append(rss, p.name+" "+r)
			}
		}
	}
	fmt.Printf("  resident memory after the reads: %s\n", strings.Join(rss, ", "))

	// Writes, alternating the two backends.
	n := max(*serveWrites, 8)
	tr := &http.Transport{MaxIdleConnsPerHost: 8}
	defer tr.CloseIdleConnections()
	cl := &http.Client{Transport: tr}
	putLite, err := apiPutter(cl, set, lite.url, liteToken)
	if err != nil {
		return err
	}
	putPG, err := apiPutter(cl, set, pgA.url, pgToken)
	if err != nil {
		return err
	}
	fmt.Printf("writes: PUT /api/v1/properties/%s/triggers/{id} (Bearer token; a new message text each time), %d per round, SQLite and PostgreSQL alternating\n", benchProperty, n)
	for _, writers := range []int{1, 4} {
		for _, put := range []func(int) (int, error){putLite, putPG} {
			if _, err := writeRound(put, writers, 4*writers); err != nil {
				return err
			}
		}
		var liteRes, pgRes []writeResult
		for round := range rounds {
			for k := range 2 {
				runtime.GC()
				if (round+k)%2 == 0 {
					r, err := writeRound(putLite, writers, n)
					if err != nil {
						return err
					}
					liteRes = append(liteRes, r)
				} else {
					r, err := writeRound(putPG, writers, n)
					if err != nil {
						return err
					}
					pgRes = append(pgRes, r)
				}
			}
		}
		name := "sequential"
		if writers > 1 {
			name = fmt.Sprintf("%d writers", writers)
		}
		l, p := summarizeWrites(liteRes), summarizeWrites(pgRes)
		fmt.Printf("  PUT %-14s SQLite %6.0f req/s p50 %s p99 %s | PostgreSQL %6.0f req/s p50 %s p99 %s | PostgreSQL/SQLite %s\n",
			name, l.rate, ms(l.p50), ms(l.p99), p.rate, ms(p.p50), ms(p.p99), writeRatio(pgRes, liteRes))
		fmt.Printf("      statuses: SQLite %s; PostgreSQL %s\n", statusText(liteRes), statusText(pgRes))
		sum.add("serve PUT "+name, "SQLite %.0f req/s, PostgreSQL %.0f req/s (%s)", l.rate, p.rate, writeRatio(pgRes, liteRes))
	}
	return nil
}

func statusText(rs []writeResult) string {
	all := map[int]int{}
	for _, r := range rs {
		for st, c := range r.statuses {
			all[st] += c
		}
	}
	var codes []string
	for _, st := range slices.Sorted(maps.Keys(all)) {
		codes = append(codes, fmt.Sprintf("%d×%d", st, all[st]))
	}
	return strings.Join(codes, " ")
}

// seed creates the bench account, the property with the bench set and an
// API token with the operator commands, and returns the token.
func seed(bin, tmp, setFile string, storeArgs []string) (string, error) {
	const owner = "bench@example.com"
	cmd := func(stdin string, args ...string) (string, error) {
		c := exec.Command(bin, append(args, storeArgs...)...)
		c.Dir = tmp
		c.Stdin = strings.NewReader(stdin)
		var out, errb bytes.Buffer
		c.Stdout, c.Stderr = &out, &errb
		if err := c.Run(); err != nil {
			return "", fmt.Errorf("widgetd %s: %v\n%s", strings.Join(args, " "), err, errb.Bytes())
		}
		return strings.TrimSpace(out.String()), nil
	}
	if _, err := cmd("bench-password-1234\n", "user", "add", "-email", owner); err != nil {
		return "", err
	}
	if _, err := cmd("", "property", "add", "-owner", owner, "-id", benchProperty, "-name", "Bench", "-url", "https://example.com/", "-set", setFile); err != nil {
		return "", err
	}
	return cmd("", "token", "create", "-property", benchProperty, "-name", "bench")
}

// startProc starts widgetd with args and waits for the line that gives
// its address.
func startProc(name, tmp, bin string, env []string, args ...string) (*proc, error) {
	logPath := filepath.Join(tmp, name+".log")
	logf, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	defer logf.Close()
	cmd := exec.Command(bin, args...)
	cmd.Dir = tmp
	cmd.Env = append(os.Environ(), env...)
	cmd.Stderr = logf
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p := &proc{name: name, cmd: cmd, log: logPath}
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if rest, ok := strings.CutPrefix(sc.Text(), "triggerwidget demo: "); ok {
				found <- strings.TrimSuffix(rest, "/")
			}
		}
		close(found)
	}()
	select {
	case u, ok := <-found:
		if ok {
			p.url = u
			return p, nil
		}
	case <-time.After(30 * time.Second):
	}
	b, _ := os.ReadFile(logPath)
	return p, fmt.Errorf("%s did not start: %s", name, bytes.TrimSpace(b))
}

// exportTree fills www with the static tree nginx serves: what `widgetd
// export` writes, when this build has that command; otherwise the one file
// measured, as fetched from widgetd, and its gzip copy. It says which.
func exportTree(bin, tmp, www string, storeArgs []string, path string, body, gzBody []byte) (string, error) {
	c := exec.Command(bin, append([]string{"export", "-out", www}, storeArgs...)...)
	c.Dir = tmp // where -dist's default, dist/, is
	out, err := c.CombinedOutput()
	file := filepath.Join(www, filepath.FromSlash(strings.TrimPrefix(path, "/")))
	if err == nil {
		if _, statErr := os.Stat(file); statErr == nil {
			return "widgetd export's tree", nil
		}
		return "", fmt.Errorf("widgetd export -out wrote no %s:\n%s", file, out)
	}
	if !bytes.Contains(out, []byte("unknown command")) {
		return "", fmt.Errorf("widgetd export: %v\n%s", err, out)
	}
	if err := os.RemoveAll(www); err != nil {
		return "", err
	}
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return "", err
	}
	if err := os.WriteFile(file, body, 0o644); err != nil {
		return "", err
	}
	if err := os.WriteFile(file+".gz", gzBody, 0o644); err != nil {
		return "", err
	}
	return "the set as fetched from widgetd (this build has no export command)", nil
}

// startNginx serves the static tree www with Debian's nginx (installed
// with apt-get when missing) in a directory of its own, on a free loopback
// port, with the headers widgetd gives a published set under /p/.
func startNginx(tmp, www string) (*proc, error) {
	bin, err := findNginx()
	if err != nil {
		return nil, err
	}
	prefix := filepath.Join(tmp, "nginx")
	if err := os.MkdirAll(prefix, 0o755); err != nil {
		return nil, err
	}
	// nginx's workers run as nobody when it is started as root: they must
	// reach the files.
	err = filepath.WalkDir(www, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		mode := os.FileMode(0o644)
		if d.IsDir() {
			mode = 0o755
		}
		return os.Chmod(p, mode)
	})
	if err != nil {
		return nil, err
	}
	for d := filepath.Dir(www); ; d = filepath.Dir(d) {
		_ = os.Chmod(d, 0o755)
		if d == tmp || d == filepath.Dir(d) {
			break
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr := ln.Addr().String()
	ln.Close()
	conf := fmt.Sprintf(`worker_processes auto;
daemon off;
master_process on;
pid %[1]s/nginx.pid;
error_log %[1]s/error.log warn;
events { worker_connections 4096; }
http {
	access_log off;
	client_body_temp_path %[1]s/client_body;
	proxy_temp_path %[1]s/proxy;
	fastcgi_temp_path %[1]s/fastcgi;
	uwsgi_temp_path %[1]s/uwsgi;
	scgi_temp_path %[1]s/scgi;
	types { application/json json; }
	default_type application/octet-stream;
	charset_types application/json;
	sendfile on;
	tcp_nopush on;
	keepalive_timeout 120s;
	keepalive_requests 100000000;
	server {
		listen %[2]s;
		root %[3]s;
		location /p/ {
			gzip_static on;
			gzip_vary on;
			charset utf-8;
			add_header Cache-Control "public, max-age=60, must-revalidate";
			add_header Access-Control-Allow-Origin *;
			add_header Cross-Origin-Resource-Policy cross-origin;
			add_header Access-Control-Expose-Headers ETag;
			add_header X-Content-Type-Options nosniff;
		}
	}
}
`, prefix, addr, www)
	confPath := filepath.Join(prefix, "nginx.conf")
	if err := os.WriteFile(confPath, []byte(conf), 0o644); err != nil {
		return nil, err
	}
	logf, err := os.Create(filepath.Join(prefix, "stderr.log"))
	if err != nil {
		return nil, err
	}
	defer logf.Close()
	cmd := exec.Command(bin, "-p", prefix, "-c", confPath, "-e", filepath.Join(prefix, "error.log"))
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p := &proc{name: "nginx", cmd: cmd, url: "http://" + addr, log: logf.Name()}
	for deadline := time.Now().Add(10 * time.Second); ; {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close()
			return p, nil
		}
		if time.Now().After(deadline) {
			p.stop()
			b, _ := os.ReadFile(filepath.Join(prefix, "error.log"))
			return nil, fmt.Errorf("nginx did not start on %s: %v\n%s", addr, err, b)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// findNginx returns Debian's nginx, installing it (apt-get, as root or
// through sudo without a password) when missing.
func findNginx() (string, error) {
	if p, err := exec.LookPath("nginx"); err == nil {
		return p, nil
	}
	if _, err := os.Stat("/usr/sbin/nginx"); err == nil {
		return "/usr/sbin/nginx", nil
	}
	fmt.Println("nginx is not installed: installing Debian's nginx with apt-get for the serve section's reference")
	var args []string
	if os.Geteuid() != 0 {
		args = []string{"sudo", "-n"}
	}
	args = append(args, "apt-get", "install", "-y", "-q", "--no-install-recommends", "nginx")
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("nginx is missing and %s failed: %v\n%s", strings.Join(args, " "), err, out)
	}
	if _, err := os.Stat("/usr/sbin/nginx"); err != nil {
		return "", errors.New("apt-get installed nginx, but there is no /usr/sbin/nginx")
	}
	return "/usr/sbin/nginx", nil
}

// cpuTime is the CPU time (user and system) the processes and their
// children (nginx's workers) have used so far, from /proc.
func cpuTime(procs []*proc) time.Duration {
	pids := map[int]bool{}
	for _, p := range procs {
		pids[p.cmd.Process.Pid] = true
	}
	var ticks int64
	ents, _ := os.ReadDir("/proc")
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		// The fields after the command's name, which ends with the last ')'.
		i := bytes.LastIndexByte(b, ')')
		if i < 0 {
			continue
		}
		f := strings.Fields(string(b[i+1:]))
		if len(f) < 13 {
			continue
		}
		ppid, _ := strconv.Atoi(f[1])
		if !pids[pid] && !pids[ppid] {
			continue
		}
		ut, _ := strconv.ParseInt(f[11], 10, 64)
		st, _ := strconv.ParseInt(f[12], 10, 64)
		ticks += ut + st
	}
	// The kernel counts in USER_HZ, 100 per second on Linux.
	return time.Duration(ticks) * 10 * time.Millisecond
}

// rssOf is the resident memory of a process (not its children), as
// /proc/PID/status says it.
func rssOf(p *proc) string {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(p.cmd.Process.Pid) + "/status")
	if err != nil {
		return ""
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			return strings.Join(strings.Fields(v), " ")
		}
	}
	return ""
}

// gunzip is data decompressed, or nil when it is not gzip.
func gunzip(data []byte) []byte {
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		return nil
	}
	return b
}
