#!/usr/bin/env bash
# Thread scaling of the island search: individuals per second of the same search (spec, seed and
# island count, hence exactly the same work: results do not depend on --threads) on 1 and on 2
# threads. The runs alternate 1, 2, 1, 2, ... so that load from other processes hits both
# alike; the ratio is of the medians. Prints the load average before and after: on a shared
# machine, quote it with the result.
# Usage: experiments/bench_scaling.sh [ISLANDS] [INDIVIDUALS] [REPEATS] [MIN_RATIO]
#   defaults: 4 islands, 400000 individuals over all islands, 3 repeats, min ratio 1.8.
# Environment: SCALING_BINARY (see below).
# Exits 1 if the ratio is below MIN_RATIO or the two thread counts found different programs.
set -euo pipefail
cd "$(dirname "$0")/.."

islands="${1:-4}"
individuals="${2:-400000}"
repeats="${3:-3}"
min_ratio="${4:-1.8}"

# SCALING_BINARY: an already built run_search_experiment (e.g. to compare builds); by default
# the optimised build of the working tree.
binary="${SCALING_BINARY:-}"
if [[ -z "$binary" ]]; then
  bash tests/install_deps.sh >/dev/null
  bazel build --config=opt //experiments:run_search_experiment
  binary=bazel-out/k8-opt/bin/experiments/run_search_experiment
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# The demo spec, with a shorter search and one progress line at the end.
sed -e "s/^max_individuals: .*/max_individuals: ${individuals}/" \
  -e "s/^progress_every_individuals: .*/progress_every_individuals: ${individuals}/" \
  experiments/specs/linear_demo.textproto >"$work/spec.textproto"

median() { sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

echo "cores=$(nproc) islands=${islands} individuals=${individuals} repeats=${repeats}"
echo "load_before=$(cut -d' ' -f1-3 /proc/loadavg)"
for ((r = 1; r <= repeats; ++r)); do
  for threads in 1 2; do
    "$binary" --spec="$work/spec.textproto" --random_seed=1 --islands="$islands" \
      --threads="$threads" >"$work/run_${threads}_${r}.txt"
    # The search's rate (the final select/final evaluations are single-threaded and excluded).
    rate=$(grep '^experiment=0 indivs=' "$work/run_${threads}_${r}.txt" | tail -1 |
      sed -E 's/.*indivs_per_sec=([0-9.]+).*/\1/')
    echo "$rate" >>"$work/rates_${threads}"
    echo "repeat=$r threads=$threads indivs_per_sec=$rate load=$(cut -d' ' -f1 /proc/loadavg)"
    # Everything after the progress lines (fitness values, program) must not depend on threads.
    grep -v 'indivs_per_sec\|secs=' "$work/run_${threads}_${r}.txt" >"$work/result_${threads}_${r}.txt"
  done
done
echo "load_after=$(cut -d' ' -f1-3 /proc/loadavg)"

status=0
if ! cmp -s "$work/result_1_1.txt" "$work/result_2_1.txt"; then
  echo "FAIL: 1 and 2 threads found different results"
  status=1
fi
one=$(median <"$work/rates_1")
two=$(median <"$work/rates_2")
ratio=$(awk -v a="$one" -v b="$two" 'BEGIN {printf "%.2f", b / a}')
echo "median_indivs_per_sec threads=1: ${one} threads=2: ${two} ratio=${ratio} (min ${min_ratio})"
if awk -v r="$ratio" -v m="$min_ratio" 'BEGIN {exit !(r < m)}'; then
  echo "FAIL: ratio ${ratio} < ${min_ratio}"
  status=1
fi
exit "$status"
