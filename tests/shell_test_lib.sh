# Sourced by the shell tests that count their checks: `work` (Bazel's TEST_TMPDIR, or a fresh
# directory by hand), pass/fail counters, and `finish`, whose status ends the test.
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

# tiny_search_spec: prints tests/testdata/tiny_search.textproto, a spec for a search of a few
# hundred individuals (well under a second even at -O0), without stopping limit or islands;
# tests append what they vary.
tiny_search_spec() {
  cat "$(dirname "${BASH_SOURCE[0]}")/testdata/tiny_search.textproto"
}
