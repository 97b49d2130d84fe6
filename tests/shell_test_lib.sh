# Sourced by the shell tests that count their checks: `work` (Bazel's TEST_TMPDIR, or a fresh
# directory by hand), pass/fail counters, and `finish`, whose status ends the test; helpers
# to run the search binary and to read its progress.csv.
work="${TEST_TMPDIR:-$(mktemp -d)}"
passed=0
failed=0
fail() {
  echo "FAIL: $*"
  failed=$((failed + 1))
}
pass() { passed=$((passed + 1)); }
# finish NAME: prints "NAME: P passed, F failed"; fails when any check failed.
finish() {
  echo "$1: ${passed} passed, ${failed} failed"
  [ "$failed" -eq 0 ]
}

# check DESCRIPTION COMMAND...: passes if the command succeeds.
check() {
  local description="$1"
  shift
  if "$@"; then pass; else fail "$description"; fi
}

# run NAME ARGS...: runs "$binary", keeping stdout, stderr and the exit code in $work/NAME.*.
run() {
  local name="$1"
  shift
  "$binary" "$@" >"$work/$name.out" 2>"$work/$name.err"
  echo $? >"$work/$name.rc"
}
rc_of() { cat "$work/$1.rc"; }

# rejects NAME EXPECTED COMMAND...: passes if the command exits non-zero with exactly one stderr
# line, containing EXPECTED (its output is kept in $work/NAME.out and .err).
rejects() {
  local name="$1" expected="$2"
  shift 2
  "$@" >"$work/$name.out" 2>"$work/$name.err"
  local rc=$?
  if [ "$rc" -ne 0 ] && [ "$(wc -l <"$work/$name.err")" -eq 1 ] &&
    grep -qF -- "$expected" "$work/$name.err"; then
    pass
  else
    fail "$name: rc $rc, expected '$expected' in stderr: $(head -c 600 "$work/$name.err")"
  fi
}

# wait_for SECONDS COMMAND...: polls every 0.1 s until the command succeeds.
wait_for() {
  local tries=$(($1 * 10))
  shift
  for _ in $(seq "$tries"); do
    "$@" 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

# About progress.csv: it has at least two rows; its indivs column strictly increases (no row
# twice after a resume, no rows of two runs interleaved); the last row's indivs.
has_progress() { [ "$(wc -l <"$1")" -ge 3 ]; }
increasing() { tail -n +2 "$1" | awk -F, 'NR > 1 && $2 <= last { bad = 1 } { last = $2 } END { exit bad }'; }
last_indivs() { tail -n 1 "$1" | cut -d, -f2; }

# printed_program STDOUT: the raw best program a search printed at its end (from "def Setup():"
# to the "live instructions: N of M" line that introduces the simplified one).
printed_program() {
  awk '/^live instructions: /{ exit } /^def Setup\(\):$/{ on = 1 } on' "$1"
}

# tiny_search_spec: prints tests/testdata/tiny_search.textproto, a spec for a search of a few
# hundred individuals (well under a second even at -O0), without stopping limit or islands;
# tests append what they vary.
tiny_search_spec() {
  cat "$(dirname "${BASH_SOURCE[0]}")/testdata/tiny_search.textproto"
}
