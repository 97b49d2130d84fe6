#!/usr/bin/env bash
# experiments/fairness_table.py on hand-made run directories (summary.json of the best-program
# searches, pareto.csv of the Pareto one): the medians over seeds, the target's verdicts, the
# final `program=...` lines other tools read, and one error line for missing runs.
# Usage (Bazel passes it): fairness_table_test.sh TABLE_SCRIPT
set -uo pipefail

table="${1:?usage: $0 TABLE_SCRIPT}"

source "$(dirname "${BASH_SOURCE[0]}")/shell_test_lib.sh"

objectives="quality auc dppl equalized_odds_difference disparate_impact"
# summary DIR QUALITY DPPL: a summary.json whose final test quality and dppl are given; on
# validation quality is 0.1 lower and dppl half, the other objectives are fixed.
summary() {
  mkdir -p "$1"
  local entries=() name test valid
  for name in $objectives; do
    case "$name" in
      quality) test="$2" valid="$(awk "BEGIN{print $2 - 0.1}")" ;;
      dppl) test="$3" valid="$(awk "BEGIN{print $3 / 2}")" ;;
      *) test=0.5 valid=0.4 ;;
    esac
    entries+=("{\"name\": \"$name\", \"search\": 0.9, \"select\": 0.9,
      \"final_valid\": $valid, \"final_test\": $test}")
  done
  local IFS=,
  echo "{\"objectives\": [${entries[*]}]}" >"$1/summary.json"
}
# pareto DIR QUALITY DPPL: a pareto.csv whose recommended (second) member has these test values.
pareto() {
  mkdir -p "$1"
  local header="index,experiment,recommended" row0="0,0,0" row1="1,0,1" split name
  for split in search select final_valid final_test; do
    for name in $objectives; do
      header+=",${split}_$name"
      row0+=",0.99"
      case "$split/$name" in
        final_test/quality) row1+=",$2" ;;
        final_test/dppl) row1+=",$3" ;;
        final_valid/quality) row1+=",$(awk "BEGIN{print $2 - 0.1}")" ;;
        final_valid/dppl) row1+=",$(awk "BEGIN{print $3 / 2}")" ;;
        *) row1+=",0.5" ;;
      esac
    done
  done
  printf '%s,program\n%s,pareto/member_000.txt\n%s,pareto/member_001.txt\n' \
    "$header" "$row0" "$row1" >"$1/pareto.csv"
}

out="$work/fairness"
summary "$out/accuracy_only/seed_1" 0.90 0.30
summary "$out/accuracy_only/seed_2" 0.92 0.20
summary "$out/accuracy_only/seed_3" 0.95 0.10
summary "$out/scalarized/seed_1" 0.50 0.00
summary "$out/scalarized/seed_2" 0.93 0.05
summary "$out/scalarized/seed_3" 0.94 0.04
pareto "$out/pareto/seed_1" 0.91 0.15
pareto "$out/pareto/seed_2" 0.88 0.20
pareto "$out/pareto/seed_3" 0.87 0.25

/usr/bin/python3 "$table" "$out" 1 2 3 >"$work/table.out" 2>"$work/table.err"
rc=$?
check "fairness_table.py failed: $(cat "$work/table.err")" [ "$rc" -eq 0 ]
# Medians: accuracy_only 0.92 / 0.20; scalarized 0.93 / 0.04 (a 5x cut, +1 point): met;
# pareto 0.88 / 0.20 (no cut, -4 points): not met.
check "wrong accuracy_only line: $(grep '^program=accuracy_only' "$work/table.out")" grep -qx \
  "program=accuracy_only test_accuracy=0.9200 test_auc=0.5000 test_dppl=0.2000 test_eod=0.5000 test_di=0.5000 valid_accuracy=0.8200 valid_dppl=0.1000" \
  "$work/table.out"
check "wrong scalarized line: $(grep '^program=scalarized' "$work/table.out")" grep -qx \
  "program=scalarized test_accuracy=0.9300 test_auc=0.5000 test_dppl=0.0400 test_eod=0.5000 test_di=0.5000 valid_accuracy=0.8300 valid_dppl=0.0200" \
  "$work/table.out"
check "the pareto line is not the recommended member's: $(grep '^program=pareto' "$work/table.out")" \
  grep -qx "program=pareto test_accuracy=0.8800 test_auc=0.5000 test_dppl=0.2000 test_eod=0.5000 test_di=0.5000 valid_accuracy=0.7800 valid_dppl=0.1000" \
  "$work/table.out"
check "scalarized verdict" grep -qF \
  "target scalarized: test |DPPL| cut 5.0x (>= 3x), test accuracy change +0.0100 (>= -0.02): met" \
  "$work/table.out"
check "pareto verdict" grep -qF \
  "target pareto: test |DPPL| cut 1.0x (>= 3x), test accuracy change -0.0400 (>= -0.02): NOT met" \
  "$work/table.out"
check "the last lines are not the three program lines" \
  [ "$(tail -3 "$work/table.out" | cut -d' ' -f1 | tr '\n' ' ')" = \
  "program=accuracy_only program=scalarized program=pareto " ]
check "constrained, which has no runs, is shown" bash -c "! grep -q constrained '$work/table.out'"

rejects no_baseline "no accuracy_only search for every seed of 1 4" \
  /usr/bin/python3 "$table" "$out" 1 4
rm "$out/scalarized/seed_2/summary.json"
rejects missing_summary "scalarized/seed_2/summary.json" /usr/bin/python3 "$table" "$out" 1 2 3

finish fairness_table_test
