# threadtalk — students: `make check`. Maintainers: `make test`.
# `make help` lists every target.

GO ?= go
# Extra arguments for the checker, e.g. make check ARGS="01 --verbose"
ARGS ?=
# make check SOLUTIONS=1 grades the solutions instead (instructors).
SOLUTIONS ?=
# make slides SLIDES_PLAY=true lets the slides run code (off by default).
SLIDES_PORT ?= 3999
SLIDES_PLAY ?= false
# The older of the two supported Go releases; fetched through the module proxy.
GO_PREVIOUS ?= go1.25.5

CHECK_FLAGS := $(if $(SOLUTIONS),--solutions)

.PHONY: help check hint test test-checker verify verify-previous-go test-slides vet fmt-check cross slides bench-checker

help:
	@echo "make check          grade your exercises (ARGS=\"01\" for one, ARGS=\"--verbose\" for everything)"
	@echo "make check SOLUTIONS=1   grade the solutions (instructors)"
	@echo "make hint N=01      hints for exercise 01"
	@echo "make slides         serve the slides on http://127.0.0.1:$(SLIDES_PORT)"
	@echo "make test           the course checks itself (maintainers, CI)"
	@echo "make bench-checker  time the checker against plain go test runs"

# Built, then run, so that its exit code (0 all passed, 1 unfinished, 2 could
# not grade) is not wrapped by go run. The binary lives in the git-ignored
# .threadtalk/ folder, the checker's own.
CHECKER := .threadtalk/checker$(if $(filter Windows_NT,$(OS)),.exe)

$(CHECKER): FORCE
	@$(GO) build -o $(CHECKER) ./checker

check: $(CHECKER)
	@$(CHECKER) $(CHECK_FLAGS) $(ARGS)

hint: $(CHECKER)
	@$(CHECKER) hint $(N)

FORCE:

# `go test ./...` at the root would run the unfinished exercises: name what
# the course's own tests are.
test: fmt-check vet cross test-checker test-slides verify verify-previous-go

test-checker:
	$(GO) test -race -count=1 ./checker/... ./exercises/internal/...

test-slides:
	$(GO) test -race -count=1 ./slides/...

verify:
	$(GO) run ./checker verify

# The course must build and pass on the previous Go release too.
verify-previous-go:
	GOTOOLCHAIN=$(GO_PREVIOUS) $(GO) vet ./...
	GOTOOLCHAIN=$(GO_PREVIOUS) $(GO) run ./checker verify

vet:
	$(GO) vet ./...

fmt-check:
	@out=$$(gofmt -l checker exercises solutions slides); \
	if [ -n "$$out" ]; then echo "not gofmt-formatted:"; echo "$$out"; exit 1; fi

cross:
	GOOS=darwin $(GO) vet ./...
	GOOS=windows $(GO) build -o /dev/null ./checker

slides:
	$(GO) tool present -http=127.0.0.1:$(SLIDES_PORT) -content=slides -notes -play=$(SLIDES_PLAY)

bench-checker:
	bash checker/bench/bench-checker.sh
