#!/usr/bin/env bash
# evaluate_program re-scores a search's best program exactly as the search's final evaluation
# did: a search whose programs draw random weights (gaussian setup) writes best_algorithm.pb;
# evaluate_program with the run's --random_seed on the spec's final tasks prints the same mean
# fitness, and another seed changes it (the random ops matter, so the match is not trivial).
# Bad input gets one error line. Bazel runs it with both binaries in its runfiles; by hand:
#   tests/evaluate_program_test.sh SEARCH_BINARY EVALUATE_BINARY
set -uo pipefail

search="${1:?usage: $0 SEARCH_BINARY EVALUATE_BINARY}"
evaluate="${2:?usage: $0 SEARCH_BINARY EVALUATE_BINARY}"

source "$(dirname "${BASH_SOURCE[0]}")/shell_test_lib.sh"

final_tasks='tasks { scrambled_linear_regression {} feature_size: 4 num_train_examples: 20
  num_valid_examples: 20 num_tasks: 3 data_seeds: 50 param_seeds: 50 }'
echo "$final_tasks" >"$work/final_tasks.textproto"
cat >"$work/spec.textproto" <<SPEC
search_tasks { tasks { scrambled_linear_regression {} feature_size: 4 num_train_examples: 20
  num_valid_examples: 20 num_tasks: 2 data_seeds: 1 param_seeds: 1 } }
select_tasks { tasks { scrambled_linear_regression {} feature_size: 4 num_train_examples: 20
  num_valid_examples: 20 num_tasks: 2 } }
final_tasks { $final_tasks }
setup { ops: ["VECTOR_GAUSSIAN_SET"] initial_size: 1 min_size: 1 max_size: 2 }
predict { ops: ["VECTOR_INNER_PRODUCT"] initial_size: 1 }
learn { ops: ["SCALAR_DIFF", "SCALAR_PRODUCT", "SCALAR_VECTOR_PRODUCT", "VECTOR_SUM"]
  initial_size: 4 min_size: 2 max_size: 6 }
num_scalars: 4
num_vectors: 3
num_matrices: 0
initial_population: RANDOM_PROGRAMS
population_size: 20
tournament_size: 4
mutate_prob: 0.9
mutation_types: [ALTER_PARAM, RANDOMIZE_INSTRUCTION, INSERT_INSTRUCTION, REMOVE_INSTRUCTION]
max_individuals: 400
progress_every_individuals: 400
SPEC

if ! "$search" --spec="$work/spec.textproto" --random_seed=7 --output_dir="$work/out" \
  >"$work/search.out" 2>"$work/search.err"; then
  fail "search: $(cat "$work/search.err")"
else
  pass
  # The pinned seed's best program draws gaussian weights in Setup and uses them in Predict.
  grep -q "gaussian" "$work/out/best_algorithm.txt" && pass ||
    fail "the best program has no random op: $(cat "$work/out/best_algorithm.txt")"
  searched="$(sed -n 's/^final_fitness=//p' "$work/search.out")"

  # evaluate NAME SEED: mean_valid_fitness of best_algorithm.pb on the final tasks.
  evaluate() {
    "$evaluate" --program="$work/out/best_algorithm.pb" --tasks="$work/final_tasks.textproto" \
      --num_scalars=4 --num_vectors=3 --num_matrices=0 --random_seed="$2" --per_task=false \
      >"$work/$1.out" 2>"$work/$1.err" || fail "$1: $(cat "$work/$1.err")"
    sed -n 's/^mean_valid_fitness=//p' "$work/$1.out"
  }
  same_seed="$(evaluate same_seed 7)"
  other_seed="$(evaluate other_seed 8)"
  # evaluate_program prints 4 decimals.
  close() { awk -v a="$1" -v b="$2" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d < 6e-5) }'; }
  if [ -n "$same_seed" ] && close "$searched" "$same_seed"; then
    pass
  else
    fail "seed 7: evaluate_program says '$same_seed', the search's final_fitness was '$searched'"
  fi
  if [ -n "$other_seed" ] && ! close "$searched" "$other_seed"; then
    pass
  else
    fail "seed 8: evaluate_program says '$other_seed' like seed 7 ('$searched'): random ops unused?"
  fi
fi

# --simplify prints the live line and the simplified program after the scores; it is the
# search's best_algorithm_simplified.txt.
if "$evaluate" --program="$work/out/best_algorithm.txt" --tasks="$work/final_tasks.textproto" \
  --num_scalars=4 --num_vectors=3 --num_matrices=0 --simplify >"$work/simplify.out" \
  2>"$work/simplify.err"; then
  sed -n '/^live instructions: /,$p' "$work/simplify.out" | sed 1d >"$work/simplified.txt"
  grep -qE '^live instructions: [0-9]+ of [0-9]+; simplified:$' "$work/simplify.out" && pass ||
    fail "--simplify: no live instructions line: $(cat "$work/simplify.out")"
  cmp -s "$work/simplified.txt" "$work/out/best_algorithm_simplified.txt" && pass ||
    fail "--simplify: differs from best_algorithm_simplified.txt"
else
  fail "--simplify: $(cat "$work/simplify.err")"
fi

# Every objective the tasks can give, after the means: the hand-written logistic regression on
# F=8 costs 8 per prediction (one dot product) and 8 + 1 + 1 + 8 + 8 = 26 per training step;
# 6 live instructions; the credit tasks have groups, so the fairness metrics are printed too.
cat >"$work/lr.txt" <<'PROGRAM'
def Setup():
  s3 = 0.1
def Predict():
  s1 = dot(v0, v1)
def Learn():
  s2 = s0 - s1
  s2 = s3 * s2
  v2 = s2 * v0
  v1 = v1 + v2
PROGRAM
echo 'tasks { biased_credit {} feature_size: 8 num_train_examples: 200 num_valid_examples: 200
  num_test_examples: 200 num_tasks: 2 }' >"$work/credit.textproto"
if "$evaluate" --program="$work/lr.txt" --tasks="$work/credit.textproto" --per_task=false \
  >"$work/objectives.out" 2>"$work/objectives.err"; then
  for split in valid test; do
    grep -qE "^objectives $split: quality=[0-9.]+ auc=[0-9.]+ dppl=[0-9.e-]+ equalized_odds_difference=[0-9.e-]+ disparate_impact=[0-9.e-]+ inference_cost=8 training_cost=26 size=6\$" \
      "$work/objectives.out" && pass || fail "objectives $split: $(cat "$work/objectives.out")"
  done
else
  fail "objectives: $(cat "$work/objectives.err")"
fi
# Regression tasks: no classification metrics.
grep -qE '^objectives valid: quality=[0-9.]+ inference_cost=[0-9]+ training_cost=[0-9]+ size=[0-9]+$' \
  "$work/simplify.out" && pass || fail "regression objectives: $(cat "$work/simplify.out")"

# --independent_predictions: a program whose prediction is the previous scored example's
# feature sum (v2 carries v0) scores differently with the flag; the logistic regression, which
# carries nothing between predictions, prints the same means either way.
cat >"$work/carry.txt" <<'PROGRAM'
def Setup():
  s2 = 1.0
  v1 = bcast(s2)
def Predict():
  s1 = dot(v2, v1)
  v2 = v0 + v3
PROGRAM
# mean_valid_fitness and mean_test_fitness of PROGRAM on the credit tasks, with FLAGS.
means() {
  "$evaluate" --program="$work/$1" --tasks="$work/credit.textproto" --per_task=false "${@:2}" \
    2>"$work/means.err" | grep -E '^mean_(valid|test)_fitness=' ||
    fail "$1 $*: $(cat "$work/means.err")"
}
if [ "$(means carry.txt)" != "$(means carry.txt --independent_predictions)" ] &&
  [ -n "$(means carry.txt --independent_predictions)" ]; then
  pass
else
  fail "--independent_predictions does not change the carrying program's scores: $(means carry.txt)"
fi
if [ "$(means lr.txt)" = "$(means lr.txt --independent_predictions)" ] &&
  [ -n "$(means lr.txt)" ]; then
  pass
else
  fail "--independent_predictions changes the logistic regression's scores"
fi

# A program file that does not exist: one line naming it.
"$evaluate" --program="$work/missing.txt" --tasks="$work/final_tasks.textproto" \
  >/dev/null 2>"$work/missing.err"
rc=$?
if [ "$rc" -ne 0 ] && [ "$(wc -l <"$work/missing.err")" -eq 1 ] &&
  grep -qF "$work/missing.txt" "$work/missing.err"; then
  pass
else
  fail "missing program: rc $rc, stderr: $(cat "$work/missing.err")"
fi

finish evaluate_program_test
