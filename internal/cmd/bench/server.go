//go:build !js

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/triggerwidget/triggerwidget/admin"
	"github.com/triggerwidget/triggerwidget/server"
	"github.com/triggerwidget/triggerwidget/sqlite"
	"github.com/triggerwidget/triggerwidget/store"
	"github.com/triggerwidget/triggerwidget/widget/strict"
)

// The server section measures widgetd as it runs: an admin.Service over
// SQLite in a temporary directory, behind server.New and the admin's API,
// on a loopback port. Every figure is measured beside a reference in the
// same run, in rounds that alternate which of the two goes first, and the
// medians over the rounds are printed with the ratio widgetd/reference
// (the median of the rounds' ratios). The load generator runs in this
// process, on the same cores as the servers.

var (
	serverRounds  = flag.Int("server-rounds", 5, "server section: rounds, alternating widgetd and its reference")
	serverDur     = flag.Duration("server-dur", 3*time.Second, "server section: duration of each read round")
	serverClients = flag.Int("server-clients", 64, "server section: concurrent keep-alive clients of the read rounds")
	serverWrites  = flag.Int("server-writes", 200, "server section: API writes per write round")
	serverProfile = flag.String("server-cpuprofile", "", "server section: write a CPU profile of the section to this file")
)

const benchProperty = "bench"

// benchServer is widgetd over a fresh database, and what the section needs
// to drive it.
type benchServer struct {
	dir    string
	db     *sqlite.DB
	st     *countingStore
	svc    *admin.Service
	token  string
	set    []byte // the 20-trigger set as sent
	stored []byte // as stored: after admin.Check's canonical layout
	url    string // http://127.0.0.1:PORT of widgetd
	hs     *http.Server
}

// countingStore counts what the write path does not show through HTTP:
// the publishes that lost a race (and were re-applied, or answered 409).
type countingStore struct {
	store.Store
	conflicts atomic.Int64
}

func (c *countingStore) Publish(ctx context.Context, v *store.Version, base int64) error {
	err := c.Store.Publish(ctx, v, base)
	if store.IsCode(err, store.Conflict) {
		c.conflicts.Add(1)
	}
	return err
}

func runServer(root string) error {
	if *serverRounds < 1 {
		*serverRounds = 1
	}
	set, err := os.ReadFile(filepath.Join(root, "widget", "testdata", "bench-set.json"))
	if err != nil {
		return err
	}
	if *serverProfile != "" {
		f, err := os.Create(*serverProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	ctx := context.Background()
	bs, err := startWidgetd(ctx, set)
	if err != nil {
		return err
	}
	defer bs.close()

	fmt.Printf("\n== server (loopback, %d clients, load generator on the same %d cores; %d rounds alternating widgetd and reference, medians)\n",
		*serverClients, runtime.NumCPU(), *serverRounds)
	fmt.Printf("   widgetd = server.New + admin.Service over SQLite in %s (%s)\n", filepath.Dir(bs.dir), fsType(bs.dir))
	if err := bs.reads(); err != nil {
		return fmt.Errorf("reads: %w", err)
	}
	if err := bs.writes(ctx); err != nil {
		return fmt.Errorf("writes: %w", err)
	}
	if err := bs.costs(ctx); err != nil {
		return fmt.Errorf("cost of a publish: %w", err)
	}
	return nil
}

func startWidgetd(ctx context.Context, set []byte) (*benchServer, error) {
	dir, err := os.MkdirTemp("", "twbench-server")
	if err != nil {
		return nil, err
	}
	bs := &benchServer{dir: dir, set: set}
	ok := false
	defer func() {
		if !ok {
			bs.close()
		}
	}()
	checked, err := admin.Check(benchProperty, set)
	if err != nil {
		return nil, fmt.Errorf("the bench set does not pass admin.Check: %w", err)
	}
	bs.stored = checked.Data
	if bs.db, err = sqlite.Open(ctx, filepath.Join(dir, "data")); err != nil {
		return nil, err
	}
	bs.st = &countingStore{Store: bs.db}
	bs.svc = admin.New(admin.Config{Store: bs.st, Password: admin.PasswordParams{Memory: 64, Time: 1, Threads: 1}})
	const owner = "bench@example.com"
	if _, err := bs.svc.AddAccount(ctx, owner, "bench-password-1234"); err != nil {
		return nil, err
	}
	op := admin.Operator("bench")
	if _, err := bs.svc.CreateProperty(ctx, op, owner, admin.NewProperty{
		ID: benchProperty, Name: "Bench", WebsiteURL: "https://example.com/", Set: set,
	}); err != nil {
		return nil, err
	}
	if _, bs.token, err = bs.svc.CreateToken(ctx, op, benchProperty, "bench"); err != nil {
		return nil, err
	}
	srv, err := server.New(server.Config{
		Dist:  os.DirFS(dir), // no widget files: only /p/ and /api/ are measured
		Sets:  bs.svc,
		Admin: admin.NewHandler(bs.svc, admin.HandlerConfig{}),
	})
	if err != nil {
		return nil, err
	}
	if bs.hs, bs.url, err = listen(srv); err != nil {
		return nil, err
	}
	ok = true
	return bs, nil
}

// listen serves h on a loopback port as widgetd configures its server.
func listen(h http.Handler) (*http.Server, string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, "", err
	}
	hs := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
	}
	go func() { _ = hs.Serve(ln) }()
	return hs, "http://" + ln.Addr().String(), nil
}

func (bs *benchServer) close() {
	if bs.hs != nil {
		_ = bs.hs.Close()
	}
	if bs.db != nil {
		_ = bs.db.Close()
	}
	_ = os.RemoveAll(bs.dir)
}

// --- 1. published-set reads ---

// readVariant is one kind of GET of the published set.
type readVariant struct {
	name   string
	header http.Header
	status int
}

func (bs *benchServer) reads() error {
	path := "/p/" + benchProperty + "/triggers.json"
	plain, err := capture(bs.url+path, nil)
	if err != nil {
		return err
	}
	if plain.status != http.StatusOK || !bytes.Equal(plain.body, bs.stored) {
		return fmt.Errorf("GET %s: status %d, %d bytes; want 200 and the %d bytes stored", path, plain.status, len(plain.body), len(bs.stored))
	}
	gzipH := http.Header{"Accept-Encoding": {"gzip"}}
	gz, err := capture(bs.url+path, gzipH)
	if err != nil {
		return err
	}
	if gz.status != http.StatusOK || gz.header.Get("Content-Encoding") != "gzip" {
		return fmt.Errorf("GET %s with Accept-Encoding: gzip: status %d, Content-Encoding %q", path, gz.status, gz.header.Get("Content-Encoding"))
	}
	inmH := http.Header{"If-None-Match": {plain.header.Get("ETag")}}
	nm, err := capture(bs.url+path, inmH)
	if err != nil {
		return err
	}
	if nm.status != http.StatusNotModified {
		return fmt.Errorf("GET %s with If-None-Match: status %d, want 304", path, nm.status)
	}
	// The reference answers the same status, headers and bytes without
	// routing, a SetSource or conditional logic.
	ref := &refHandler{plain: plain, gzip: gz, notModified: nm}
	rs, refURL, err := listen(ref)
	if err != nil {
		return err
	}
	defer rs.Close()

	fmt.Printf("published set: GET %s (%s; gzip %s), reference = a handler writing the same []byte and headers\n",
		path, kb(len(plain.body)), kb(len(gz.body)))
	variants := []readVariant{
		{"plain", nil, http.StatusOK},
		{"gzip", gzipH, http.StatusOK},
		{"If-None-Match", inmH, http.StatusNotModified},
	}
	for _, v := range variants {
		// Warm up both servers (connections, caches, the scheduler).
		warm := min(*serverDur/3, time.Second)
		for _, u := range []string{bs.url, refURL} {
			if r := hammer(u+path, v.header, v.status, *serverClients, warm); r.bad > 0 {
				return fmt.Errorf("%s warm-up: %d bad answers: %s", v.name, r.bad, r.firstErr)
			}
		}
		var subj, refr []loadResult
		for round := 0; round < *serverRounds; round++ {
			order := []string{bs.url, refURL}
			if round%2 == 1 {
				order = []string{refURL, bs.url}
			}
			for _, u := range order {
				runtime.GC()
				r := hammer(u+path, v.header, v.status, *serverClients, *serverDur)
				if r.bad > 0 {
					return fmt.Errorf("%s: %d bad answers: %s", v.name, r.bad, r.firstErr)
				}
				if u == bs.url {
					subj = append(subj, r)
				} else {
					refr = append(refr, r)
				}
			}
		}
		s, r := summarize(subj), summarize(refr)
		fmt.Printf("  GET %-14s widgetd %7.0f req/s p50 %s p99 %s | reference %7.0f req/s p50 %s p99 %s | %s\n",
			v.name, s.rate, ms(s.p50), ms(s.p99), r.rate, ms(r.p50), ms(r.p99), ratio(subj, refr))
	}
	return nil
}

// captured is one answer, kept to be replayed by the reference.
type captured struct {
	status int
	header http.Header
	body   []byte
}

func capture(url string, h http.Header) (captured, error) {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		return captured{}, err
	}
	req.Header = h.Clone()
	if req.Header == nil {
		req.Header = http.Header{}
	}
	c := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	defer c.CloseIdleConnections()
	resp, err := c.Do(req)
	if err != nil {
		return captured{}, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return captured{}, err
	}
	hdr := resp.Header.Clone()
	hdr.Del("Date")
	hdr.Del("Content-Length")
	if resp.StatusCode == http.StatusOK {
		hdr.Set("Content-Length", strconv.Itoa(len(body)))
	}
	return captured{status: resp.StatusCode, header: hdr, body: body}, nil
}

// refHandler replays captured answers: the least a server can do to serve
// the published set.
type refHandler struct{ plain, gzip, notModified captured }

func (rh *refHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c := &rh.plain
	switch {
	case r.Header.Get("If-None-Match") != "":
		c = &rh.notModified
	case strings.Contains(r.Header.Get("Accept-Encoding"), "gzip"):
		c = &rh.gzip
	}
	h := w.Header()
	for k, v := range c.header {
		h[k] = v
	}
	w.WriteHeader(c.status)
	if len(c.body) > 0 && r.Method != http.MethodHead {
		_, _ = w.Write(c.body)
	}
}

// loadResult is one round of load.
type loadResult struct {
	n        int
	bad      int
	firstErr string
	elapsed  time.Duration
	h        *hist
}

func (r loadResult) rate() float64 { return float64(r.n) / r.elapsed.Seconds() }

// hammer has clients goroutines, each with its own keep-alive client and
// connection, GET url with header h for dur, and records every latency.
func hammer(url string, h http.Header, want, clients int, dur time.Duration) loadResult {
	return hammerAll([]string{url}, h, want, clients, dur)
}

// hammerAll is hammer over several servers of the same content, as a load
// balancer spreads connections: client i keeps to urls[i%len(urls)].
func hammerAll(urls []string, h http.Header, want, clients int, dur time.Duration) loadResult {
	type worker struct {
		n, bad   int
		firstErr string
		h        hist
	}
	workers := make([]worker, clients)
	var ready, done sync.WaitGroup
	start := make(chan struct{})
	var deadline time.Time // written before start is closed
	for i := range workers {
		ready.Add(1)
		done.Add(1)
		go func(w *worker, url string) {
			defer done.Done()
			tr := &http.Transport{MaxIdleConnsPerHost: 1, DisableCompression: true}
			defer tr.CloseIdleConnections()
			cl := &http.Client{Transport: tr}
			req, err := http.NewRequest(http.MethodGet, url, nil)
			if err != nil {
				panic(err)
			}
			if h != nil {
				req.Header = h.Clone()
			}
			fail := func(msg string) {
				w.bad++
				if w.firstErr == "" {
					w.firstErr = msg
				}
			}
			get := func() {
				resp, err := cl.Do(req)
				if err != nil {
					fail(err.Error())
					return
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				_ = resp.Body.Close()
				if resp.StatusCode != want {
					fail(resp.Status)
				}
			}
			get() // open this client's connection before the clock starts
			ready.Done()
			<-start
			for {
				t0 := time.Now()
				if !t0.Before(deadline) {
					return
				}
				get()
				w.h.record(time.Since(t0))
				w.n++
			}
		}(&workers[i], urls[i%len(urls)])
	}
	ready.Wait()
	deadline = time.Now().Add(dur)
	t0 := time.Now()
	close(start)
	done.Wait()
	res := loadResult{elapsed: time.Since(t0), h: &hist{}}
	for i := range workers {
		w := &workers[i]
		res.n += w.n
		res.bad += w.bad
		if res.firstErr == "" {
			res.firstErr = w.firstErr
		}
		res.h.merge(&w.h)
	}
	res.n -= res.bad
	return res
}

// summary is the medians of rounds.
type summary struct {
	rate     float64
	p50, p99 time.Duration
}

func summarize(rs []loadResult) summary {
	var rates []float64
	var p50, p99 []time.Duration
	for _, r := range rs {
		rates = append(rates, r.rate())
		p50 = append(p50, r.h.quantile(0.50))
		p99 = append(p99, r.h.quantile(0.99))
	}
	return summary{medianOf(rates), medianOf(p50), medianOf(p99)}
}

// ratio is the median over rounds of subject rate / reference rate, with
// the rounds' range.
func ratio(subj, ref []loadResult) string {
	var rs []float64
	for i := range subj {
		rs = append(rs, subj[i].rate()/ref[i].rate())
	}
	return ratioText(rs)
}

// ratioText prints the median of per-round ratios and, when there are
// several, their range: how far to trust the median on a noisy machine.
func ratioText(rs []float64) string {
	s := strconv.FormatFloat(medianOf(rs), 'f', 2, 64) + "×"
	if len(rs) > 1 {
		s += " (rounds " + strconv.FormatFloat(slices.Min(rs), 'f', 2, 64) + "–" + strconv.FormatFloat(slices.Max(rs), 'f', 2, 64) + ")"
	}
	return s
}

// --- 2. writes through the API ---

func (bs *benchServer) writes(ctx context.Context) error {
	n := max(*serverWrites, 8)
	tr := &http.Transport{MaxIdleConnsPerHost: 8}
	defer tr.CloseIdleConnections()
	put, err := apiPutter(&http.Client{Transport: tr}, bs.set, bs.url, bs.token)
	if err != nil {
		return err
	}
	// ref is the reference's write: what the store alone does for one,
	// reading the published version and publishing the same bytes on it,
	// queued in-process as admin queues one property's writes.
	var refConflicts atomic.Int64
	var refMu sync.Mutex
	ref := func(int) (int, error) {
		refMu.Lock()
		defer refMu.Unlock()
		for {
			cur, err := bs.db.Published(ctx, benchProperty)
			if err != nil {
				return 0, err
			}
			err = bs.db.Publish(ctx, &store.Version{PropertyID: benchProperty, Data: bs.stored, Author: "bench", Summary: "reference"}, cur.Number)
			if store.IsCode(err, store.Conflict) {
				refConflicts.Add(1)
				continue
			}
			if err != nil {
				return 0, err
			}
			return http.StatusOK, nil
		}
	}

	fmt.Printf("writes: PUT /api/v1/properties/%s/triggers/{id} (Bearer token; a new message text each time), %d per round\n", benchProperty, n)
	fmt.Printf("        reference = as many store writes, queued in-process as admin queues them: Published + Store.Publish of the %s set, no checks, no HTTP\n", kb(len(bs.stored)))
	for _, writers := range []int{1, 4} {
		// warm up
		if _, err := writeRound(put, writers, 4*writers); err != nil {
			return err
		}
		if _, err := writeRound(ref, writers, 4*writers); err != nil {
			return err
		}
		conflicts0, refConflicts0 := bs.st.conflicts.Load(), refConflicts.Load()
		var subj, refr []writeResult
		for round := 0; round < *serverRounds; round++ {
			for k := range 2 {
				runtime.GC()
				if (round+k)%2 == 0 {
					r, err := writeRound(put, writers, n)
					if err != nil {
						return err
					}
					subj = append(subj, r)
				} else {
					r, err := writeRound(ref, writers, n)
					if err != nil {
						return err
					}
					refr = append(refr, r)
				}
			}
		}
		statuses := map[int]int{}
		for _, r := range subj {
			for st, c := range r.statuses {
				statuses[st] += c
			}
		}
		var codes []string
		for _, st := range slices.Sorted(maps.Keys(statuses)) {
			codes = append(codes, fmt.Sprintf("%d×%d", st, statuses[st]))
		}
		name := "sequential"
		if writers > 1 {
			name = fmt.Sprintf("%d writers", writers)
		}
		s, r := summarizeWrites(subj), summarizeWrites(refr)
		fmt.Printf("  PUT %-14s widgetd %7.0f req/s p50 %s p99 %s | reference %7.0f tx/s p50 %s p99 %s | %s\n",
			name, s.rate, ms(s.p50), ms(s.p99), r.rate, ms(r.p50), ms(r.p99), writeRatio(subj, refr))
		fmt.Printf("      statuses %s; publishes that lost a race and were re-applied: %d (reference: %d)\n",
			strings.Join(codes, " "), bs.st.conflicts.Load()-conflicts0, refConflicts.Load()-refConflicts0)
	}
	return nil
}

// apiPutter returns a function that edits trigger i (0 to 3) of set, the
// property's published set, once through the API of the widgetd at base,
// with a new message text each time (an unchanged trigger would publish
// nothing), and returns the answer's status.
func apiPutter(cl *http.Client, set []byte, base, token string) (func(i int) (int, error), error) {
	var doc struct {
		Triggers []json.RawMessage `json:"triggers"`
	}
	if err := json.Unmarshal(set, &doc); err != nil || len(doc.Triggers) < 4 {
		return nil, fmt.Errorf("the bench set needs 4 triggers: %v", err)
	}
	// One template per trigger, its message text replaced by a marker
	// that each request fills with a fresh number.
	const marker = "@@EDIT@@"
	var templates [][]byte
	ids := make([]string, 4)
	for i := range 4 {
		var obj map[string]any
		if err := json.Unmarshal(doc.Triggers[i], &obj); err != nil {
			return nil, err
		}
		ids[i], _ = obj["id"].(string)
		obj["message"].(map[string]any)["text"] = marker
		b, err := json.Marshal(obj)
		if err != nil {
			return nil, err
		}
		templates = append(templates, b)
	}
	var edits atomic.Int64
	return func(i int) (int, error) {
		i %= len(templates)
		text := "Edit number " + strconv.FormatInt(edits.Add(1), 10) + " of trigger " + ids[i]
		body := bytes.Replace(templates[i], []byte(marker), []byte(text), 1)
		req, err := http.NewRequest(http.MethodPut, base+"/api/v1/properties/"+benchProperty+"/triggers/"+ids[i], bytes.NewReader(body))
		if err != nil {
			return 0, err
		}
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		resp, err := cl.Do(req)
		if err != nil {
			return 0, err
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close()
		return resp.StatusCode, nil
	}, nil
}

type writeResult struct {
	n        int
	elapsed  time.Duration
	h        *hist
	statuses map[int]int
}

// writeRound runs n writes spread over writers goroutines; writer w
// passes w to write (so each edits its own trigger).
func writeRound(write func(w int) (int, error), writers, n int) (writeResult, error) {
	res := writeResult{h: &hist{}, statuses: map[int]int{}}
	var mu sync.Mutex
	var firstErr error
	var wg sync.WaitGroup
	t0 := time.Now()
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var h hist
			st := map[int]int{}
			for i := w; i < n; i += writers {
				s := time.Now()
				code, err := write(w)
				h.record(time.Since(s))
				if err != nil {
					mu.Lock()
					firstErr = cmpOr(firstErr, err)
					mu.Unlock()
					return
				}
				st[code]++
			}
			mu.Lock()
			defer mu.Unlock()
			res.h.merge(&h)
			for k, v := range st {
				res.statuses[k] += v
				if k == http.StatusOK {
					res.n += v
				}
			}
		}()
	}
	wg.Wait()
	res.elapsed = time.Since(t0)
	return res, firstErr
}

func cmpOr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

func summarizeWrites(rs []writeResult) summary {
	var lr []loadResult
	for _, r := range rs {
		lr = append(lr, loadResult{n: r.n, elapsed: r.elapsed, h: r.h})
	}
	return summarize(lr)
}

func writeRatio(subj, ref []writeResult) string {
	var rs []float64
	for i := range subj {
		// Rate of all answers, so that a 409 counts as work done.
		all := 0
		for _, c := range subj[i].statuses {
			all += c
		}
		rs = append(rs, (float64(all)/subj[i].elapsed.Seconds())/(float64(ref[i].n)/ref[i].elapsed.Seconds()))
	}
	return ratioText(rs)
}

// --- 3. the cost of a publish ---

func (bs *benchServer) costs(ctx context.Context) error {
	fmt.Printf("cost of a publish (20-trigger set, %s as sent, %s as stored; CPU: testing.Benchmark, I/O: medians of every op)\n",
		kb(len(bs.set)), kb(len(bs.stored)))

	// CPU: the checks.
	type cpuCase struct {
		name string
		f    func() error
	}
	cpu := []cpuCase{
		{"admin.Check", func() error { _, err := admin.Check(benchProperty, bs.set); return err }},
		{"  strict.Check", func() error {
			if r := strict.Check(bs.set); !r.Valid() {
				return errors.New("strict.Check: not valid")
			}
			return nil
		}},
		{"  strict.Format", func() error {
			if _, errs := strict.Format(bs.set); len(errs) > 0 {
				return errs[0]
			}
			return nil
		}},
		{"server.NewPublished", func() error {
			// what every write does to refresh the cache: SHA-256 and gzip -9
			if p := server.NewPublished(bs.stored, 1); p.Gzip == nil {
				return errors.New("server.NewPublished: no gzip copy")
			}
			return nil
		}},
	}
	for _, c := range cpu {
		if err := c.f(); err != nil {
			return err
		}
		var ns []float64
		var last testing.BenchmarkResult
		for range *serverRounds {
			last = testing.Benchmark(func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					_ = c.f()
				}
			})
			ns = append(ns, float64(last.NsPerOp()))
		}
		fmt.Printf("  %-28s %9s/op %7d allocs/op %9s/op\n", c.name, ms(time.Duration(medianOf(ns))), last.AllocsPerOp(), kb(int(last.AllocedBytesPerOp())))
	}

	// I/O: each op timed alone, the cases interleaved over the rounds.
	fsyncFile, err := os.Create(filepath.Join(bs.db.Dir(), "fsync-probe"))
	if err != nil {
		return err
	}
	defer os.Remove(fsyncFile.Name())
	defer fsyncFile.Close()
	variants := make([][]byte, 2)
	for i := range variants {
		variants[i] = bytes.Replace(bs.set, []byte(`"Hello number t5"`), []byte(`"Hello number t5, variant `+strconv.Itoa(i)+`"`), 1)
		if bytes.Equal(variants[i], bs.set) {
			return errors.New("the bench set has no trigger t5 with text \"Hello number t5\"")
		}
	}
	op := admin.Operator("bench")
	putSets := 0
	trigger5 := bytes.Replace(mustTrigger(bs.set, 5), []byte(`"Hello number t5"`), []byte(`"@@EDIT@@"`), 1)
	putTriggers := 0
	type ioCase struct {
		name string
		note string
		f    func() (time.Duration, error)
	}
	timed := func(f func() error) (time.Duration, error) {
		t0 := time.Now()
		err := f()
		return time.Since(t0), err
	}
	ios := []ioCase{
		{"write+fsync 8 KB file", "the disk, same directory", func() (time.Duration, error) {
			buf := bs.stored
			return timed(func() error {
				if _, err := fsyncFile.WriteAt(buf, 0); err != nil {
					return err
				}
				return fsyncFile.Sync()
			})
		}},
		{"Store.Publish", "one IMMEDIATE transaction, synchronous=FULL", func() (time.Duration, error) {
			cur, err := bs.db.Published(ctx, benchProperty)
			if err != nil {
				return 0, err
			}
			v := &store.Version{PropertyID: benchProperty, Data: bs.stored, Author: "bench", Summary: "bench"}
			return timed(func() error { return bs.db.Publish(ctx, v, cur.Number) })
		}},
		{"Store.Published", "reader pool", func() (time.Duration, error) {
			return timed(func() error { _, err := bs.db.Published(ctx, benchProperty); return err })
		}},
		{"Service.TokenActor", "Bearer check: a read; the last use is written at most once a minute", func() (time.Duration, error) {
			return timed(func() error { _, err := bs.svc.TokenActor(ctx, bs.token); return err })
		}},
		{"Service.PutSet", "end to end, no HTTP", func() (time.Duration, error) {
			data := variants[putSets%2]
			putSets++
			return timed(func() error {
				w, err := bs.svc.PutSet(ctx, op, benchProperty, "*", data)
				if err == nil && !w.Changed {
					err = errors.New("PutSet published nothing")
				}
				return err
			})
		}},
		{"Service.PutTrigger", "end to end, no HTTP", func() (time.Duration, error) {
			putTriggers++
			raw := bytes.Replace(trigger5, []byte(`"@@EDIT@@"`), []byte(`"PutTrigger `+strconv.Itoa(putTriggers)+`"`), 1)
			return timed(func() error {
				_, err := bs.svc.PutTrigger(ctx, op, benchProperty, "t5", "", raw)
				return err
			})
		}},
	}
	perRound := max(*serverWrites/4, 10)
	samples := make([][]time.Duration, len(ios))
	for round := 0; round <= *serverRounds; round++ { // round 0 warms up
		for i, c := range ios {
			for range perRound {
				d, err := c.f()
				if err != nil {
					return fmt.Errorf("%s: %w", c.name, err)
				}
				if round > 0 {
					samples[i] = append(samples[i], d)
				}
			}
		}
	}
	fsync := medianOf(samples[0])
	for i, c := range ios {
		slices.Sort(samples[i])
		med := medianOf(samples[i])
		p90 := samples[i][len(samples[i])*9/10]
		fmt.Printf("  %-28s %9s/op p90 %8s  %5.1f× an fsync  (%s)\n", c.name, ms(med), ms(p90), float64(med)/float64(fsync), c.note)
	}
	return nil
}

// mustTrigger returns trigger i of set, compacted.
func mustTrigger(set []byte, i int) []byte {
	var doc struct {
		Triggers []json.RawMessage `json:"triggers"`
	}
	if json.Unmarshal(set, &doc) != nil || i >= len(doc.Triggers) {
		return nil
	}
	var b bytes.Buffer
	_ = json.Compact(&b, doc.Triggers[i])
	return b.Bytes()
}

// --- helpers ---

// ms prints a duration in µs below a millisecond, else in ms.
func ms(d time.Duration) string {
	if d < time.Millisecond {
		return strconv.FormatFloat(float64(d)/1e3, 'f', 1, 64) + "µs"
	}
	return strconv.FormatFloat(float64(d)/1e6, 'f', 2, 64) + "ms"
}

func medianOf[T int64 | float64 | time.Duration](s []T) T {
	if len(s) == 0 {
		return 0
	}
	s = slices.Clone(s)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// fsType names the file system of dir, for the reader of fsync figures.
func fsType(dir string) string {
	b, err := os.ReadFile("/proc/self/mounts")
	if err != nil {
		return "file system unknown"
	}
	best, typ := "", "file system unknown"
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) < 3 {
			continue
		}
		if (dir == f[1] || strings.HasPrefix(dir, strings.TrimSuffix(f[1], "/")+"/")) && len(f[1]) > len(best) {
			best, typ = f[1], f[2]+" on "+f[1]
		}
	}
	return typ
}
