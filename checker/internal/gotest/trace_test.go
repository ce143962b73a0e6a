package gotest

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
)

func TestShortFuncDropsFoldersAndArguments(t *testing.T) {
	for in, want := range map[string]string{
		"github.com/x/y/exercises/00_warmup.ParallelSum.func1()":      "00_warmup.ParallelSum.func1",
		"github.com/x/y/pkg.(*Counter).Inc(0xc000012345, {0x1, 0x2})": "pkg.(*Counter).Inc",
		"github.com/x/y/pkg.worker(...)":                              "pkg.worker",
		"github.com/x/y/pkg.(*T).start":                               "pkg.(*T).start",
		"main.main()":                                                 "main.main",
	} {
		assert.Equal(t, want, shortFunc(in), "shortFunc(%q)", in)
	}
}

// After the checker's SIGQUIT, headers carry gp=/m= and frames fp=/sp=/pc=.
func TestBlockedGoroutinesReadsASigquitDump(t *testing.T) {
	dump := "SIGQUIT: quit\nPC=0x4711 m=0 sigcode=0\n\n" +
		"goroutine 20 gp=0xc000102a80 m=nil [chan receive]:\n" +
		"runtime.gopark(0x0?, 0x0?, 0x0?, 0x0?, 0x0?)\n" +
		"\t/usr/local/go/src/runtime/proc.go:460 +0xce fp=0xc00005ff08 sp=0xc00005fee8 pc=0x47a1ce\n" +
		"example.com/m/ex.Swap.func1()\n" +
		"\t/repo/ex/swap.go:15 +0xa5 fp=0xc00005ffe0 sp=0xc00005ff88 pc=0x5a1b25\n" +
		"created by example.com/m/ex.Swap in goroutine 19\n" +
		"\t/repo/ex/swap.go:13 +0x1dd\n\n" +
		"goroutine 1 gp=0xc000002380 m=nil [chan receive]:\n" +
		"example.com/m/ex.TestMain(...)\n\t/repo/ex/swap_test.go:9\n"
	got := blockedGoroutines(dump, "/repo/ex", "/repo")
	want := []string{"a goroutine [chan receive] at ex/swap.go:15 in ex.Swap.func1"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("blocked goroutines (-want +got):\n%s", diff)
	}
}
