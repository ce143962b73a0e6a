// Package sockets is exercise 10: module M2 serves requests on a socket, and
// module M1 calls it, from goroutines of the same process. The data goes
// through the kernel twice per call: the request from M1 to M2, the response
// back. You build both ends over the two kinds of socket a process uses to
// talk to itself: a Unix-domain socket, whose address is a file on disk, and
// TCP on the loopback interface, 127.0.0.1. Every test runs on both.
//
// Edit sockets.go at every // TODO, in step order, and run `make check` after
// each step. frame.go gives you WriteFrame and ReadFrame: a stream socket,
// like a pipe, keeps no message boundaries, and a 4-byte length in front of
// each message puts them back. Exercise 09 is where you write those two
// yourself; here they are given, so that this exercise can be about sockets.
// Every request and every response is one frame.
//
// # Step 1: Listen on loopback, and close the listener
//
// Listen(network, address, handler) listens with net.Listen and returns a
// Server; Addr returns the listener's address (for TCP, with the port the
// system chose when the address said :0); Shutdown closes the listener.
// Refuse any network but "unix" and "tcp".
//
// The decision this package makes about TCP: loopback only. M1 and M2 are
// goroutines of one process, so nothing outside this machine may reach M2.
// Careful: to net.Listen an address with an empty host, such as ":0", means
// every interface ([::] or 0.0.0.0), reachable from the whole network. So
// Listen puts 127.0.0.1 in an empty host itself (net.SplitHostPort,
// net.JoinHostPort), and refuses any host that is not a loopback IP
// (net.ParseIP, IP.IsLoopback): "0.0.0.0:0" and "[::]:0" are errors.
//
// For "unix", the address is the path of a file that net.Listen creates: the
// socket file. Closing the listener removes it: the *net.UnixListener that
// net.Listen returns unlinks its file on Close. That is the default of
// UnixListener.SetUnlinkOnClose when package net created the file (Listen,
// ListenUnix), but not for a listener made by net.FileListener from an
// existing socket; never turn it off here. A listener that is never closed
// leaves its file behind (and its descriptor open), and the next Listen on
// that path fails with "address already in use". Socket paths are short:
// about 100 bytes at most (sun_path).
//
// The tests check: ":0" and "127.0.0.1:0" listen on 127.0.0.1; "0.0.0.0:0"
// and "[::]:0" are refused; the socket file exists while the server listens;
// after Shutdown nobody can connect and no file is left in the directory.
//
// # Step 2: serve every connection, each on a goroutine of its own
//
// Listen starts the accept loop, one goroutine: it accepts each connection
// and starts one goroutine for it, which reads a request frame, calls the
// handler, writes the response frame, and again, until ReadFrame fails (the
// client has gone, or the connection was closed); then it closes the
// connection. The accept loop returns when Accept fails: Shutdown closed the
// listener.
//
// Serving a connection inside the accept loop would be simpler, and wrong: a
// slow client (one that sends half a request, or whose handler takes long,
// or that just stays connected) would hold up every other client. Their
// connections would still succeed, because the kernel completes them into the
// listener's backlog, but nobody would read their requests.
//
// Shutdown now waits for every goroutine of the server, the accept loop and
// each connection goroutine, with a sync.WaitGroup (Add before the go
// statement, Done as the goroutine returns).
//
// The tests check: every request on a connection gets the handler's result,
// in order, from an empty message to 1 MiB; and while one client has sent
// half a frame and another's handler is still running, new clients are
// answered at once.
//
// # Step 3: the client, with deadlines from ctx
//
// Dial connects with net.Dial; Close closes the connection. Call writes the
// request frame and reads the response frame. Calls on one Client may come
// from many goroutines: hold a sync.Mutex from writing the request until the
// response is read, or two calls would read each other's responses.
//
// A read on a socket knows nothing of contexts. It waits until data comes or
// the connection's deadline passes, and then fails with an error that wraps
// os.ErrDeadlineExceeded. So Call makes ctx's deadline the connection's
// (conn.SetDeadline(d), where the zero time means none), and, for a cancel,
// registers context.AfterFunc(ctx, ...) to set the deadline to now, which
// wakes the blocked read at once; stop it when Call returns. When the read
// or write fails and ctx has ended, return ctx.Err().
//
// The decision this package makes about a failed Call: the client closes its
// connection. The server does not know that M1 gave up: its handler runs on,
// and its response arrives later on this connection, where the next Call
// would read it as its own answer. After a failed Call, every later Call
// fails with an error that wraps net.ErrClosed; dial again for a fresh
// client.
//
// The tests check: Call returns the handler's response; after Close, Call
// fails; eight clients and one client shared by four goroutines call at once
// and each call gets its own answer; with a handler that does not answer, a
// ctx deadline or a cancel ends Call with ctx's error, the next Call on that
// client fails with net.ErrClosed even once the late response has arrived,
// and a new client is served.
//
// # Step 4: graceful shutdown
//
// The decision this package makes about the connections: Shutdown closes the
// idle ones at once and lets the busy ones finish.
//
//   - Closing the listener stops new connections, not the ones already
//     accepted: their goroutines sit in ReadFrame, waiting for a request
//     that may never come. Shutdown closes every idle connection (one whose
//     goroutine is waiting for, or reading, a request) at once; that ends
//     its ReadFrame and its goroutine.
//   - A busy connection (its handler is running, or its response is being
//     written) finishes that request: the client gets its response, then
//     the connection is closed. A request that has been read but not yet
//     started when Shutdown begins is dropped: the connection is closed.
//   - If ctx ends first, Shutdown closes every connection, busy ones too.
//     It cannot stop a handler that is running, so it still waits for the
//     server's goroutines (each returns as soon as its handler does, since
//     its response can no longer be written), then returns ctx.Err().
//
// Keep the connections in a map under a sync.Mutex, each marked busy or
// idle. The connection goroutine marks itself busy before it calls the
// handler and idle after it has written the response, and Shutdown sets a
// "closing" flag and closes the idle connections under that same mutex: so a
// connection is either closed while idle or finishes the request it started,
// and a goroutine that finds the flag set returns instead of starting a new
// request. The accept loop checks the flag too, under the mutex, before it
// adds a connection.
//
// The tests check: Shutdown closes an idle connection at once, waits while a
// handler runs, and the request in flight gets its response before Shutdown
// returns nil; with a ctx that has already ended, Shutdown closes the busy
// connection at once (the Call under way fails), still waits for the handler,
// and returns context.Canceled. goleak checks at the end that no goroutine of
// the server is left; in every test, fdleak checks that no descriptor is left
// open (a listener, a connection, on the server's side or the client's), and
// for "unix" that no file is left in the socket's directory.
//
// # Read more
//
//   - net: Listen, Dial, Conn, SetDeadline: https://pkg.go.dev/net
//   - UnixListener.SetUnlinkOnClose: https://pkg.go.dev/net#UnixListener.SetUnlinkOnClose
//   - context.AfterFunc: https://pkg.go.dev/context#AfterFunc
//   - http.Server.Shutdown, the same graceful shutdown in the standard
//     library: https://pkg.go.dev/net/http#Server.Shutdown
//   - sync.WaitGroup: https://pkg.go.dev/sync#WaitGroup
//   - unix(7), Unix-domain sockets: https://man7.org/linux/man-pages/man7/unix.7.html
//   - goleak: https://pkg.go.dev/go.uber.org/goleak
package sockets
