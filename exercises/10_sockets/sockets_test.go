package sockets

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/threadtalk/threadtalk/exercises/internal/fdleak"
)

// TestMain fails the package if any goroutine started by the tests is still
// alive when they have all finished: an accept loop or a connection goroutine
// that Shutdown did not end (steps 2 and 4).
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// wait bounds every wait in these tests: a broken step fails, never hangs.
// Real sockets cannot run in a testing/synctest bubble, so the tests
// synchronise on channels and give up after wait.
const wait = 2 * time.Second

// The two networks every server test runs on: the same table, the same
// checks.

type network struct {
	name    string
	address func(t *testing.T) string
}

var networks = []network{
	{name: "unix", address: socketPath},
	{name: "tcp", address: func(*testing.T) string { return "127.0.0.1:0" }},
}

// forEachNetwork runs run once per network, as a subtest named after it. It
// stops at the first network that fails: fix that one first.
func forEachNetwork(t *testing.T, run func(t *testing.T, nw network)) {
	for _, nw := range networks {
		if !t.Run(nw.name, func(t *testing.T) { run(t, nw) }) {
			return
		}
	}
}

// socketPath returns the path of a socket file in an empty directory of the
// test's own, and checks when the test ends that nothing is left in it.
func socketPath(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	// A socket's path must fit in sun_path: 108 bytes on Linux, 104 on
	// macOS, whose $TMPDIR is long. Fall back to a shorter directory.
	if len(dir) > 80 {
		base := os.TempDir()
		if runtime.GOOS != "windows" && len(base) > 40 {
			base = "/tmp"
		}
		short, err := os.MkdirTemp(base, "tt10-")
		require.NoError(t, err, "test setup: make a directory for the socket file")
		t.Cleanup(func() { os.RemoveAll(short) })
		dir = short
	}
	t.Cleanup(func() { // runs before the RemoveAll above, after the server's Shutdown
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Errorf("test cleanup: read %s: %v", dir, err)
			return
		}
		var left []string
		for _, e := range entries {
			left = append(left, e.Name())
		}
		assert.Empty(t, left, "step 1: after Shutdown the directory of the socket file still holds %v: "+
			"closing the listener must remove the socket file. A *net.UnixListener made by net.Listen "+
			"unlinks its file on Close; never call SetUnlinkOnClose(false)", left)
	})
	return filepath.Join(dir, "m2.sock")
}

// The handlers M2 runs in these tests

// reply is M2's answer to every request.
func reply(req []byte) []byte { return append([]byte("M2 got: "), req...) }

func replyTo(req string) string { return string(reply([]byte(req))) }

// blocker answers like reply, but holds every request "wait" until unblock
// is called or the test ends.
type blocker struct {
	testDone <-chan struct{}
	entered  chan struct{} // one token per "wait" request the handler holds
	release  chan struct{}
	once     sync.Once
	running  atomic.Int32 // handler calls under way
}

func newBlocker(t *testing.T) *blocker {
	return &blocker{
		testDone: t.Context().Done(),
		entered:  make(chan struct{}, 16),
		release:  make(chan struct{}),
	}
}

func (b *blocker) handle(req []byte) []byte {
	b.running.Add(1)
	defer b.running.Add(-1)
	if string(req) == "wait" {
		b.entered <- struct{}{}
		select {
		case <-b.release:
		case <-b.testDone:
		}
	}
	return reply(req)
}

func (b *blocker) unblock() { b.once.Do(func() { close(b.release) }) }

func (b *blocker) requireEntered(t *testing.T, what string) {
	t.Helper()
	select {
	case <-b.entered:
	case <-time.After(wait):
		require.FailNow(t, what, "the handler had not been called 2s after the request was sent")
	}
}

// The server's side

type testServer struct {
	*Server
	shutDown atomic.Bool // the test has called Shutdown itself
}

// startServer starts a server through Listen, and shuts it down when the
// test ends unless the test has.
func startServer(t *testing.T, nw network, h Handler) *testServer {
	t.Helper()
	address := nw.address(t)
	srv, err := Listen(nw.name, address, h)
	require.NoError(t, err, "step 1: Listen(%q, %q) failed", nw.name, address)
	require.NotNil(t, srv, "step 1: Listen(%q, %q) returned a nil *Server and no error: "+
		"listen with net.Listen and return a Server that holds the listener", nw.name, address)
	ts := &testServer{Server: srv}
	t.Cleanup(func() {
		if !ts.shutDown.Load() {
			ts.shutdown(t, context.Background(), "test cleanup: Shutdown")
		}
	})
	addr := srv.Addr()
	require.NotNil(t, addr, "step 1: Addr() returned nil: return the listener's address")
	require.Equal(t, nw.name, addr.Network(), "step 1: Addr() is on the wrong network")
	return ts
}

type shutdownResult struct {
	err             error
	handlersRunning int32 // the blocker's handlers still running as Shutdown returned
}

// goShutdown calls Shutdown on a goroutine of its own.
func (ts *testServer) goShutdown(ctx context.Context, b *blocker) <-chan shutdownResult {
	ts.shutDown.Store(true)
	ch := make(chan shutdownResult, 1)
	go func() {
		err := ts.Shutdown(ctx)
		r := shutdownResult{err: err}
		if b != nil {
			r.handlersRunning = b.running.Load()
		}
		ch <- r
	}()
	return ch
}

func awaitShutdown(t *testing.T, ch <-chan shutdownResult, what string) shutdownResult {
	t.Helper()
	select {
	case r := <-ch:
		return r
	case <-time.After(wait):
		require.FailNow(t, what, "Shutdown had not returned after 2s")
		return shutdownResult{}
	}
}

// shutdown calls Shutdown and requires it to return nil within 2s.
func (ts *testServer) shutdown(t *testing.T, ctx context.Context, what string) {
	t.Helper()
	select {
	case r := <-ts.goShutdown(ctx, nil):
		assert.NoError(t, r.err, what)
	case <-time.After(wait):
		t.Errorf("%s: Shutdown had not returned after 2s: it must close the listener and every connection, "+
			"then wait for the server's goroutines, which return once their connection is closed", what)
	}
}

// A raw client: the test's own connection, speaking frames directly

func dialRaw(t *testing.T, ts *testServer) net.Conn {
	t.Helper()
	conn, err := net.DialTimeout(ts.Addr().Network(), ts.Addr().String(), wait)
	require.NoError(t, err, "step 1: cannot connect to the server at %s", ts.Addr())
	t.Cleanup(func() { conn.Close() })
	return conn
}

// rawCall sends one request frame on conn and returns the response frame.
func rawCall(t *testing.T, conn net.Conn, req []byte, what string) []byte {
	t.Helper()
	require.NoError(t, conn.SetDeadline(time.Now().Add(wait)))
	defer conn.SetDeadline(time.Time{})
	require.NoError(t, WriteFrame(conn, req), "%s: sending the request failed", what)
	resp, err := ReadFrame(conn)
	if errors.Is(err, os.ErrDeadlineExceeded) {
		require.FailNow(t, what, "no response within 2s: accept each connection, and on it read a request frame, "+
			"call the handler and write its result as one frame, again and again")
	}
	require.NoError(t, err, "%s: the connection failed before the response came (the server must keep it open "+
		"and answer every request on it, until the client closes it)", what)
	return resp
}

// requireClosedByServer waits until the server closes conn.
func requireClosedByServer(t *testing.T, conn net.Conn, what string) {
	t.Helper()
	require.NoError(t, conn.SetReadDeadline(time.Now().Add(wait)))
	var buf [1]byte
	n, err := conn.Read(buf[:])
	switch {
	case err == nil:
		require.FailNow(t, what, "the server sent %d unexpected byte(s) instead of closing the connection", n)
	case errors.Is(err, os.ErrDeadlineExceeded):
		require.FailNow(t, what, "the connection was still open 2s later")
	}
}

// The Client's side

func dial(t *testing.T, ts *testServer) *Client {
	t.Helper()
	c, err := Dial(ts.Addr().Network(), ts.Addr().String())
	require.NoError(t, err, "step 3: Dial(%q, %q) failed", ts.Addr().Network(), ts.Addr())
	require.NotNil(t, c, "step 3: Dial returned a nil *Client and no error: connect with net.Dial and return a Client that holds the connection")
	t.Cleanup(func() { c.Close() })
	return c
}

type result struct {
	resp []byte
	err  error
}

// goCall makes a Call on a goroutine of its own: a Call that never returns
// fails the test instead of hanging it.
func goCall(ctx context.Context, c *Client, req string) <-chan result {
	ch := make(chan result, 1)
	go func() {
		resp, err := c.Call(ctx, []byte(req))
		ch <- result{resp, err}
	}()
	return ch
}

func awaitCall(t *testing.T, ch <-chan result, what string) result {
	t.Helper()
	select {
	case r := <-ch:
		return r
	case <-time.After(wait):
		require.FailNow(t, what, "Call had not returned after 2s")
		return result{}
	}
}

// call makes one Call with a 2s deadline and requires it to succeed.
func call(t *testing.T, c *Client, req string, what string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	r := awaitCall(t, goCall(ctx, c, req), what)
	require.NoError(t, r.err, "%s: Call(%q) failed", what, req)
	return string(r.resp)
}

// Step 1

func TestListen_TCPListensOnLoopbackOnly(t *testing.T) {
	type testCase struct {
		name     string
		address  string
		wantHost string // "": Listen must refuse the address
	}
	run := func(t *testing.T, tc testCase) {
		fdleak.Check(t)
		srv, err := Listen("tcp", tc.address, reply)
		if srv != nil {
			ts := &testServer{Server: srv}
			t.Cleanup(func() { ts.shutdown(t, context.Background(), "test cleanup: Shutdown") })
		}
		if tc.wantHost == "" {
			where := "nothing"
			if srv != nil && srv.Addr() != nil {
				where = srv.Addr().String()
			}
			require.Error(t, err, "step 1: Listen(\"tcp\", %q) must refuse that address, it is not loopback: "+
				"M1 and M2 run in one process, so nothing outside this machine may reach M2 (it listened on %s)",
				tc.address, where)
			assert.Nil(t, srv, "step 1: Listen returned an error and a non-nil *Server")
			return
		}
		require.NoError(t, err, "step 1: Listen(\"tcp\", %q) failed", tc.address)
		require.NotNil(t, srv, "step 1: Listen(\"tcp\", %q) returned a nil *Server and no error: "+
			"listen with net.Listen and return a Server that holds the listener", tc.address)
		require.NotNil(t, srv.Addr(), "step 1: Addr() returned nil: return the listener's address")
		host, port, err := net.SplitHostPort(srv.Addr().String())
		require.NoError(t, err, "step 1: Addr() is not host:port")
		assert.Equal(t, tc.wantHost, host, "step 1: Listen(\"tcp\", %q) listens on %s, want %s: the loopback interface only. "+
			"Careful: to net.Listen an empty host means every interface, so Listen must put 127.0.0.1 there itself",
			tc.address, srv.Addr(), tc.wantHost)
		assert.NotEqual(t, "0", port, "step 1: Addr() must show the port the system chose, not 0")
	}
	tests := []testCase{
		{name: "an empty host means 127.0.0.1", address: ":0", wantHost: "127.0.0.1"},
		{name: "127.0.0.1", address: "127.0.0.1:0", wantHost: "127.0.0.1"},
		{name: "every IPv4 interface is refused", address: "0.0.0.0:0"},
		{name: "every IPv6 interface is refused", address: "[::]:0"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { run(t, tc) })
	}
}

func TestShutdown_StopsListeningAndRemovesTheSocketFile(t *testing.T) {
	forEachNetwork(t, func(t *testing.T, nw network) {
		fdleak.Check(t)
		ts := startServer(t, nw, reply)
		addr := ts.Addr()
		if nw.name == "unix" {
			_, err := os.Stat(addr.String())
			require.NoError(t, err, "step 1: after Listen, the socket file %s must exist: Addr() must be the listener's address", addr)
		}
		conn, err := net.DialTimeout(addr.Network(), addr.String(), wait)
		require.NoError(t, err, "step 1: cannot connect to the server at %s", addr)
		conn.Close()

		ts.shutdown(t, context.Background(), "step 1: Shutdown")

		if nw.name == "unix" {
			_, err := os.Stat(addr.String())
			assert.ErrorIs(t, err, fs.ErrNotExist, "step 1: after Shutdown, the socket file %s is still there: "+
				"close the listener (a *net.UnixListener made by net.Listen removes its file on Close)", addr)
		}
		conn, err = net.DialTimeout(addr.Network(), addr.String(), wait)
		if err == nil {
			conn.Close()
		}
		assert.Error(t, err, "step 1: after Shutdown, a client could still connect to %s: Shutdown must close the listener", addr)
	})
}

// Step 2

func TestServer_AnswersEveryRequestOnItsConnection(t *testing.T) {
	forEachNetwork(t, func(t *testing.T, nw network) {
		fdleak.Check(t)
		ts := startServer(t, nw, reply)

		big := bytes.Repeat([]byte("0123456789abcdef"), 64<<10) // 1 MiB: more than a socket buffer
		clients := [][][]byte{
			{[]byte("hello"), {}, {0, 1, 2, 255, '\n', 0}, []byte("bye")},
			{big, []byte("after the big one")},
		}
		for c, requests := range clients {
			conn := dialRaw(t, ts)
			for i, req := range requests {
				what := fmt.Sprintf("step 2: client %d, request %d (%d bytes)", c+1, i+1, len(req))
				got := rawCall(t, conn, req, what)
				want := reply(req)
				if !bytes.Equal(want, got) {
					require.FailNow(t, what, "got a %d-byte response starting %q, want the handler's result, %d bytes starting %q: "+
						"write exactly what the handler returned, as one frame (WriteFrame)",
						len(got), prefix(got), len(want), prefix(want))
				}
			}
			require.NoError(t, conn.Close())
		}
	})
}

func prefix(b []byte) []byte { return b[:min(len(b), 24)] }

func TestServer_ASlowClientDoesNotHoldUpTheOthers(t *testing.T) {
	forEachNetwork(t, func(t *testing.T, nw network) {
		fdleak.Check(t)
		b := newBlocker(t)
		ts := startServer(t, nw, b.handle)

		// The first client sends half a frame header, then nothing more.
		stalled := dialRaw(t, ts)
		_, err := stalled.Write([]byte{0, 0})
		require.NoError(t, err)
		// The second sends a request whose handler does not return yet.
		busy := dialRaw(t, ts)
		require.NoError(t, WriteFrame(busy, []byte("wait")))
		b.requireEntered(t, "step 2: the request of a second client never reached the handler while a first client "+
			"had sent half a request: the accept loop must start a goroutine per connection and go straight back to Accept")

		for i := range 3 {
			req := fmt.Sprintf("client %d", i+3)
			got := rawCall(t, dialRaw(t, ts), []byte(req), "step 2: a new client, while one client was slow and "+
				"another's request was still being handled (serve each connection on a goroutine of its own)")
			assert.Equal(t, replyTo(req), string(got), "step 2: wrong response")
		}

		b.unblock()
		require.NoError(t, busy.SetReadDeadline(time.Now().Add(wait)))
		got, err := ReadFrame(busy)
		require.NoError(t, err, "step 2: the held request got no response within 2s of its handler returning")
		assert.Equal(t, replyTo("wait"), string(got), "step 2: wrong response to the held request")
	})
}

// Step 3

func TestCall_ReturnsTheHandlersResponse(t *testing.T) {
	forEachNetwork(t, func(t *testing.T, nw network) {
		fdleak.Check(t)
		ts := startServer(t, nw, reply)
		c := dial(t, ts)
		for _, req := range []string{"hello", "", "one more", strings.Repeat("x", 100_000)} {
			got := call(t, c, req, "step 3: Call")
			if got != replyTo(req) {
				require.FailNow(t, "step 3: Call returned the wrong response",
					"got %q (%d bytes), want %q (%d bytes): write the request with WriteFrame and return what ReadFrame reads back",
					prefix([]byte(got)), len(got), prefix(reply([]byte(req))), len(replyTo(req)))
			}
		}
		require.NoError(t, c.Close(), "step 3: Close failed")
		ctx, cancel := context.WithTimeout(context.Background(), wait)
		defer cancel()
		r := awaitCall(t, goCall(ctx, c, "after close"), "step 3: Call after Close must fail at once")
		assert.Error(t, r.err, "step 3: Call after Close succeeded (got %q): Close must close the connection", r.resp)
	})
}

func TestServer_ServesManyClientsAtOnce(t *testing.T) {
	forEachNetwork(t, func(t *testing.T, nw network) {
		fdleak.Check(t)
		ts := startServer(t, nw, reply)
		const clients, shared, calls = 8, 4, 20

		// Each client on a goroutine of its own, and one more client shared
		// by several goroutines: every call must get its own response.
		type caller struct {
			name   string
			client *Client
		}
		var callers []caller
		for i := range clients {
			callers = append(callers, caller{fmt.Sprintf("client %d", i), dial(t, ts)})
		}
		sharedClient := dial(t, ts)
		for i := range shared {
			callers = append(callers, caller{fmt.Sprintf("shared client, goroutine %d", i), sharedClient})
		}

		problems := make(chan string, len(callers))
		var wg sync.WaitGroup
		for _, cl := range callers {
			wg.Go(func() {
				for j := range calls {
					req := fmt.Sprintf("%s, call %d", cl.name, j)
					ctx, cancel := context.WithTimeout(context.Background(), wait)
					resp, err := cl.client.Call(ctx, []byte(req))
					cancel()
					switch {
					case err != nil:
						problems <- fmt.Sprintf("%s: %v", req, err)
						return
					case string(resp) != replyTo(req):
						problems <- fmt.Sprintf("%s: got %q", req, resp)
						return
					}
				}
			})
		}
		allDone := make(chan struct{})
		go func() { wg.Wait(); close(allDone) }()
		select {
		case <-allDone:
		case <-time.After(2 * wait):
			require.FailNow(t, "step 3: many clients calling at once had not all finished after 4s",
				"serve each connection on a goroutine of its own (step 2), and let Call give up when its ctx ends")
		}
		close(problems)
		var got []string
		for p := range problems {
			got = append(got, p)
		}
		assert.Empty(t, got, "step 3: with %d clients calling at once, and one Client shared by %d goroutines, some calls went wrong. "+
			"The server must serve each connection on its own goroutine (step 2); on one shared Client, "+
			"a Call must hold a mutex from writing its request until it has read its response", clients, shared)
	})
}

func TestCall_GivesUpWhenTheContextEnds(t *testing.T) {
	type testCase struct {
		name    string
		nw      network
		cancel  bool    // cancel ctx once the request is held; otherwise ctx has a short deadline
		wantErr []error // Call's error must wrap one of these
	}
	run := func(t *testing.T, tc testCase) {
		fdleak.Check(t)
		b := newBlocker(t)
		ts := startServer(t, tc.nw, b.handle)
		c := dial(t, ts)

		var calling <-chan result
		if tc.cancel {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			calling = goCall(ctx, c, "wait")
			b.requireEntered(t, "step 2: the request never reached the handler")
			cancel()
		} else {
			ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
			defer cancel()
			calling = goCall(ctx, c, "wait")
		}
		r := awaitCall(t, calling, "step 3: Call must return once its ctx has ended, although the server has not answered: "+
			"make ctx's deadline the connection's deadline (SetDeadline), and on cancel move it to now (context.AfterFunc)")
		require.Error(t, r.err, "step 3: Call returned %q although the handler had not answered", r.resp)
		matches := false
		for _, want := range tc.wantErr {
			matches = matches || errors.Is(r.err, want)
		}
		assert.True(t, matches, "step 3: Call returned %q, want an error that wraps one of %v: when ctx has ended, return ctx.Err()",
			r.err, tc.wantErr)

		// The handler answers the abandoned request now. Its response must
		// not be taken for the answer to the next request.
		b.unblock()
		ctx, cancel := context.WithTimeout(context.Background(), wait)
		defer cancel()
		r = awaitCall(t, goCall(ctx, c, "next"), "step 3: a Call after a failed Call must fail at once")
		require.Error(t, r.err, "step 3: after a failed Call, the next Call on the same client returned %q: "+
			"the connection may still carry the late response to the abandoned request, so a failed Call must close it", r.resp)
		assert.ErrorIs(t, r.err, net.ErrClosed, "step 3: after a failed Call, later Calls must fail with an error that wraps net.ErrClosed")

		got := call(t, dial(t, ts), "next", "step 3: a new client, after another client gave up")
		assert.Equal(t, replyTo("next"), got, "step 3: wrong response on a new client")
	}
	var tests []testCase
	for _, nw := range networks {
		tests = append(tests,
			testCase{name: nw.name + "/deadline", nw: nw, wantErr: []error{context.DeadlineExceeded, os.ErrDeadlineExceeded}},
			testCase{name: nw.name + "/cancel", nw: nw, cancel: true, wantErr: []error{context.Canceled}},
		)
	}
	for _, tc := range tests {
		if !t.Run(tc.name, func(t *testing.T) { run(t, tc) }) {
			return // one failure says enough: each case waits 2s
		}
	}
}

// Step 4

func TestShutdown_ClosesIdleConnectionsAndLetsBusyOnesFinish(t *testing.T) {
	forEachNetwork(t, func(t *testing.T, nw network) {
		fdleak.Check(t)
		b := newBlocker(t)
		ts := startServer(t, nw, b.handle)

		idle := dialRaw(t, ts)
		rawCall(t, idle, []byte("hello"), "step 2: a first request") // now the server waits for idle's next request
		busy := dial(t, ts)
		ctx, cancel := context.WithTimeout(context.Background(), 2*wait)
		defer cancel()
		busyCall := goCall(ctx, busy, "wait")
		b.requireEntered(t, "step 2: the request never reached the handler")

		shut := ts.goShutdown(context.Background(), b)
		requireClosedByServer(t, idle, "step 4: Shutdown must close an idle connection (one waiting for its next request) at once; "+
			"closing the listener stops new connections, not the ones already accepted, whose goroutines would wait for ever")
		select {
		case r := <-shut:
			require.FailNow(t, "step 4: Shutdown returned while a handler was still running",
				"it returned %v: it must wait for every connection goroutine (a sync.WaitGroup)", r.err)
		default:
		}

		b.unblock()
		r := awaitCall(t, busyCall, "step 4: the request being handled when Shutdown began must still get its response")
		require.NoError(t, r.err, "step 4: the request being handled when Shutdown began must finish and get its response: "+
			"close only the idle connections at once, and a busy one after it has written its response")
		assert.Equal(t, replyTo("wait"), string(r.resp), "step 4: wrong response to the request in flight")

		sr := awaitShutdown(t, shut, "step 4: Shutdown must return once the last request has been answered")
		assert.NoError(t, sr.err, "step 4: Shutdown must return nil when every request finished in time")
		assert.Zero(t, sr.handlersRunning, "step 4: Shutdown returned while a handler was still running: "+
			"wait for every connection goroutine (a sync.WaitGroup)")

		r = awaitCall(t, goCall(ctx, busy, "after shutdown"), "step 4: a Call after Shutdown must fail")
		assert.Error(t, r.err, "step 4: after Shutdown, the connection that was busy must be closed too, but a Call on it got %q", r.resp)
	})
}

func TestShutdown_WhenTheContextEndsClosesEveryConnection(t *testing.T) {
	forEachNetwork(t, func(t *testing.T, nw network) {
		fdleak.Check(t)
		b := newBlocker(t)
		ts := startServer(t, nw, b.handle)
		busy := dial(t, ts)
		ctx, cancel := context.WithTimeout(context.Background(), 2*wait)
		defer cancel()
		busyCall := goCall(ctx, busy, "wait")
		b.requireEntered(t, "step 2: the request never reached the handler")

		expired, expire := context.WithCancel(context.Background())
		expire() // no grace at all
		shut := ts.goShutdown(expired, b)

		r := awaitCall(t, busyCall, "step 4: when Shutdown's ctx has ended, it must close every connection, busy ones too, "+
			"so the client's Call under way must fail")
		require.Error(t, r.err, "step 4: when Shutdown's ctx has ended, the busy connection must be closed at once, "+
			"but the Call under way got %q", r.resp)
		select {
		case sr := <-shut:
			require.FailNow(t, "step 4: Shutdown returned while a handler was still running",
				"it returned %v: even when ctx has ended it must wait for the connection goroutines, "+
					"which return as soon as their handler does", sr.err)
		default:
		}

		b.unblock()
		sr := awaitShutdown(t, shut, "step 4: Shutdown must return once the last handler has returned")
		assert.ErrorIs(t, sr.err, context.Canceled, "step 4: Shutdown must return ctx.Err() when ctx ended before every request had finished")
		assert.Zero(t, sr.handlersRunning, "step 4: Shutdown returned while a handler was still running")
	})
}
