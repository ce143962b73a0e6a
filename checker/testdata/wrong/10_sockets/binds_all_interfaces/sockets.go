// Known-wrong answer for exercise 10 (see the WRONG comment below).

package sockets

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"sync"
	"time"
)

// Handler is M2's work: it gets one request and returns its response. The
// server calls it on the goroutine of the connection the request came on, so
// it may run for several connections at once.
type Handler func(req []byte) []byte

// Server is M2 serving requests on one listening socket: a Unix-domain socket
// (a file on disk) or TCP on the loopback interface.
type Server struct {
	ln      net.Listener
	handler Handler

	// wg counts the accept loop and every connection goroutine: Shutdown
	// returns only once all of them have returned.
	wg sync.WaitGroup

	mu       sync.Mutex
	closing  bool              // Shutdown has begun: accept and start nothing new
	conns    map[net.Conn]bool // every open connection: true while a handler runs for it
	shutOnce sync.Once
}

// Listen starts a server on network "unix" (address: the path of the socket
// file to create) or "tcp" (address: host:port, loopback only; an empty host
// means 127.0.0.1). It returns once the server is accepting connections.
//
// WRONG (known answer, STATUS failed): the address goes to net.Listen
// as it came. It works, every client connects, and the tests that call
// Listen("tcp", "127.0.0.1:0") pass. But to net.Listen an empty host
// means every interface: Listen("tcp", ":0") listens on [::]:port (or
// 0.0.0.0:port), where any machine that can reach this one can talk to
// M2, and "0.0.0.0:0" is not refused either.
// START ALL OMIT
func Listen(network, address string, handler Handler) (*Server, error) {
	if network != "unix" && network != "tcp" {
		return nil, fmt.Errorf("sockets: listen: network %q: want \"unix\" or \"tcp\"", network)
	}
	ln, err := net.Listen(network, address) // HL
	// END ALL OMIT
	// For "unix", net.Listen returns a *net.UnixListener whose Close also
	// removes the socket file (SetUnlinkOnClose is true by default for a
	// listener made by Listen): Shutdown leaves nothing behind on disk.
	if err != nil {
		return nil, fmt.Errorf("sockets: %w", err)
	}
	s := &Server{ln: ln, handler: handler, conns: map[net.Conn]bool{}}
	s.wg.Add(1)
	go s.acceptLoop()
	return s, nil
}

// Addr returns the address the server listens on; for TCP, with the port
// the system chose.
func (s *Server) Addr() net.Addr {
	return s.ln.Addr()
}

func (s *Server) acceptLoop() {
	defer s.wg.Done()
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return // Shutdown closed the listener
		}
		s.mu.Lock()
		if s.closing {
			s.mu.Unlock()
			c.Close()
			continue
		}
		s.conns[c] = false
		s.wg.Add(1)
		s.mu.Unlock()
		// One goroutine per connection: a slow client, or a slow handler,
		// holds up its own connection and nothing else.
		go s.serve(c)
	}
}

// serve answers requests on c, one at a time, until c ends or Shutdown
// closes it.
func (s *Server) serve(c net.Conn) {
	defer s.wg.Done()
	defer func() {
		s.mu.Lock()
		delete(s.conns, c)
		s.mu.Unlock()
		c.Close()
	}()
	for {
		req, err := ReadFrame(c)
		if err != nil {
			return // the client has gone, or Shutdown closed c
		}
		if !s.setBusy(c, true) {
			return // Shutdown began before this request started: drop it
		}
		err = WriteFrame(c, s.handler(req))
		if !s.setBusy(c, false) || err != nil {
			return // the response is written: now Shutdown may close c
		}
	}
}

// setBusy marks c busy or idle, under the same lock Shutdown holds while it
// closes the idle connections: a connection is either closed by Shutdown
// while idle, or finishes the request it has started. It reports false once
// Shutdown has begun.
func (s *Server) setBusy(c net.Conn, busy bool) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.conns[c] = busy
	return !s.closing
}

// closeConns closes the open connections: the idle ones only, or all.
func (s *Server) closeConns(all bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for c, busy := range s.conns {
		if all || !busy {
			c.Close()
		}
	}
}

// Shutdown stops the server: it closes the listener (for "unix", that removes
// the socket file), closes the idle connections at once, lets every request
// already being handled finish and send its response, closes those
// connections too, and returns once every goroutine of the server has
// returned. If ctx ends first, it closes every connection at once, still
// waits for the handlers under way to return, and returns ctx.Err().
func (s *Server) Shutdown(ctx context.Context) error {
	var err error
	s.shutOnce.Do(func() {
		s.mu.Lock()
		s.closing = true
		s.mu.Unlock()
		err = s.ln.Close()
		s.closeConns(false)
	})

	done := make(chan struct{})
	go func() {
		s.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return err
	case <-ctx.Done():
		// A handler cannot be interrupted; closing its connection makes its
		// response fail, and the goroutine return, as soon as it is done.
		s.closeConns(true)
		<-done
		return ctx.Err()
	}
}

// Client is M1's end: one connection to the server. Its Calls may come from
// many goroutines; they take turns on the connection.
type Client struct {
	conn net.Conn

	mu     sync.Mutex
	broken error // set after a failed Call; the connection is then closed
}

// Dial connects to a server, for example at srv.Addr().Network(),
// srv.Addr().String().
func Dial(network, address string) (*Client, error) {
	conn, err := net.Dial(network, address)
	if err != nil {
		return nil, fmt.Errorf("sockets: %w", err)
	}
	return &Client{conn: conn}, nil
}

// Call sends req to the server and returns its response. It gives up when ctx
// ends, returning ctx.Err(). After a failed Call the client is closed: later
// Calls fail with an error that wraps net.ErrClosed.
func (c *Client) Call(ctx context.Context, req []byte) ([]byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.broken != nil {
		return nil, c.broken
	}
	if err := ctx.Err(); err != nil {
		return nil, err // nothing sent: the connection is still in step
	}
	// The connection's deadline is ctx's deadline (none: the zero time), and
	// a cancel moves it to now, which wakes a blocked read or write at once.
	deadline, _ := ctx.Deadline()
	if err := c.conn.SetDeadline(deadline); err != nil {
		return nil, c.fail(err)
	}
	woken := make(chan struct{})
	stop := context.AfterFunc(ctx, func() {
		defer close(woken)
		c.conn.SetDeadline(time.Now())
	})
	defer func() {
		if !stop() {
			<-woken // let it finish before the next Call sets a deadline
		}
	}()

	err := WriteFrame(c.conn, req)
	if err == nil {
		var resp []byte
		if resp, err = ReadFrame(c.conn); err == nil {
			return resp, nil
		}
	}
	if ctxErr := ctx.Err(); ctxErr != nil {
		err = ctxErr
	} else if errors.Is(err, os.ErrDeadlineExceeded) {
		err = context.DeadlineExceeded // the socket's timer fired before ctx's
	}
	return nil, c.fail(err)
}

// fail closes the connection after a failed call: its response may still
// arrive later and would be read as the answer to the next request.
func (c *Client) fail(err error) error {
	c.conn.Close()
	c.broken = fmt.Errorf("sockets: client closed after a failed call (%v): %w", err, net.ErrClosed)
	return err
}

// Close closes the connection. A Call under way fails.
func (c *Client) Close() error {
	return c.conn.Close()
}
