#!/usr/bin/env bash
# Inputs that would exhaust memory or never end (docs/resource-limits.md) get exactly one error
# line and exit 1, never std::bad_alloc (134), the OOM killer (137) or a hang:
#  - /dev/zero as the spec, a program (evaluate_program --program, --seed_programs) and the
#    CSV path: a file cap;
#  - runs whose memory estimate is too large (--islands=100000, num_tasks, num_train_examples,
#    num_epochs near 2^31, --max_memory_gb=0.001; evaluate_program's --tasks): refused before
#    anything large is allocated;
#  - SIGTERM while tasks are being generated ends the run at once, with one line.
# All under `ulimit -v` 4 GB, so a missed case fails fast instead of swapping the machine.
# Usage (Bazel passes these): resource_limits_test.sh BINARY EVALUATE_PROGRAM
set -uo pipefail

binary="$1"
evaluate_program="$2"
source "$(dirname "${BASH_SOURCE[0]}")/shell_test_lib.sh"
# AddressSanitizer reserves terabytes of address space for its shadow memory, so under
# `--config=asan` (which sets ASAN_OPTIONS) no address-space limit can be set: the cases run
# unlimited, and the one that needs the limit to end quickly (the CSV below) is left out.
under_asan=0
[ -n "${ASAN_OPTIONS:-}" ] && under_asan=1
[ "$under_asan" = 1 ] || ulimit -v 4000000

# refused NAME PATTERN: run NAME exited 1 with one stderr line, which contains PATTERN.
refused() {
  local name="$1" pattern="$2"
  check "$name: exit code $(rc_of "$name"), expected 1" [ "$(rc_of "$name")" -eq 1 ]
  check "$name: expected one stderr line: $(head -c 500 "$work/$name.err")" \
    [ "$(wc -l <"$work/$name.err")" -eq 1 ]
  check "$name: the error lacks '$pattern': $(head -c 500 "$work/$name.err")" \
    grep -qF -- "$pattern" "$work/$name.err"
}
spec_with() {  # spec_with PATH SED_EXPRESSION: the tiny spec, edited, with a time limit.
  { tiny_search_spec | sed "$2"; echo "max_seconds: 1"; } >"$1"
}
tiny="$work/tiny.textproto"
spec_with "$tiny" ""

echo "--- /dev/zero as every kind of input file"
run zero_spec --spec=/dev/zero
refused zero_spec "error: cannot read spec file '/dev/zero': larger than the limit of 64 MiB"
run zero_seed --spec="$tiny" --seed_programs=/dev/zero
refused zero_seed "cannot read seed program file '/dev/zero': larger than the limit of 64 MiB"
binary="$evaluate_program" run zero_program --program=/dev/zero --tasks="$tiny"
refused zero_program "cannot read program file '/dev/zero': larger than the limit of 64 MiB"
# The 2 GiB CSV cap costs seconds of page faults to reach on a loaded machine; under a 1 GB
# address space the reader runs out of memory first, which must be one line too.
spec_with "$work/csv.textproto" \
  '0,/scrambled_linear_regression {}/s//csv { path: "\/dev\/zero" label_column: "y" kind: REGRESSION }/'
if [ "$under_asan" = 0 ]; then
  (
    ulimit -v 1000000
    run zero_csv --spec="$work/csv.textproto" --random_seed=1
  )
  refused zero_csv "cannot read CSV file '/dev/zero': out of memory while reading it"
else
  echo "(under AddressSanitizer: the /dev/zero CSV case needs ulimit -v, left out)"
fi

echo "--- runs too large for the memory are refused up front"
run islands --spec="$tiny" --islands=100000
refused islands "100000 islands in this process (num_islands or --islands)"
spec_with "$work/tasks.textproto" '0,/num_tasks: 2/s//num_tasks: 2000000000/'
run tasks --spec="$work/tasks.textproto"
refused tasks "search_tasks 3320.0 GB (tasks[0]: num_tasks 2000000000 x"
spec_with "$work/examples.textproto" '0,/num_train_examples: 10/s//num_train_examples: 2000000000/'
run examples --spec="$work/examples.textproto"
refused examples "search_tasks"
spec_with "$work/epochs.textproto" '0,/num_tasks: 2/s//num_tasks: 2 num_epochs: 2000000000/'
run epochs --spec="$work/epochs.textproto"
refused epochs "num_epochs 2000000000"
echo 'tasks { scrambled_linear_regression {} feature_size: 4 num_train_examples: 10
  num_valid_examples: 10 num_tasks: 2000000000 }' >"$work/huge_tasks.textproto"
printf "def Setup():\n  s3 = 0.01\ndef Predict():\n  s1 = s3 * s3\ndef Learn():\n" >"$work/program.txt"
binary="$evaluate_program" run eval_tasks --program="$work/program.txt" \
  --tasks="$work/huge_tasks.textproto"
refused eval_tasks "tasks 3320.0 GB (tasks[0]: num_tasks 2000000000 x"
run max_memory --spec="$tiny" --max_memory_gb=0.001
refused max_memory "more than the 1 MB set by --max_memory_gb=0.001"

echo "--- SIGTERM during task generation ends the run at once"
# A teacher network of 10000 x 32 weights makes each example slow to label (seconds at -O0).
spec_with "$work/slow.textproto" 's/feature_size: 4/feature_size: 32/g;
  0,/scrambled_linear_regression {} feature_size: 32 num_train_examples: 10/s//nonlinear_regression { hidden_size: 10000 } feature_size: 32 num_train_examples: 100000/'
"$binary" --spec="$work/slow.textproto" --random_seed=1 >"$work/slow.out" 2>"$work/slow.err" &
pid=$!
# The handlers are installed right after the run's first line.
if wait_for 30 grep -q "random_seed" "$work/slow.out"; then
  sleep 0.5
  kill -TERM "$pid"
  wait_for 5 bash -c "! kill -0 $pid" ||
    fail "the run did not end within 5 s of SIGTERM during task generation"
  wait "$pid"
  rc=$?
  check "slow: exit code $rc, expected 143 (SIGTERM)" [ "$rc" -eq 143 ]
  check "slow: expected one line: $(cat "$work/slow.err")" [ "$(wc -l <"$work/slow.err")" -eq 1 ]
  check "slow: $(cat "$work/slow.err")" grep -q "stop requested before the search started" \
    "$work/slow.err"
else
  fail "the slow run printed no first line: $(cat "$work/slow.err")"
  kill -KILL "$pid"
fi

finish resource_limits_test
