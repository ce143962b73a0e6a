// Package posixmq is exercise 08: M1 sends records to M2 through a POSIX
// message queue, the kernel's own queue of messages, which Linux gives every
// process (and so every goroutine). Unlike a channel it lives outside your
// program: each message is copied into the kernel on send and out again on
// receive, every call is a system call, and the queue stays in the system,
// after your process has exited too, until someone removes it.
//
// Linux only: on macOS and Windows the package compiles and its tests skip;
// use WSL2 or a Linux VM.
//
// golang.org/x/sys/unix has no wrappers for message queues, so this package
// makes the system calls itself with unix.Syscall6. mq_linux.go gives you
// Open (mq_open), the raw send and receive (q.timedSend for mq_timedsend,
// q.timedReceive for mq_timedreceive), Len (mq_getsetattr) and timespecAt.
// Read it: it shows the whole recipe, a number per system call
// (unix.SYS_MQ_OPEN...), arguments as uintptr, pointers converted in the call
// itself, and an errno (unix.Errno) as the error. You write the rest in
// posixmq.go, at every // TODO, in step order; run `make check` after each
// step.
//
// Three facts about the kernel's side:
//
//   - Names. A queue is named "/something", and the C library passes
//     "something" to the kernel: the raw system calls take the name WITHOUT
//     its leading slash (with it, the kernel answers EACCES).
//   - Size. A queue holds at most mq_maxmsg messages of at most mq_msgsize
//     bytes each, fixed by mq_open. Without privileges mq_maxmsg may be at
//     most /proc/sys/fs/mqueue/msg_max, 10 by default: the tests use 10
//     messages of 64 bytes.
//   - Order. Every message has a priority, 0 to 32767 (MaxPriority). A
//     receive takes the oldest message of the highest priority: highest
//     first, first in first out within a priority.
//
// # Step 1: Close leaves nothing behind
//
// Write mqUnlink(name) with unix.Syscall(unix.SYS_MQ_UNLINK, …): the name as a
// C string (unix.BytePtrFromString), without its slash, converted with
// uintptr(unsafe.Pointer(p)) right in the call; return the errno when it is
// not 0. Then Close: unix.Close(q.fd), set q.fd to -1, and mqUnlink(q.name).
// A second Close returns ErrClosed and closes nothing.
//
// Closing is not enough. The descriptor is only this process's handle; the
// queue itself is an object of the kernel (listed in /dev/mqueue, where the
// mqueue file system is mounted) and lives on until it is unlinked: after
// the test, after the process, until the machine restarts. And q.fd is only a
// number, which the kernel hands to the next file opened: a second
// unix.Close(q.fd) would close somebody else's file.
//
// The tests check: after Close the descriptor is closed and the queue is gone
// (mq_open of its name finds nothing; nor does /dev/mqueue, when mounted); a
// second Close returns ErrClosed and leaves a pipe that got the old number
// open. Every test checks, when it ends, that its queue is gone and that no
// descriptor it opened is still open (fdleak.Check).
//
// # Step 2: Send and Receive, with priorities
//
// Send(ctx, msg, prio) calls q.timedSend(msg, prio, deadline) and Receive(ctx)
// calls q.timedReceive(buf, deadline), where deadline is an absolute
// CLOCK_REALTIME time (timespecAt(time.Now().Add(…))). For now any deadline a
// little in the future will do. Receive needs a buffer of q.msgSize bytes
// (a smaller one gets EMSGSIZE), a new one for every message, and returns
// exactly the n bytes received, buf[:n], with their priority. The kernel
// keeps message boundaries: one send is one receive, never split, never
// joined. Wrap a kernel error with %w, so that errors.Is(err, unix.EMSGSIZE)
// works for a message longer than q.msgSize.
//
// The tests check: messages come out highest priority first and in order
// within a priority (MaxPriority and 0 included); empty messages, messages
// holding newlines and zero bytes, and messages of exactly q.msgSize bytes
// come out whole and unchanged, even after later receives; a message that is
// too long fails with EMSGSIZE and leaves the queue empty.
//
// # Step 3: a full queue, an empty queue, and the context
//
// On a full queue Send waits for room; on an empty queue Receive waits for a
// message. Neither may wait for ever, but the kernel knows nothing about a
// context.Context: a call waits until its deadline, whatever happens to ctx.
// So wait in slices: each call gets the deadline now + waitSlice, or ctx's
// deadline if that comes sooner. When a call fails with ETIMEDOUT and ctx is
// still live, call again; when ctx is done, give up with an error that wraps
// both ErrFull (ErrEmpty for Receive) and ctx.Err():
//
//	fmt.Errorf("%w: %w", ErrFull, ctx.Err())
//
// Always try at least once: a ctx that is already done still sends to a
// queue with room (with a deadline in the past the kernel does not wait), so
// Send with a done ctx is a non-blocking send that fails with ErrFull. A nil
// deadline means "wait for ever": never pass one.
//
// The tests check: Send on a full queue and Receive on an empty one give up
// when ctx times out or is cancelled, with the two errors wrapped, and leave
// the queue as it was; a done ctx still sends and receives when it can; Send
// waits for room and Receive for a message while ctx is live; and M1 sends a
// hundred records to M2 through the queue of ten, in order.
//
// # Step 4: EINTR, try again
//
// A blocking system call may fail with EINTR: a signal arrived while it
// waited, it was interrupted, and nothing was sent or received. The answer is
// to make the same call again; with an absolute deadline, the same deadline,
// so that the retry does not stretch the wait. Treat EINTR like ETIMEDOUT
// with a live ctx, whatever ctx is doing.
//
// How often does it happen? On Linux, Go installs its signal handlers with
// SA_RESTART, and for mq_timedsend and mq_timedreceive the kernel then
// restarts the call itself: a goroutine blocked in one, hit by thousands of
// signals aimed at its very thread, saw no EINTR at all when this exercise
// was written. But a handler without SA_RESTART (installed by C code in the
// same process), other system calls (some are never restarted, whatever the
// flags) and other kernels do return it; the os and net packages retry
// EINTR for you since Go 1.14 made signals common (asynchronous preemption
// sends SIGURG), and raw system calls are yours to retry. Since the real
// thing is that rare, the tests make it happen: they set q.interrupts, and
// the next calls of q.timedSend and q.timedReceive fail with EINTR before
// reaching the kernel.
//
// The tests check: a Send and a Receive interrupted three times still succeed
// (and make the three interrupted calls); interrupted on a full or an empty
// queue, they still end with ErrFull or ErrEmpty when ctx times out, not
// with EINTR.
//
// # Read more
//
//   - Overview of POSIX message queues: https://man7.org/linux/man-pages/man7/mq_overview.7.html
//   - mq_open(3), mq_send(3), mq_receive(3), mq_unlink(3), mq_getattr(3):
//     https://man7.org/linux/man-pages/man3/mq_open.3.html (and the pages it links)
//   - The restart rules, SA_RESTART and EINTR: https://man7.org/linux/man-pages/man7/signal.7.html
//   - unix.Syscall6 and the system call numbers: https://pkg.go.dev/golang.org/x/sys/unix
//   - Passing pointers to system calls (rule 4): https://pkg.go.dev/unsafe#Pointer
//   - Go 1.14, asynchronous preemption and EINTR: https://go.dev/doc/go1.14#runtime
//   - goleak: https://pkg.go.dev/go.uber.org/goleak
package posixmq
