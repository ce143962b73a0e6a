// Package asynccb is exercise 03: callbacks that run later, on another
// goroutine. Module M1 owns a worker pool; module M2 submits jobs to it and
// hands, with each job, a done callback. M1's workers run the job and then
// call done(result, err). M2 does not wait for the job: its code is called
// back when the result exists. Nothing is copied between them and no kernel
// object is involved; what is new since exercise 01 is that the callback now
// runs on a goroutine M2 does not own, at a moment M2 does not choose.
//
// Edit asynccb.go at every // TODO, in step order, and run `make check`
// after each step. Result, QueueSize, ErrClosed, PanicError and the
// OnDonePanic field are given.
//
// # Where done runs, and what that implies
//
// done runs on the worker that ran its job, right after the job, and never on
// the goroutine that called Do. So:
//
//   - A slow done slows the pool: while it runs, its worker takes no other job.
//     Keep done short; hand long work to a goroutine or a channel of your own.
//   - dones of different jobs run at the same time, on different workers. done
//     must be safe to run concurrently with other dones (and with the code of
//     M2 that shares its data): guard what they share with a mutex, or send
//     the result on a channel.
//   - done must not call Close: Close waits for the worker that is running
//     that very done, which would wait for ever. (Calling Do from done works,
//     but blocks that worker while the queue is full.)
//   - Every accepted job gets exactly one done, even when the job fails or
//     panics, and none runs after Close has returned. After Close, M2 can
//     release whatever its dones write to.
//
// # Step 1: New, start the workers
//
// Write New(workers): make the queue, a buffered channel of QueueSize tasks
// (a task holds a job and its done), and start workers goroutines (workers < 1
// means 1). Each worker takes tasks from the queue, for t := range queue, and
// runs them with p.run, until the queue is closed. Count the workers in a
// sync.WaitGroup: Close will wait for them.
//
// The tests check: a pool of n workers runs n jobs at the same time, and never
// more; 0 and negative workers mean 1.
//
// # Step 2: Do and run, the callback runs later
//
// Write Do(job, done): put the task on the queue and return nil. Do returns at
// once; it blocks only while the queue is full. Write run(job, done): call job,
// then done with what job returned.
//
// The tests check: Do returns while the job is still running; the job runs on
// a worker goroutine and done on the same worker; done is called exactly once
// per job, with the job's own result or error, for 60 jobs on 3 workers.
//
// # Step 3: Close, stop accepting and wait
//
// Write Close: from now on Do returns ErrClosed; every job already accepted,
// running or queued, still runs and gets its done; then the workers exit, and
// Close returns only after all of them have. Close the queue to end the
// workers' range loops, and wait on the WaitGroup: waiting for the jobs alone
// is not enough, because a worker still blocked on the queue is a goroutine
// leak. Close may be called more than once, also from several goroutines at
// the same time; closing a channel twice panics.
//
// The trap: Do and Close can run at the same time. If Do checks "closed?",
// and Close closes the queue before Do's send, Do sends on a closed channel,
// and that panics. A Do blocked on a full queue panics too when the queue is
// closed under it. Make the check and the send one step that Close cannot cut
// in two: Do holds a read lock (sync.RWMutex.RLock) from its check until its
// send is done; Close takes the write lock to set closed and close the queue.
// Many Dos can hold the read lock at once; Close waits until they are done.
//
// The tests check: Close waits for running and queued jobs and their dones;
// Do after Close returns ErrClosed and calls nothing; Close twice, and eight
// Closes at once, neither panic nor hang; 32 goroutines call Do in a loop while
// Close runs, and every accepted job's done has run when Close returns.
// goleak checks, at the end of the package, that no worker is left.
//
// # Step 4: panics stay inside the pool
//
// A panic that reaches the top of any goroutine ends the whole program, so a
// worker must recover what M2's code throws at it:
//
//   - A panicking job becomes an error: recover it (a deferred func calling
//     recover) and call done with a zero Result and &PanicError{Value: v},
//     where v is the recovered value. done is still called exactly once.
//   - A panicking done must not kill the worker either. This package decides:
//     the panic is recovered and handed to p.OnDonePanic, if set, on the same
//     worker; without a handler it is dropped. The pool cannot do anything
//     sensible with M2's bug, but it must not let it take M1 down, and M2 can
//     learn about it by setting OnDonePanic before its first Do.
//
// The tests check: done gets a *PanicError holding the value the job panicked
// with (errors.As and errors.Is see it), and the single worker then runs the
// next job; after a done panicked, OnDonePanic got the value once (or nothing
// happened without a handler), and the single worker runs the next job.
//
// # Read more
//
//   - Defer, panic and recover: https://go.dev/blog/defer-panic-and-recover
//   - Closing channels and range: https://go.dev/tour/concurrency/4
//   - Send on a closed channel panics: https://go.dev/ref/spec#Send_statements
//   - sync.RWMutex, sync.WaitGroup: https://pkg.go.dev/sync
//   - errors.Is and errors.As: https://pkg.go.dev/errors
//   - goleak: https://pkg.go.dev/go.uber.org/goleak
package asynccb
