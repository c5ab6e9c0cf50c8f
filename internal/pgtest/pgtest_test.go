//go:build !js

package pgtest

import (
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

func TestMain(m *testing.M) { os.Exit(Run(m)) }

// Each Database is a distinct, empty database of the one cluster, and the
// cluster's directory is gone once it is stopped.
func TestDatabasesAreSeparateAndEmpty(t *testing.T) {
	ctx := t.Context()
	a, b := Database(t), Database(t)
	if a == b {
		t.Fatalf("two calls gave the same database %s", a)
	}
	ca, err := pgx.Connect(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	defer ca.Close(ctx)
	if _, err := ca.Exec(ctx, "CREATE TABLE t (x int)"); err != nil {
		t.Fatal(err)
	}
	cb, err := pgx.Connect(ctx, b)
	if err != nil {
		t.Fatal(err)
	}
	defer cb.Close(ctx)
	var n int
	if err := cb.QueryRow(ctx, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").Scan(&n); err != nil || n != 0 {
		t.Errorf("the second database has %d tables (%v), want none", n, err)
	}
	var user string
	if err := ca.QueryRow(ctx, "SELECT current_user").Scan(&user); err != nil || user != "postgres" {
		t.Errorf("current_user = %q, %v", user, err)
	}
}

// Stopping a cluster stops the server and removes its directory.
func TestStopRemovesTheCluster(t *testing.T) {
	c, err := start(t.Context(), testWriter{t})
	if err != nil {
		t.Fatal(err)
	}
	url := c.url("postgres")
	if err := c.stop(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(c.dir); !os.IsNotExist(err) {
		t.Errorf("%s after stop: %v, want it gone", c.dir, err)
	}
	if conn, err := pgx.Connect(t.Context(), url); err == nil {
		conn.Close(t.Context())
		t.Errorf("the server still takes connections after stop")
	}
}

// The watchdog stops the server and removes the cluster when the test
// binary's end closes its pipe, without stop being called.
func TestWatchdogCleansUpWhenThePipeCloses(t *testing.T) {
	c, err := start(t.Context(), testWriter{t})
	if err != nil {
		t.Fatal(err)
	}
	c.admin.Close(t.Context())
	c.watch.Close() // what the end of this process does
	select {
	case <-c.exited:
	case <-time.After(30 * time.Second):
		t.Fatal("the server still runs 30 s after the pipe closed")
	}
	// The watchdog removes the directory just after the server exits.
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if _, err := os.Stat(c.dir); os.IsNotExist(err) {
			break
		}
		if time.Now().After(deadline) {
			t.Errorf("%s is still there 30 s after the server stopped", c.dir)
			os.RemoveAll(c.dir)
			break
		}
	}
}

// A server that cannot start (its port taken) is told at once, with its
// log, not after the minute's wait for connections.
func TestPortTakenIsTold(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	bin, version, err := findOrInstall(t.Context(), testWriter{t})
	if err != nil {
		t.Fatal(err)
	}
	cred, err := serverUser()
	if err != nil {
		t.Fatal(err)
	}
	began := time.Now()
	c, err := startIn(t.Context(), testWriter{t}, bin, version, cred, ln.Addr().(*net.TCPAddr).Port)
	if err == nil {
		c.stop()
	}
	if err == nil || !strings.Contains(err.Error(), "exited at start") || !strings.Contains(err.Error(), "could not") {
		t.Errorf("starting on a taken port: %v; want the server's own complaint", err)
	}
	if waited := time.Since(began); waited > 50*time.Second {
		t.Errorf("launch took %v to tell", waited)
	}
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// Each Schema is a distinct, empty schema that its URL's connections
// create tables in.
func TestSchemasAreSeparateAndEmpty(t *testing.T) {
	ctx := t.Context()
	a, b := Schema(t), Schema(t)
	if a == b {
		t.Fatalf("two calls gave the same schema %s", a)
	}
	ca, err := pgx.Connect(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	defer ca.Close(ctx)
	if _, err := ca.Exec(ctx, "CREATE TABLE t (x int)"); err != nil {
		t.Fatal(err)
	}
	cb, err := pgx.Connect(ctx, b)
	if err != nil {
		t.Fatal(err)
	}
	defer cb.Close(ctx)
	var n int
	if err := cb.QueryRow(ctx, "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()").Scan(&n); err != nil || n != 0 {
		t.Errorf("the second schema has %d tables (%v), want none", n, err)
	}
	if _, err := cb.Exec(ctx, "CREATE TABLE t (x int)"); err != nil {
		t.Errorf("the same table in the second schema: %v", err)
	}
}
