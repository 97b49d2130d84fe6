#!/usr/bin/env bash
# A tiny PARETO search with --output_dir: it prints the recommendation line, writes pareto.csv
# (the header experiments/pareto_output.h documents, one row per member of the front, one
# recommended) and one parseable program per member, the same for any thread count, and
# experiments/report.py draws the front from it.
# Usage (Bazel passes them): pareto_output_test.sh SEARCH_BINARY REPORT_SCRIPT
set -uo pipefail

binary="${1:?usage: $0 SEARCH_BINARY REPORT_SCRIPT}"
report="${2:?usage: $0 SEARCH_BINARY REPORT_SCRIPT}"

source "$(dirname "${BASH_SOURCE[0]}")/shell_test_lib.sh"

{
  tiny_search_spec
  printf 'max_individuals: 600\nprogress_every_individuals: 200\nnum_islands: 2\n'
  printf 'migration { every_individuals: 50 }\n'
  printf 'objectives { selection: PARETO pareto_objectives: [INFERENCE_COST, QUALITY]\n'
  printf '  archive_size: 5 report: [SIZE] }\n'
} >"$work/spec.textproto"
out="$work/out"
run search --spec="$work/spec.textproto" --random_seed=3 --threads=1 --output_dir="$out"
check "search failed: $(cat "$work/search.err")" [ "$(rc_of search)" -eq 0 ]
line="$(grep '^pareto_front=' "$work/search.out")"
check "no pareto_front line" [ -n "$line" ]
members="$(sed -E 's/^pareto_front=([0-9]+) .*/\1/' <<<"$line")"
check "the line names no recommended program: $line" \
  grep -qE 'recommended=pareto/member_[0-9]{3}\.txt rule="[a-z ]+" select_inference_cost=' \
  <<<"$line"

csv="$out/pareto.csv"
header="index,experiment,recommended"
for split in search select final_valid final_test; do
  header+=",${split}_inference_cost,${split}_quality,${split}_size"
done
header+=",program"
check "pareto.csv header: $(head -1 "$csv")" [ "$(head -1 "$csv")" = "$header" ]
check "pareto.csv has not $members rows" [ "$(($(wc -l <"$csv") - 1))" -eq "$members" ]
check "not exactly one recommended member" \
  [ "$(tail -n +2 "$csv" | cut -d, -f3 | grep -c '^1$')" -eq 1 ]
for program in $(tail -n +2 "$csv" | awk -F, '{print $NF}'); do
  check "$program is not a printed program" grep -q '^def Predict():' "$out/$program"
done

# The same front on 2 threads.
run search2 --spec="$work/spec.textproto" --random_seed=3 --threads=2 --output_dir="$work/out2"
check "pareto.csv differs on 2 threads" cmp -s "$csv" "$work/out2/pareto.csv"

if /usr/bin/python3 "$report" "$out" --point="hand-written=0.5,3" >/dev/null \
  2>"$work/report.err"; then
  pass
else
  fail "report.py failed: $(cat "$work/report.err")"
fi
check "no Pareto figure" grep -q "<svg" "$out/report_pareto.svg"
check "report.html does not show the front" grep -q 'src="report_pareto.svg"' "$out/report.html"
# The members' table: every member's program, the recommended one in bold.
for program in $(tail -n +2 "$csv" | awk -F, '{print $NF}'); do
  check "the report's table lacks $program" grep -q "<td>\(<b>\)\?$program\(</b>\)\?</td>" \
    "$out/report.html"
done
recommended="$(tail -n +2 "$csv" | awk -F, '$3 == 1 {print $NF}')"
check "the report does not mark $recommended" grep -qF "<td><b>$recommended</b></td>" \
  "$out/report.html"
/usr/bin/python3 "$report" "$out" --point="no numbers" >/dev/null 2>"$work/point.err"
rc=$?
check "a bad --point: rc $rc, stderr: $(cat "$work/point.err")" \
  [ "$rc" -ne 0 -a "$(wc -l <"$work/point.err")" -eq 1 ]

finish pareto_output_test
