//go:build !js

// Package pgtest gives tests a throwaway PostgreSQL server, so that
// `go test` needs nothing set up beforehand on a Debian machine.
//
// A test binary starts at most one cluster, the first time a test asks for
// a database. Each caller of Database gets an empty database of its own,
// each caller of Schema an empty schema of its own in a database they
// share (much quicker to make, for suites that open many stores). The
// cluster lives in a fresh temporary directory, listens on a free loopback
// port (and on a unix socket inside that directory), and is stopped and
// removed when the tests end: by Run, or, if the test binary dies first (a
// panic, a timeout, kill -9), by a small watchdog shell that notices its
// end.
//
// The server is Debian's (/usr/lib/postgresql/VERSION/bin). When it is
// missing, pgtest installs the postgresql package with apt-get (as root,
// or through sudo without a password); when that fails, the test fails
// with an error naming what did: a test that needs PostgreSQL never skips
// silently. PostgreSQL refuses to run as root, so as root the cluster runs
// as the postgres user the package creates.
//
// The cluster trades durability for speed (fsync off): it holds nothing
// that must outlive the test binary.
package pgtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// Run runs the package's tests (for TestMain) and then stops the cluster
// and removes its directory, if a test started one. It returns m.Run's
// exit code, or 1 when the cluster cannot be stopped cleanly.
func Run(m *testing.M) int {
	code := m.Run()
	if err := Stop(); err != nil {
		fmt.Fprintln(os.Stderr, "pgtest:", err)
		if code == 0 {
			code = 1
		}
	}
	return code
}

// NewDatabase is Database for a program that is not a test (the
// benchmarks of make bench): an empty database in the process's cluster,
// started on the first call. The program calls Stop when done.
func NewDatabase(ctx context.Context) (string, error) {
	return database(ctx)
}

// Stop stops the cluster, if one was started, and removes its directory.
// Run calls it after the tests.
func Stop() error {
	mu.Lock()
	defer mu.Unlock()
	if shared != nil {
		_ = shared.Close(context.Background())
		shared = nil
	}
	if running == nil {
		return nil
	}
	err := running.stop()
	running = nil
	return err
}

var (
	mu       sync.Mutex
	running  *cluster
	startErr error
	seq      int
	shared   *pgx.Conn // to the database holding the schemas of Schema
	sharedDB string
)

// Database creates an empty database in the test binary's cluster,
// starting the cluster on the first call, and returns its URL
// (postgres://…). It fails the test with the cause when PostgreSQL cannot
// be installed or started.
func Database(t testing.TB) string {
	t.Helper()
	u, err := database(context.Background())
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	return u
}

// Schema creates an empty schema in a database the test binary's callers
// of Schema share, and returns a URL whose connections use it (its
// search_path): a fresh, isolated store for each of many parallel tests,
// at a fraction of the cost of a database (CREATE DATABASE copies a
// template). What is database-wide — notifications, advisory locks — is
// shared: a test of those takes a Database.
func Schema(t testing.TB) string {
	t.Helper()
	u, err := schema(context.Background())
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	return u
}

// cluster0 starts the cluster on first use. mu is held.
func cluster0(ctx context.Context) (*cluster, error) {
	if running == nil && startErr == nil {
		running, startErr = start(ctx, os.Stderr)
	}
	return running, startErr
}

func database(ctx context.Context) (string, error) {
	mu.Lock()
	defer mu.Unlock()
	c, err := cluster0(ctx)
	if err != nil {
		return "", err
	}
	seq++
	name := fmt.Sprintf("test_%d", seq)
	if _, err := c.admin.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		return "", fmt.Errorf("cannot create database %s: %w", name, err)
	}
	return c.url(name), nil
}

func schema(ctx context.Context) (string, error) {
	mu.Lock()
	defer mu.Unlock()
	c, err := cluster0(ctx)
	if err != nil {
		return "", err
	}
	if shared == nil {
		sharedDB = "schemas"
		if _, err := c.admin.Exec(ctx, "CREATE DATABASE "+sharedDB); err != nil {
			return "", fmt.Errorf("cannot create database %s: %w", sharedDB, err)
		}
		if shared, err = pgx.Connect(ctx, c.url(sharedDB)); err != nil {
			return "", fmt.Errorf("cannot connect to database %s: %w", sharedDB, err)
		}
	}
	seq++
	name := fmt.Sprintf("test_%d", seq)
	if _, err := shared.Exec(ctx, "CREATE SCHEMA "+name); err != nil {
		return "", fmt.Errorf("cannot create schema %s: %w", name, err)
	}
	return c.url(sharedDB) + "&search_path=" + name, nil
}

// cluster is a running PostgreSQL server in a temporary directory.
type cluster struct {
	dir     string // holds data/, the socket and postgres.log
	port    int
	version string
	// server is the shell whose child the server is; it exits when the
	// server does (exited is closed then).
	server *exec.Cmd
	exited chan struct{}
	// watch is the pipe the watchdog reads: closing it (stop, or the end
	// of the test binary however it ends) makes the watchdog stop the
	// server and remove dir.
	watch io.WriteCloser
	admin *pgx.Conn // to the postgres database, for CREATE DATABASE
}

func (c *cluster) url(db string) string {
	u := url.URL{Scheme: "postgres", User: url.User("postgres"), Host: net.JoinHostPort("127.0.0.1", strconv.Itoa(c.port)),
		Path: "/" + db, RawQuery: "sslmode=disable"}
	return u.String()
}

// serverScript runs as the server's user, with the test binary's pipe as
// standard input. It starts the server and exits when the server does.
// Its watchdog, a background subshell that outlives it, waits for the
// pipe to close (stop, or the end of the test binary however it ends),
// then stops the server at once and removes the directory. Arguments: bin
// dir, cluster dir, then the server's options.
//
// (A background job's standard input is /dev/null unless redirected, so
// the pipe reaches the watchdog as descriptor 3.)
const serverScript = `bin=$1 dir=$2
shift 2
trap '' INT TERM HUP
exec 3<&0
"$bin/postgres" -D "$dir/data" "$@" </dev/null >"$dir/postgres.log" 2>&1 3<&- &
pid=$!
{
	cat <&3 >/dev/null
	kill -QUIT "$pid" 2>/dev/null
	while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
	rm -rf "$dir"
} >/dev/null 2>&1 &
exec 3<&-
wait "$pid"
`

// start installs PostgreSQL if needed, creates a cluster in a new
// temporary directory and starts it on a free loopback port. Another
// process may take that port between the probe and the server's bind:
// then it starts over, with another directory and port.
func start(ctx context.Context, progress io.Writer) (*cluster, error) {
	bin, version, err := findOrInstall(ctx, progress)
	if err != nil {
		return nil, err
	}
	cred, err := serverUser()
	if err != nil {
		return nil, err
	}
	for try := 0; ; try++ {
		began := time.Now()
		c, err := startIn(ctx, progress, bin, version, cred, 0)
		if err == nil {
			fmt.Fprintf(progress, "pgtest: PostgreSQL %s ready in %v\n", version, time.Since(began).Round(time.Millisecond))
			return c, nil
		}
		if try == 2 || ctx.Err() != nil {
			return nil, err
		}
		fmt.Fprintf(progress, "pgtest: %v\npgtest: trying again\n", err)
	}
}

// startIn makes one attempt of start, in a new directory, on port (a free
// one when 0).
func startIn(ctx context.Context, progress io.Writer, bin, version string, cred *syscall.Credential, port int) (*cluster, error) {
	dir, err := os.MkdirTemp("", "triggerwidget-pg-")
	if err != nil {
		return nil, fmt.Errorf("cannot create the cluster's directory: %w", err)
	}
	ok := false
	defer func() {
		if !ok {
			_ = os.RemoveAll(dir)
		}
	}()
	if cred != nil {
		if err := os.Chown(dir, int(cred.Uid), int(cred.Gid)); err != nil {
			return nil, fmt.Errorf("cannot give %s to the postgres user: %w", dir, err)
		}
	}
	initdb := exec.CommandContext(ctx, filepath.Join(bin, "initdb"), "-D", filepath.Join(dir, "data"),
		"-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync", "--no-instructions")
	initdb.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	initdb.Env = append(os.Environ(), "LC_ALL=C")
	if out, err := initdb.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("initdb failed: %v\n%s", err, out)
	}
	if port == 0 {
		if port, err = freePort(); err != nil {
			return nil, err
		}
	}
	fmt.Fprintf(progress, "pgtest: starting PostgreSQL %s on 127.0.0.1:%d in %s …\n", version, port, dir)
	c, err := launch(ctx, bin, dir, port, version, cred)
	ok = err == nil
	return c, err
}

// launch starts the server and its watchdog and waits until the server
// takes connections.
func launch(ctx context.Context, bin, dir string, port int, version string, cred *syscall.Credential) (*cluster, error) {
	cmd := exec.Command("/bin/sh", "-c", serverScript, "pgtest-server", bin, dir,
		"-p", strconv.Itoa(port),
		"-c", "listen_addresses=127.0.0.1",
		"-c", "unix_socket_directories="+dir,
		"-c", "fsync=off",
		"-c", "synchronous_commit=off",
		"-c", "full_page_writes=off",
		"-c", "max_connections=200",
		"-c", "log_min_messages=warning",
	)
	// Its own process group: a Ctrl-C meant for the tests reaches the
	// server only through the watchdog's pipe.
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred, Setpgid: true}
	// Not StdinPipe, which Wait closes: the watchdog must keep its pipe
	// (and the directory, with the server's log) when the server exits.
	pipe, watch, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	cmd.Stdin = pipe
	err = cmd.Start()
	pipe.Close()
	if err != nil {
		watch.Close()
		return nil, fmt.Errorf("cannot start PostgreSQL: %w", err)
	}
	c := &cluster{dir: dir, port: port, version: version, server: cmd, watch: watch, exited: make(chan struct{})}
	go func() { _ = cmd.Wait(); close(c.exited) }()

	deadline := time.Now().Add(60 * time.Second)
	for {
		// Each attempt is bounded: something else may have taken the
		// port and accept connections without ever answering.
		attempt, cancel := context.WithTimeout(ctx, 2*time.Second)
		conn, err := pgx.Connect(attempt, c.url("postgres"))
		cancel()
		if err == nil {
			c.admin = conn
			return c, nil
		}
		select {
		case <-c.exited:
			log, _ := os.ReadFile(filepath.Join(dir, "postgres.log"))
			_ = c.stopServer()
			return nil, fmt.Errorf("PostgreSQL exited at start on port %d: %s", port, bytes.TrimSpace(log))
		default:
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(filepath.Join(dir, "postgres.log"))
			_ = c.stopServer()
			return nil, fmt.Errorf("PostgreSQL did not take connections on port %d within a minute: %v\n%s", port, err, log)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// stop stops the server (through its watchdog) and removes the
// directory.
func (c *cluster) stop() error {
	if c.admin != nil {
		_ = c.admin.Close(context.Background())
	}
	err := c.stopServer()
	if rmErr := os.RemoveAll(c.dir); rmErr != nil && err == nil {
		err = rmErr
	}
	return err
}

// stopServer closes the watchdog's pipe and waits for the server to exit.
func (c *cluster) stopServer() error {
	_ = c.watch.Close()
	select {
	case <-c.exited:
		return nil
	case <-time.After(30 * time.Second):
		_ = syscall.Kill(-c.server.Process.Pid, syscall.SIGKILL)
		return fmt.Errorf("PostgreSQL in %s did not stop within 30 s; killed", c.dir)
	}
}

// freePort is a loopback TCP port nobody listens on now.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("cannot find a free loopback port: %w", err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// serverUser is the user the server runs as: nil (this process's) unless
// this process is root, which PostgreSQL refuses; then Debian's postgres.
func serverUser() (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return nil, fmt.Errorf("running as root, but there is no postgres user to run PostgreSQL as (Debian's postgresql package creates it): %w", err)
	}
	uid, err1 := strconv.ParseUint(u.Uid, 10, 32)
	gid, err2 := strconv.ParseUint(u.Gid, 10, 32)
	if err := errors.Join(err1, err2); err != nil {
		return nil, fmt.Errorf("the postgres user: %w", err)
	}
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
}

// binGlob is where Debian installs each major version's server.
const binGlob = "/usr/lib/postgresql/*/bin"

// findOrInstall returns the newest installed server's bin directory and
// its major version, installing Debian's postgresql package first when
// none is.
func findOrInstall(ctx context.Context, progress io.Writer) (bin, version string, err error) {
	if bin, version, ok := find(); ok {
		return bin, version, nil
	}
	fmt.Fprintln(progress, "pgtest: PostgreSQL is not installed: installing Debian's postgresql package with apt-get …")
	if err := install(ctx, progress); err != nil {
		return "", "", fmt.Errorf("PostgreSQL is not installed and installing it failed (apt-get install postgresql): %w", err)
	}
	if bin, version, ok := find(); ok {
		return bin, version, nil
	}
	return "", "", fmt.Errorf("apt-get installed postgresql, but no server is in %s", binGlob)
}

func find() (bin, version string, ok bool) {
	dirs, _ := filepath.Glob(binGlob)
	best := -1
	for _, d := range dirs {
		v := filepath.Base(filepath.Dir(d))
		n, err := strconv.Atoi(v)
		if err != nil || n <= best {
			continue
		}
		if _, err := os.Stat(filepath.Join(d, "postgres")); err != nil {
			continue
		}
		if _, err := os.Stat(filepath.Join(d, "initdb")); err != nil {
			continue
		}
		best, bin, version = n, d, v
	}
	return bin, version, best >= 0
}

// install runs apt-get install postgresql, updating the package lists
// first when the install cannot find the package. Several test binaries
// may install at once: apt-get waits for the other's lock.
func install(ctx context.Context, progress io.Writer) error {
	var prefix []string
	if os.Geteuid() != 0 {
		prefix = []string{"sudo", "-n"}
	}
	aptGet := func(args ...string) error {
		all := append(slices.Clone(prefix), append([]string{"apt-get", "-o", "DPkg::Lock::Timeout=600", "-q"}, args...)...)
		cmd := exec.CommandContext(ctx, all[0], all[1:]...)
		cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
		cmd.Stdout, cmd.Stderr = progress, progress
		fmt.Fprintf(progress, "pgtest: %s\n", strings.Join(all, " "))
		return cmd.Run()
	}
	if err := aptGet("install", "-y", "--no-install-recommends", "postgresql"); err == nil {
		return nil
	}
	if err := aptGet("update"); err != nil {
		return err
	}
	return aptGet("install", "-y", "--no-install-recommends", "postgresql")
}
