// Exercise 10: the task is in doc.go. Edit this file at every // TODO, in
// step order, and run `make check` after each step. The framing helpers
// (WriteFrame, ReadFrame) are given in frame.go.

package sockets

import (
	"context"
	"net"
)

// Handler is M2's work: it gets one request and returns its response. The
// server calls it on the goroutine of the connection the request came on, so
// it may run for several connections at once.
type Handler func(req []byte) []byte

// Server is M2 serving requests on one listening socket: a Unix-domain socket
// (a file on disk) or TCP on the loopback interface.
type Server struct {
	// TODO(step 1): the listener and the handler.
	// TODO(step 2): a sync.WaitGroup for the server's goroutines.
	// TODO(step 4): the open connections, busy or idle, and whether Shutdown
	// has begun, under a sync.Mutex.
}

// START LISTEN OMIT

// Listen starts a server on network "unix" (address: the path of the socket
// file to create) or "tcp" (address: host:port, loopback only; an empty host
// means 127.0.0.1). It returns once the server is accepting connections.
func Listen(network, address string, handler Handler) (*Server, error) {
	// TODO(step 1): refuse any network but "unix" and "tcp", and for "tcp"
	// any host but a loopback IP (an empty host becomes 127.0.0.1); then
	// listen with net.Listen.
	// TODO(step 2): start the accept loop: one goroutine that accepts each
	// connection and starts one goroutine per connection, which reads a
	// request frame, calls the handler and writes the response frame, until
	// the connection ends.
	return nil, nil
}

// END LISTEN OMIT

// Addr returns the address the server listens on; for TCP, with the port
// the system chose.
func (s *Server) Addr() net.Addr {
	// TODO(step 1): the listener's address.
	return nil
}

// START SHUTDOWN OMIT

// Shutdown stops the server: it closes the listener (for "unix", that removes
// the socket file), closes the idle connections at once, lets every request
// already being handled finish and send its response, closes those
// connections too, and returns once every goroutine of the server has
// returned. If ctx ends first, it closes every connection at once, still
// waits for the handlers under way to return, and returns ctx.Err().
func (s *Server) Shutdown(ctx context.Context) error {
	// TODO(step 1): close the listener.
	// TODO(step 2): wait for the accept loop and every connection goroutine.
	// TODO(step 4): close the idle connections at once and let the busy ones
	// finish their request; when ctx ends first, close every connection,
	// wait all the same, and return ctx.Err().
	return nil
}

// END SHUTDOWN OMIT

// Client is M1's end: one connection to the server. Its Calls may come from
// many goroutines; they take turns on the connection.
type Client struct {
	// TODO(step 3): the connection, a sync.Mutex, and what broke it.
}

// Dial connects to a server, for example at srv.Addr().Network(),
// srv.Addr().String().
func Dial(network, address string) (*Client, error) {
	// TODO(step 3): net.Dial.
	return nil, nil
}

// START CALL OMIT

// Call sends req to the server and returns its response. It gives up when ctx
// ends, returning ctx.Err(). After a failed Call the client is closed: later
// Calls fail with an error that wraps net.ErrClosed.
func (c *Client) Call(ctx context.Context, req []byte) ([]byte, error) {
	// TODO(step 3): one call at a time: write the request frame, read the
	// response frame.
	// TODO(step 3): make ctx's deadline the connection's (SetDeadline), and
	// let a cancel wake a blocked call at once (context.AfterFunc). On any
	// failure return ctx.Err() if ctx has ended, and close the connection.
	return nil, nil
}

// END CALL OMIT

// Close closes the connection. A Call under way fails.
func (c *Client) Close() error {
	// TODO(step 3): close the connection.
	return nil
}
