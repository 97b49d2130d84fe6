#!/usr/bin/env bash
# experiments/compare_programs.py on hand-made evaluate_program outputs: the means, the paired
# difference and its interval, wins/losses/ties and the exact sign test against values worked
# out by hand, and one error line for mismatched or missing inputs.
# Usage (Bazel passes it): compare_programs_test.sh COMPARE_SCRIPT
set -uo pipefail

compare="${1:?usage: $0 COMPARE_SCRIPT}"

source "$(dirname "${BASH_SOURCE[0]}")/shell_test_lib.sh"

# output FILE TEST... : one evaluate_program task line per value (validation = test - 0.1).
output() {
  local file="$1" i=0 value
  shift
  : >"$file"
  for value in "$@"; do
    echo "task=$i name=family(data_seed=$i) classes=1/2 valid=$(awk "BEGIN{printf \"%.4f\", $value - 0.1}") test=$value best_epoch=0" >>"$file"
    i=$((i + 1))
  done
  echo "mean_test_fitness=0" >>"$file"
}

# Ten tasks; the evolved program gains 0.01 on nine and loses 0.01 on one. By hand: mean
# difference 0.008; deviations 0.002 (x9) and -0.018, so sd = sqrt((9 * 4e-6 + 3.24e-4) / 9)
# = 0.0063246 and the half-width 1.96 * sd / sqrt(10) = 0.00392; sign test p = 2 * (C(10,0) +
# C(10,1)) / 2^10 = 22 / 1024 = 0.0215.
output "$work/start" 0.8 0.8 0.8 0.8 0.8 0.8 0.8 0.8 0.8 0.8
output "$work/evolved" 0.81 0.81 0.81 0.81 0.81 0.81 0.81 0.81 0.81 0.79
/usr/bin/python3 "$compare" "$work/start" "$work/evolved" >"$work/ten.out" 2>&1
check "ten tasks: $(tail -1 "$work/ten.out")" grep -qx "n=10 start=0.8000 evolved=0.8080 \
mean_diff=0.0080 ci_low=0.0041 ci_high=0.0119 wins=9 losses=1 ties=0 sign_test_p=0.0215" \
  "$work/ten.out"

# An eleventh task where both score the same is a tie: the sign test ignores it.
output "$work/start11" 0.8 0.8 0.8 0.8 0.8 0.8 0.8 0.8 0.8 0.8 0.7
output "$work/evolved11" 0.81 0.81 0.81 0.81 0.81 0.81 0.81 0.81 0.81 0.79 0.7
/usr/bin/python3 "$compare" "$work/start11" "$work/evolved11" >"$work/tie.out" 2>&1
check "a tie: $(tail -1 "$work/tie.out")" grep -q "wins=9 losses=1 ties=1 sign_test_p=0.0215$" \
  "$work/tie.out"

# --split=valid reads the validation column (0.1 lower): the difference is the same.
/usr/bin/python3 "$compare" --split=valid "$work/start" "$work/evolved" >"$work/valid.out" 2>&1
check "valid split: $(tail -1 "$work/valid.out")" grep -q "^n=10 start=0.7000 evolved=0.7080 " \
  "$work/valid.out"

# All ties: p = 1.
/usr/bin/python3 "$compare" "$work/start" "$work/start" >"$work/same.out" 2>&1
check "same program: $(tail -1 "$work/same.out")" grep -q "ties=10 sign_test_p=1$" "$work/same.out"

rejects count "has 10 tasks" /usr/bin/python3 "$compare" "$work/start" "$work/start11"
sed 's/data_seed=3)/data_seed=33)/' "$work/evolved" >"$work/renamed"
rejects names "task 3 differs" /usr/bin/python3 "$compare" "$work/start" "$work/renamed"
rejects missing "no_such_file" /usr/bin/python3 "$compare" "$work/start" "$work/no_such_file"
echo "mean_test_fitness=0.5" >"$work/totals_only"
rejects no_tasks "no per-task lines" /usr/bin/python3 "$compare" "$work/start" "$work/totals_only"
sed 's/test=0.79 /test=nan /' "$work/evolved" >"$work/nan"
rejects nan "task 9: test is nan" /usr/bin/python3 "$compare" "$work/start" "$work/nan"
rejects split "--split must be" /usr/bin/python3 "$compare" --split=train "$work/start" "$work/evolved"

finish compare_programs_test
