#!/usr/bin/env bash
# experiments/report.py on a tiny search's output directory: it writes report.html, whose
# figures are SVG files next to it that exist and are not empty, and which shows the run's
# final simplified program and its discoveries; a directory that is not a run's is refused
# with one line.
# Usage (Bazel passes them): report_test.sh SEARCH_BINARY REPORT_SCRIPT
set -uo pipefail

binary="${1:?usage: $0 SEARCH_BINARY REPORT_SCRIPT}"
report="${2:?usage: $0 SEARCH_BINARY REPORT_SCRIPT}"

source "$(dirname "${BASH_SOURCE[0]}")/shell_test_lib.sh"

{
  tiny_search_spec
  printf 'max_individuals: 600\nprogress_every_individuals: 100\n'
} >"$work/spec.textproto"
out="$work/out"
run search --spec="$work/spec.textproto" --random_seed=5 --max_experiments=2 --output_dir="$out"
check "search failed: $(cat "$work/search.err")" [ "$(rc_of search)" -eq 0 ]

# Debian's matplotlib is installed for the system interpreter.
if /usr/bin/python3 "$report" "$out" >"$work/report.out" 2>"$work/report.err"; then
  pass
else
  fail "report.py failed: $(cat "$work/report.err")"
fi
html="$out/report.html"
check "report.py did not print the report's path" grep -qxF "$html" "$work/report.out"
check "no report.html" [ -s "$html" ]
figures="$(grep -oE 'src="[^"]+"' "$html" | sed 's/^src="//; s/"$//')"
check "report.html shows fewer than 4 figures: $figures" [ "$(echo "$figures" | wc -l)" -ge 4 ]
for figure in $figures; do
  case "$figure" in
    *.svg) pass ;;
    *) fail "figure $figure is not an SVG file" ;;
  esac
  check "figure $figure missing or empty" [ -s "$out/$figure" ]
  check "figure $figure is not SVG" grep -q "<svg" "$out/$figure"
done
check "report.html loads something from the network" bash -c "! grep -qE '(src|href)=\"https?:' '$html'"
# The final simplified program, each line as the page shows it.
while IFS= read -r line; do
  escaped="$(printf '%s' "$line" | sed 's/&/\&amp;/g; s/</\&lt;/g; s/>/\&gt;/g')"
  check "report.html lacks the line '$line' of the simplified program" grep -qF -- "$escaped" "$html"
done <"$out/best_algorithm_simplified.txt"
discoveries="$(($(wc -l <"$out/discoveries.csv") - 1))"
check "report.html does not show the $discoveries discoveries" \
  [ "$(grep -c '<h3>Experiment ' "$html")" -eq "$discoveries" ]

/usr/bin/python3 "$report" "$work" >/dev/null 2>"$work/not_a_run.err"
rc=$?
check "a directory without a run: rc $rc, stderr: $(cat "$work/not_a_run.err")" \
  [ "$rc" -ne 0 -a "$(wc -l <"$work/not_a_run.err")" -eq 1 ]

finish report_test
