#!/usr/bin/env bash
# experiments/compare_programs.py on hand-made evaluate_program outputs: the means, the paired
# difference and its interval, wins/losses/ties and the exact sign test against values worked
# out by hand, and one error line for mismatched or missing inputs; and
# experiments/average_over_seeds.py, the per-task differences averaged over seeds, likewise.
# Usage (Bazel passes it): compare_programs_test.sh COMPARE_SCRIPT AVERAGE_SCRIPT
set -uo pipefail

compare="${1:?usage: $0 COMPARE_SCRIPT AVERAGE_SCRIPT}"
average="${2:?usage: $0 COMPARE_SCRIPT AVERAGE_SCRIPT}"

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

# average_over_seeds.py: two tasks, five seeds. Task 0 gains 0.01 at every seed; task 1 gains
# 0.03 at seed 1 and loses 0.01 at seeds 2-5. Seed 1 alone: differences 0.01 and 0.03, mean
# +2 points, sd 1.414, half-interval 1.96 * 1.414 / sqrt(2) = 1.960. Seeds 1-5: 0.01 and
# (0.03 - 0.04) / 5 = -0.002, mean +0.4 points, sd 0.849, half-interval 1.176.
for seed in 1 2 3 4 5; do
  output "$work/avg_start_$seed" 0.8 0.8
  if [ "$seed" = 1 ]; then second=0.83; else second=0.79; fi
  output "$work/avg_evolved_$seed" 0.81 "$second"
done
/usr/bin/python3 "$average" "$work/avg_start_{seed}" "$work/avg_evolved_{seed}" 5 --split=test \
  >"$work/average.out" 2>&1
check "average, one seed: $(head -1 "$work/average.out")" grep -qx "seeds 1-1: mean +2.000 \
points, sd over tasks 1.414, 95% half-interval 1.960, wins 2 losses 0" "$work/average.out"
check "average, five seeds: $(tail -1 "$work/average.out")" grep -qx "seeds 1-5: mean +0.400 \
points, sd over tasks 0.849, 95% half-interval 1.176, wins 1 losses 1" "$work/average.out"
rejects average_missing "avg_start_6" /usr/bin/python3 "$average" "$work/avg_start_{seed}" \
  "$work/avg_evolved_{seed}" 6
rejects average_usage "usage" /usr/bin/python3 "$average" "$work/avg_start_{seed}" 5

finish compare_programs_test
