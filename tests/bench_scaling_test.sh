#!/usr/bin/env bash
# The scaling benchmark's machinery on a tiny search (its speed verdict is the benchmark's
# business, not a test's): it times every chunk on 1 thread, 2 threads and the independent
# pair, checks the copies found the same, and its verdict follows --min_ratio and
# --min_efficiency (OK, FAIL, MACHINE-LIMITED). Bad input gets one error line. Bazel runs it with the binary in its runfiles; by hand:
#   tests/bench_scaling_test.sh BENCH_BINARY
set -uo pipefail

bench="${1:?usage: $0 BENCH_BINARY}"

source "$(dirname "${BASH_SOURCE[0]}")/shell_test_lib.sh"

tasks='tasks { scrambled_linear_regression {} feature_size: 4 num_train_examples: 20
  num_valid_examples: 20 num_tasks: 2 data_seeds: 1 param_seeds: 1 }'
cat >"$work/spec.textproto" <<SPEC
search_tasks { $tasks }
select_tasks { $tasks }
final_tasks { $tasks }
setup { ops: ["SCALAR_CONST_SET", "VECTOR_INNER_PRODUCT"] initial_size: 2 }
predict { ops: ["VECTOR_INNER_PRODUCT", "SCALAR_PRODUCT"] initial_size: 2 }
learn { ops: ["SCALAR_DIFF", "SCALAR_PRODUCT", "SCALAR_VECTOR_PRODUCT", "VECTOR_SUM"]
  initial_size: 4 }
num_scalars: 4
num_vectors: 3
num_matrices: 0
initial_population: RANDOM_PROGRAMS
population_size: 20
tournament_size: 4
mutate_prob: 0.9
mutation_types: [ALTER_PARAM, RANDOMIZE_INSTRUCTION]
max_individuals: 100
migration { every_individuals: 100 }
SPEC

# 2 islands, migration every 100 per island: chunks of 200 individuals, 5 per 1000.
run() {  # run NAME FLAGS...: exit status of the benchmark
  local name="$1"
  shift
  "$bench" --spec="$work/spec.textproto" --islands=2 --individuals=1000 --repeats=2 "$@" \
    >"$work/$name.out" 2>"$work/$name.err"
}
run lenient --min_ratio=0
rc=$?
if [ "$rc" -eq 0 ]; then pass; else fail "min_ratio 0: rc $rc, $(cat "$work/lenient.err")"; fi
chunks=$(grep -c '^repeat=.* one_thread=.* two_threads=.* ratio=.* ceiling=' "$work/lenient.out")
[ "$chunks" -eq 10 ] && pass || fail "expected 10 chunk lines (2 x 5), got $chunks"
[ "$(grep -c '^repeat=.* chunk=4 individuals=1000 ' "$work/lenient.out")" -eq 2 ] && pass ||
  fail "each search should end at 1000 individuals: $(cat "$work/lenient.out")"
grep -q '^results: identical for 1 and 2 threads$' "$work/lenient.out" && pass ||
  fail "no identical-results line"
grep -q '^OK: ratio' "$work/lenient.out" && pass || fail "no OK verdict"

# Below the ratio: a failure of the search (exit 1) unless it kept up with the ceiling (exit 2).
run strict --min_ratio=1000 --min_efficiency=1000
rc=$?
if [ "$rc" -eq 1 ] && grep -q '^FAIL: ratio .* < 1000.00$' "$work/strict.out"; then
  pass
else
  fail "min_ratio 1000: rc $rc, $(tail -2 "$work/strict.out")"
fi
run limited --min_ratio=1000 --min_efficiency=0
rc=$?
if [ "$rc" -eq 2 ] && grep -q '^MACHINE-LIMITED: ratio .* < 1000.00' "$work/limited.out"; then
  pass
else
  fail "min_efficiency 0: rc $rc, $(tail -2 "$work/limited.out")"
fi

rejects missing_spec "$work/missing.textproto" "$bench" --spec="$work/missing.textproto"
rejects no_repeats "--repeats" "$bench" --spec="$work/spec.textproto" --repeats=0
rejects too_few "max_individuals" "$bench" --spec="$work/spec.textproto" --islands=2 --individuals=10

finish bench_scaling_test
