package gotest

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// What testify prints for a failed assert.Equal inside a subtest, as
// test2json delivers it.
const testifyOutput = `=== RUN   TestGreet/"gopher"
    warmup_test.go:31: 
        	Error Trace:	/repo/exercises/00_warmup/warmup_test.go:31
        	            				/repo/exercises/00_warmup/warmup_test.go:28
        	Error:      	Not equal: 
        	            	expected: "hello, gopher"
        	            	actual  : ""
        	Test:       	TestGreet/"gopher"
        	Messages:   	step 1: Greet("gopher") = "", want "hello, gopher"
--- FAIL: TestGreet/"gopher" (0.00s)
`

func TestFailureMessageKeepsWhatTeaches(t *testing.T) {
	want := []string{
		"warmup_test.go:31:",
		"    	Error:      	Not equal:",
		`    	            	expected: "hello, gopher"`,
		`    	            	actual  : ""`,
		`    	Messages:   	step 1: Greet("gopher") = "", want "hello, gopher"`,
	}
	if diff := cmp.Diff(want, failureMessage(testifyOutput)); diff != "" {
		t.Errorf("failureMessage (-want +got):\n%s", diff)
	}
}
