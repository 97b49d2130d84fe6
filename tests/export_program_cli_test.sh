#!/usr/bin/env bash
# export_program's command line: exports a baseline both ways, reads fitness and seed from the
# summary.json beside the program, and answers bad input with one error line and a non-zero
# exit. (tests/export_program_test.cc checks what the exports compute.) By hand:
#   tests/export_program_cli_test.sh EXPORT_BINARY PROGRAM_FILE
set -uo pipefail

binary="${1:?usage: $0 EXPORT_BINARY PROGRAM_FILE}"
program="${2:?usage: $0 EXPORT_BINARY PROGRAM_FILE}"

source "$(dirname "${BASH_SOURCE[0]}")/shell_test_lib.sh"

mkdir -p "$work/run"
cp "$program" "$work/run/best_algorithm.txt"
echo '{ "random_seed": 42, "final_fitness": 0.875, "spec_path": "x" }' >"$work/run/summary.json"

run cpp --program="$work/run/best_algorithm.txt" --to=cpp --feature_size=16 --out="$work/p.h"
check "cpp export succeeds" [ "$(rc_of cpp)" -eq 0 ]
check "cpp export has the class" grep -q "^class ExportedProgram {" "$work/p.h"
check "seed from summary.json" grep -qF "Run seed (--random_seed): 42." "$work/p.h"
check "fitness from summary.json" grep -qF "Fitness of the run: 0.875000." "$work/p.h"
check "names the source" grep -qF "$work/run/best_algorithm.txt" "$work/p.h"

run python --program="$work/run/best_algorithm.txt" --to=python --feature_size=16 \
  --out="$work/p.py" --seed=5 --fitness=0.5 --class_name=Model
check "python export succeeds" [ "$(rc_of python)" -eq 0 ]
check "flags override summary.json" grep -qF "Run seed (--random_seed): 5." "$work/p.py"
check "python export has the class" grep -q "^class Model:" "$work/p.py"
check "python export compiles" python3 -m py_compile "$work/p.py"

# expect_error NAME TEXT ARGS...: exit code non-zero, one stderr line containing TEXT.
expect_error() {
  local name="$1" text="$2"
  shift 2
  run "$name" "$@"
  if [ "$(rc_of "$name")" -ne 0 ] && [ "$(wc -l <"$work/$name.err")" -eq 1 ] &&
    grep -qF -- "$text" "$work/$name.err"; then
    pass
  else
    fail "$name: rc $(rc_of "$name"), stderr: $(cat "$work/$name.err")"
  fi
}
echo "garbage line" >"$work/garbage.txt"
expect_error unknown_target "unknown export target 'java'" \
  --program="$program" --to=java --feature_size=4 --out="$work/x"
expect_error bad_feature_size "feature size 3 is not supported" \
  --program="$program" --to=cpp --feature_size=3 --out="$work/x"
expect_error missing_program "$work/missing.txt" \
  --program="$work/missing.txt" --to=cpp --feature_size=4 --out="$work/x"
expect_error unparsable_program "line 1" \
  --program="$work/garbage.txt" --to=python --feature_size=4 --out="$work/x"
expect_error bad_class_name "'1x' is not an identifier" \
  --program="$program" --to=cpp --feature_size=4 --out="$work/x" --class_name=1x
expect_error bad_seed "--seed=abc" \
  --program="$program" --to=cpp --feature_size=4 --out="$work/x" --seed=abc
expect_error unwritable_out "cannot write" \
  --program="$program" --to=cpp --feature_size=4 --out="$work/no/such/dir/x.h"

finish export_program_cli_test
