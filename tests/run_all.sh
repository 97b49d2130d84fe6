#!/usr/bin/env bash
# Runs every Bazel test and ends with the line CI reads: "N passed, N failed".
# Usage: tests/run_all.sh [extra bazel test args, e.g. --config=opt, or -- -//slow:test]
set -euo pipefail
cd "$(dirname "$0")/.."

if ! bash tests/install_deps.sh; then
  echo "0 passed, 1 failed"   # keep CI's closing line even when apt fails
  exit 1
fi

log="$(mktemp)"
trap 'rm -f "$log"' EXIT

# --keep_going: one broken target shouldn't hide the results of all the others.
set +e
bazel test --keep_going --test_output=errors //... "$@" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
set -e

# Bazel's summary lines: "//pkg:target   (cached) PASSED in 0.1s", "... FAILED TO BUILD", etc.
passed=$(grep -cE '^//[^ ]+ +(\(cached\) +)?(PASSED|FLAKY)' "$log" || true)
failed=$(grep -cE '^//[^ ]+ +(\(cached\) +)?(FAILED|TIMEOUT|NO STATUS|INCOMPLETE|REMOTE FAILURE|BUILD FAILURE)' "$log" || true)
# Targets whose analysis failed (e.g. a bad dep label) get no summary line; count them too.
broken=$(grep -c "^WARNING: errors encountered while analyzing target" "$log" || true)
failed=$((failed + broken))

# Exit code 4 = built fine but no test targets matched; anything else non-zero is a failure,
# even when the build broke before any test got a summary line.
if [ "$rc" -ne 0 ] && [ "$rc" -ne 4 ] && [ "$failed" -eq 0 ]; then
  failed=1
fi

echo "${passed} passed, ${failed} failed"
[ "$failed" -eq 0 ]
