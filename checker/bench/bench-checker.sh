#!/usr/bin/env bash
# bench-checker.sh — how long does grading the whole course take?
#
# Side by side, in one run, the wall time of three ways to grade every
# exercise listed in exercises/info.toml:
#
#   1. the checker: one `go test -json -race` over all exercises, with
#      GORACE=atexit_sleep_ms=0 (built once to a temp binary, then run);
#      also with go test's result cache defeated (GOFLAGS=-count=1), since
#      the checker itself passes no -count;
#   2. plain `go test -race -count=1 ./exercises/...`;
#   3. one `go test -race -v -count=1 ./exercises/<dir>` per exercise, in
#      turn, the way rustlings-style runners do it, with the default GORACE;
#
# each WARM (build cache filled: one warm-up run, then the median of
# BENCH_RUNS runs, interleaved round by round) and COLD (a fresh, empty
# GOCACHE for every measured run).
#
# All of that twice, as two tables:
#
#   stubs      the exercises as shipped: every package fails, so neither the
#              race runtime's 1 s exit sleep nor the test result cache shows;
#   solutions  a finished course: every exercise file replaced by its twin
#              in solutions/<dir>/ through `go test -overlay` (the checker
#              with --solutions; the go test rows with an -overlay file this
#              script writes), so every package passes.
#
# The methods of both tables run in the same rounds, so that drift (other
# work on the machine) hits them alike.
#
# Environment:
#   BENCH_MODE=both     stubs, solutions or both: which tables to measure
#   BENCH_RUNS=5        warm runs per method (median reported)
#   BENCH_COLD_RUNS=1   cold runs per method (0: skip cold)
#   BENCH_QUICK=1       smoke test: 1 warm run, no cold runs
#
# Exit codes 0 and 1 of the measured commands are normal for the stubs (they
# are unfinished, so tests fail). For the solutions 0 is expected; 1 (a
# solution failed) is measured anyway but flagged under the table. Anything
# else aborts the bench.
# The tables go to stdout and to bench-results/checker-bench.txt.
set -euo pipefail

die() { printf 'bench-checker: %s\n' "$*" >&2; exit 2; }
log() { printf '%s\n' "$*" >&2; }

# --- settings -------------------------------------------------------------

mode=${BENCH_MODE:-both}
runs=${BENCH_RUNS:-5}
cold_runs=${BENCH_COLD_RUNS:-1}
if [[ ${BENCH_QUICK:-0} == 1 ]]; then
	runs=1
	cold_runs=0
fi
case $mode in
stubs | solutions | both) ;;
*) die "BENCH_MODE must be stubs, solutions or both, not '$mode'" ;;
esac
[[ $runs =~ ^[1-9][0-9]*$ ]] || die "BENCH_RUNS must be a whole number >= 1, not '$runs'"
[[ $cold_runs =~ ^[0-9]+$ ]] || die "BENCH_COLD_RUNS must be a whole number >= 0, not '$cold_runs'"
limit=600 # seconds; bounds every single command the bench runs

# --- find the repo root ---------------------------------------------------

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(git -C "$script_dir" rev-parse --show-toplevel 2>/dev/null || true)
if [[ -z $root || ! -f $root/go.mod ]]; then
	root=$(cd "$script_dir/../.." && pwd)
fi
[[ -f $root/go.mod && -f $root/exercises/info.toml ]] ||
	die "cannot find the threadtalk root (go.mod + exercises/info.toml) from $script_dir"
cd "$root"

command -v go >/dev/null || die "no go command on PATH"
command -v timeout >/dev/null || die "no timeout command (GNU coreutils) on PATH"

# The exercise folders, from info.toml's `dir = "..."` lines, read now (others
# may add exercises while we run; see the check at the end).
read_dirs() {
	sed -n 's/^[[:space:]]*dir[[:space:]]*=[[:space:]]*"\([^"]*\)".*$/\1/p' exercises/info.toml
}
mapfile -t dirs < <(read_dirs)
((${#dirs[@]} > 0)) || die "no dir = \"...\" lines in exercises/info.toml"
for d in "${dirs[@]}"; do
	[[ -d exercises/$d ]] || die "exercises/info.toml lists $d but exercises/$d does not exist"
done

# The folders under exercises/ holding Go files that info.toml does not list:
# `go test ./exercises/...` tests them too, the checker and the per-exercise
# rows do not (and in the solutions table they have no overlay, so they fail).
extra_pkgs() {
	local p d seen
	for p in exercises/*/; do
		p=${p%/}
		compgen -G "$p/*.go" >/dev/null || continue
		seen=0
		for d in "${dirs[@]}"; do [[ $p == "exercises/$d" ]] && seen=1; done
		((seen)) || printf '%s ' "${p#exercises/}"
	done
}
extra_start=$(extra_pkgs)
extra_start=${extra_start% }

want_stubs=0 want_solutions=0
[[ $mode == solutions ]] || want_stubs=1
[[ $mode == stubs ]] || want_solutions=1

# Every solutions/<dir>/*.go, for the overlay written below.
declare -a sol_files=()
if ((want_solutions)); then
	for d in "${dirs[@]}"; do
		[[ -d solutions/$d ]] || die "exercises/info.toml lists $d but solutions/$d does not exist"
		n=0
		for f in "solutions/$d"/*.go; do
			[[ -f $f ]] || continue
			[[ -f exercises/$d/${f##*/} ]] ||
				log "note: $f has no twin in exercises/$d/ (the overlay adds it, as the checker's does)"
			sol_files+=("$d/${f##*/}")
			((n += 1))
		done
		((n > 0)) || die "solutions/$d holds no .go file"
	done
fi

# --- scratch space, cleaned up however we stop ----------------------------

tmp=$(mktemp -d "${TMPDIR:-/tmp}/threadtalk-bench.XXXXXX")
child=""
cleanup() {
	if [[ -n $child ]]; then
		kill -TERM "$child" 2>/dev/null || true
		wait "$child" 2>/dev/null || true
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'log "bench-checker: interrupted"; exit 130' INT TERM HUP

# A reproducible environment: every method gets the default GORACE (the
# checker then adds its own atexit_sleep_ms=0, as it does for students), and
# nothing is downloaded: the bench measures grading, not fetching modules.
if [[ -n ${GORACE+set} ]]; then
	log "note: unsetting GORACE='$GORACE' for the bench"
	unset GORACE
fi
export GOPROXY=off
base_goflags=$(go env GOFLAGS)
warm_cache=$(go env GOCACHE)

loadavg() { cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || uptime | sed 's/.*load average[s]*: //'; }
load_start=$(loadavg || echo "?")

log "building the checker..."
go build -o "$tmp/checker" ./checker || die "go build ./checker failed"

# The -overlay file for the go test rows of the solutions table, the same
# mapping as the checker's --solutions: {"Replace": {exercise file: solution
# file}}, absolute paths.
overlay=$tmp/overlay.json
json_str() { # a JSON string literal (paths: only \ and " need escaping)
	local v=${1//\\/\\\\}
	v=${v//\"/\\\"}
	printf '"%s"' "$v"
}
if ((want_solutions)); then
	{
		printf '{"Replace": {'
		sep=""
		for f in "${sol_files[@]}"; do
			printf '%s\n  %s: %s' "$sep" "$(json_str "$root/exercises/$f")" "$(json_str "$root/solutions/$f")"
			sep=","
		done
		printf '\n}}\n'
	} >"$overlay"
fi

# --- the methods ------------------------------------------------------------

# Each method is a function that runs one whole grading of the course; its
# output goes to $tmp/out (kept only to show it when something goes wrong).
# Every command is bounded by `timeout`, started in the background so that a
# Ctrl-C reaches our trap at once (timeout then kills its process group).
out=$tmp/out

last_rc=0
bounded() { # bounded <ok-exit-codes-regex> cmd... — run cmd with the limit; its exit code goes to $last_rc
	local ok=$1 rc=0
	shift
	timeout -k 10 "$limit" "$@" >>"$out" 2>&1 &
	child=$!
	wait "$child" || rc=$?
	child=""
	last_rc=$rc
	if [[ ! $rc =~ ^($ok)$ ]]; then
		log "--- last lines of the output:"
		tail -n 30 "$out" >&2 || true
		if ((rc == 124 || rc == 137)); then
			die "timed out after ${limit}s: $*"
		fi
		die "exit code $rc (expected $ok): $*"
	fi
}

m_checker() { bounded '0|1' "$tmp/checker"; }
m_checker_nocache() { bounded '0|1' env "GOFLAGS=${base_goflags:+$base_goflags }-count=1" "$tmp/checker"; }
m_gotest_all() { bounded '0|1' go test -race -count=1 ./exercises/...; }
m_per_exercise() {
	local d
	for d in "${dirs[@]}"; do
		bounded '0|1' go test -race -v -count=1 "./exercises/$d"
	done
}

# The solutions: exit 0 expected. An exit 1 (some solution failed, so the row
# does not measure a finished course) is counted per method in sol_fail and
# reported under the table, with the output shown once on stderr.
declare -A sol_fail=()
cur_m=""
sol_ok() {
	if ((last_rc != 0)); then
		if [[ -z ${sol_fail[$cur_m]:-} ]]; then
			log "warning: exit $last_rc from a solutions run (${label[$cur_m]}): a solution did not pass; last lines:"
			tail -n 15 "$out" >&2 || true
		fi
		sol_fail[$cur_m]=$((${sol_fail[$cur_m]:-0} + 1))
	fi
}
s_checker() {
	bounded '0|1' "$tmp/checker" --solutions
	sol_ok
}
s_checker_nocache() {
	bounded '0|1' env "GOFLAGS=${base_goflags:+$base_goflags }-count=1" "$tmp/checker" --solutions
	sol_ok
}
s_gotest_all() {
	bounded '0|1' go test -race -count=1 -overlay="$overlay" ./exercises/...
	sol_ok
}
s_per_exercise() {
	local d
	for d in "${dirs[@]}"; do
		bounded '0|1' go test -race -count=1 -v -overlay="$overlay" "./exercises/$d"
		sol_ok
	done
}

stub_methods=(m_checker m_checker_nocache m_gotest_all m_per_exercise)
sol_methods=(s_checker s_checker_nocache s_gotest_all s_per_exercise)
methods=()
((want_stubs)) && methods+=("${stub_methods[@]}")
((want_solutions)) && methods+=("${sol_methods[@]}")
declare -A label=(
	[m_checker]="checker (one go test -json -race)"
	[m_checker_nocache]="checker, result cache defeated"
	[m_gotest_all]="go test -race ./exercises/..."
	[m_per_exercise]="go test -race -v per exercise"
	[s_checker]="checker --solutions (go test -race)"
	[s_checker_nocache]="checker --solutions, cache defeated"
	[s_gotest_all]="go test -race -overlay ./exercises/..."
	[s_per_exercise]="go test -race -v -overlay per exercise"
)

now() { date +%s.%N; }

# time_one <method> — run it once; its wall time in seconds goes to $t.
# (Not through $(...): the run must stay in this shell, where the trap can
# stop it.)
t=""
time_one() {
	local start end
	: >"$out"
	cur_m=$1
	start=$(now)
	"$1"
	end=$(now)
	t=$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.3f\n", e - s }')
}

median() { # median of the numbers given as arguments
	printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END {
		if (NR == 0) { print "nan"; exit }
		if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

secs() { # human seconds: 2.41 s, 61.2 s
	[[ $1 == - ]] && { echo "-"; return; }
	awk -v v="$1" 'BEGIN { if (v < 10) printf "%.2f s\n", v; else printf "%.1f s\n", v }'
}

ratio() { # ratio a b -> "3.10x"
	[[ $1 == - || $2 == - ]] && { echo "-"; return; }
	awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2fx\n", a / b; else print "-" }'
}

# --- warm -----------------------------------------------------------------

declare -A warm_samples cold_samples
export GOCACHE=$warm_cache

log "warm-up: one run of each method (not measured)..."
for m in "${methods[@]}"; do
	time_one "$m"
	log "  warm-up  $(printf '%-40s' "${label[$m]}") $(secs "$t")"
done

# Round by round, so that slow drift (other work on the machine) hits every
# method alike.
for ((i = 1; i <= runs; i++)); do
	for m in "${methods[@]}"; do
		time_one "$m"
		warm_samples[$m]+="$t "
		log "  warm $i/$runs $(printf '%-40s' "${label[$m]}") $(secs "$t")"
	done
done

# --- cold -----------------------------------------------------------------

for ((i = 1; i <= cold_runs; i++)); do
	for m in "${methods[@]}"; do
		cache=$(mktemp -d "$tmp/gocache.XXXXXX")
		export GOCACHE=$cache
		time_one "$m"
		export GOCACHE=$warm_cache
		chmod -R u+w "$cache" 2>/dev/null || true
		rm -rf "$cache"
		cold_samples[$m]+="$t "
		log "  cold $i/$cold_runs $(printf '%-40s' "${label[$m]}") $(secs "$t")"
	done
done

# --- the table ------------------------------------------------------------

declare -A warm cold
for m in "${methods[@]}"; do
	# shellcheck disable=SC2086 # the samples are space-separated numbers
	warm[$m]=$(median ${warm_samples[$m]})
	if ((cold_runs > 0)); then
		# shellcheck disable=SC2086
		cold[$m]=$(median ${cold_samples[$m]})
	else
		cold[$m]="-"
	fi
done

warm_head="warm median ($runs run$( ((runs == 1)) || echo s))"
if ((cold_runs == 0)); then
	cold_head="cold (skipped)"
elif ((cold_runs == 1)); then
	cold_head="cold (1 run)"
else
	cold_head="cold median ($cold_runs runs)"
fi

gover=$(go env GOVERSION)
goos=$(go env GOOS)
goarch=$(go env GOARCH)
cores=$(nproc 2>/dev/null || getconf _NPROCESSORS_ONLN)
today=$(date +%F)

header() {
	printf 'threadtalk checker bench — %d exercise%s, %s %s/%s, %s cores, %s\n' \
		"${#dirs[@]}" "$( ((${#dirs[@]} == 1)) || echo s)" "$gover" "$goos" "$goarch" "$cores" "$today"
}

# table <checker> <per-exercise> <go test ./...> <all methods of the table...>
table() {
	local ck=$1 per=$2 all=$3 m
	shift 3
	printf '%-40s %-22s %-16s %s\n' method "$warm_head" "$cold_head" "warm min-max"
	for m in "$@"; do
		# shellcheck disable=SC2086
		printf '%-40s %-22s %-16s %s\n' "${label[$m]}" "$(secs "${warm[$m]}")" "$(secs "${cold[$m]}")" \
			"$(printf '%s\n' ${warm_samples[$m]} | sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%.2f-%.2f s", lo, hi }')"
	done
	printf '%-40s %-22s %s\n' "ratio per-exercise / checker" \
		"$(ratio "${warm[$per]}" "${warm[$ck]}")" "$(ratio "${cold[$per]}" "${cold[$ck]}")"
	printf '%-40s %-22s %s\n' "ratio go test ./... / checker" \
		"$(ratio "${warm[$all]}" "${warm[$ck]}")" "$(ratio "${cold[$all]}" "${cold[$ck]}")"
}

samples() { # samples <methods...>
	local m
	printf 'warm samples (s):\n'
	for m in "$@"; do
		printf '  %-38s %s\n' "${label[$m]}" "${warm_samples[$m]% }"
	done
	if ((cold_runs > 0)); then
		printf 'cold samples (s), each with a fresh empty GOCACHE:\n'
		for m in "$@"; do
			printf '  %-38s %s\n' "${label[$m]}" "${cold_samples[$m]% }"
		done
	fi
}

report() {
	local m total
	header
	if ((want_stubs)); then
		printf '\n== stubs: the exercises as shipped (every package fails)\n'
		table m_checker m_per_exercise m_gotest_all "${stub_methods[@]}"
		printf '\n'
		samples "${stub_methods[@]}"
	fi
	if ((want_solutions)); then
		printf '\n== solutions: a finished course (solutions/ through -overlay, every package passes)\n'
		table s_checker s_per_exercise s_gotest_all "${sol_methods[@]}"
		for m in "${sol_methods[@]}"; do
			[[ -n ${sol_fail[$m]:-} ]] || continue
			total=$((runs + 1 + cold_runs))
			[[ $m == s_per_exercise ]] && total=$((total * ${#dirs[@]}))
			printf 'WARNING: %s exited 1 in %d of its %d commands: a solution failed,\n' \
				"${label[$m]}" "${sol_fail[$m]}" "$total"
			printf '  so that row does not measure a finished course\n'
		done
		printf '\n'
		samples "${sol_methods[@]}"
	fi
	printf '\n'
	printf 'exercises: %s\n' "${dirs[*]}"
	printf 'notes: the checker sets GORACE=atexit_sleep_ms=0 and passes no -count (go test may\n'
	printf '  reuse cached results of passing packages); the go test rows use -count=1 and the\n'
	printf '  default GORACE (a race binary whose tests pass sleeps 1 s at exit).\n'
	if ((want_solutions)); then
		printf '  solutions: the packages pass, so the warm "checker --solutions" row is go test\n'
		printf '  replaying its cached results (what a student sees re-checking a finished course).\n'
	fi
	printf 'BENCH_MODE=%s; load average (1/5/15 min): %s at the start, %s at the end\n' "$mode" "$load_start" "$load_end"
}

load_end=$(loadavg || echo "?")
extra_end=$(extra_pkgs)
extra_end=${extra_end% }
mapfile -t now_dirs < <(read_dirs)
result=$(report)
if [[ ${now_dirs[*]} != "${dirs[*]}" ]]; then
	result+=$'\n'"warning: exercises/info.toml changed during the bench (now: ${now_dirs[*]}); the rows may not compare like with like."
fi
if [[ -n $extra_start$extra_end ]]; then
	result+=$'\n'"warning: exercises/ holds packages info.toml did not list (at the start: ${extra_start:-none}; at the end: ${extra_end:-none}); the go test ./exercises/... rows test them too."
fi

mkdir -p bench-results
printf '%s\n' "$result" >bench-results/checker-bench.txt
printf '%s\n' "$result"
printf '\n(written to %s)\n' "$root/bench-results/checker-bench.txt"
