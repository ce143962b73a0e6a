package callback_test

import (
	"fmt"
	"testing"
	"testing/synctest"

	"go.uber.org/goleak"

	"github.com/threadtalk/threadtalk/slides/code/callback"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestProduceRunsTheRegisteredHandlerOncePerRecordInOrder(t *testing.T) {
	var p callback.Producer
	var got []int
	p.Register(func(r *callback.Record) { got = append(got, r.Seq) })

	for seq := 1; seq <= 3; seq++ {
		p.Produce(seq, nil)
	}

	if want := []int{1, 2, 3}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("the handler saw sequence numbers %v, want %v: one call per Produce, in order", got, want)
	}
}

func TestTheHandlerSeesTheCallersDataNotACopy(t *testing.T) {
	var p callback.Producer
	payload := []byte("hello")
	var seen []byte
	p.Register(func(r *callback.Record) { seen = r.Payload })

	p.Produce(1, payload)

	if len(seen) == 0 || &seen[0] != &payload[0] {
		t.Errorf("the handler got a payload at a different address: a callback must share M1's memory, not copy it")
	}
}

func TestProduceWithoutAHandlerDoesNothing(t *testing.T) {
	var p callback.Producer
	p.Produce(1, []byte("nobody listens")) // must not panic
}

func TestForwardHandsEveryRecordToM2InOrderAndReturnsWhenM2IsDone(t *testing.T) {
	records := []callback.Record{{Seq: 1}, {Seq: 2}, {Seq: 3}}
	var got []int // written only by M2's goroutine, read after Forward returns

	callback.Forward(records, func(r *callback.Record) { got = append(got, r.Seq) })

	if want := []int{1, 2, 3}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("M2 handled sequence numbers %v, want %v", got, want)
	}
}

func ExampleProducer_Register() {
	// START WIRE OMIT
	var m1 callback.Producer
	var m2 callback.Totals

	m1.Register(m2.Handle) // M2 hands M1 a function
	m1.Produce(1, []byte("hello"))
	m1.Produce(2, []byte("world!"))

	fmt.Println(m2.Records, "records,", m2.Bytes, "bytes")
	// END WIRE OMIT

	// Output: 2 records, 11 bytes
}

// START BLOCKS OMIT
func TestASlowHandlerBlocksItsCaller(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		release := make(chan struct{})
		var m1 callback.Producer
		m1.Register(func(r *callback.Record) { <-release }) // M2's handler waits for something

		returned := make(chan struct{})
		go func() { m1.Produce(1, nil); close(returned) }() // M1's goroutine

		synctest.Wait() // every goroutine in the test is now blocked
		select {
		case <-returned:
			t.Fatal("Produce returned while M2's handler was still waiting")
		default: // M1 is stuck inside M2's handler, on M1's own goroutine
		}
		close(release)
		<-returned
	})
}

// END BLOCKS OMIT
