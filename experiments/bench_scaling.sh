#!/usr/bin/env bash
# Thread scaling of the island search: individuals per second of the same search (spec, seed and
# island count, hence exactly the same work: results do not depend on --threads) on 1 and on 2
# threads. The runs alternate 1, 2, 1, 2, ...; each repeat's ratio compares its two adjacent
# runs, and the verdict is the median of those ratios, so that slow drifts of the machine's
# speed (on a VM, the host's other tenants: one-thread rates of identical work have swung
# between 140k and 234k/s here) cancel within a pair instead of skewing one side's median.
# Each run also reports how many cores other processes used meanwhile, and the verdict uses the
# quiet pairs (< 0.15 cores in both runs) when there are at least three. As a control, each
# repeat also runs two independent one-thread searches at once: their summed rate over one
# run's is the most two cores of this machine deliver at that moment (on a VM, at times well
# below 2); the scaling ratio cannot exceed it.
# Usage: experiments/bench_scaling.sh [ISLANDS] [INDIVIDUALS] [REPEATS] [MIN_RATIO]
#   defaults: 4 islands, 1000000 individuals over all islands, 7 repeats, min ratio 1.8
#   (about 80 s at -O3 on 2 cores).
# Environment: SCALING_BINARY (see below).
# Exits 1 if the ratio is below MIN_RATIO or the two thread counts found different programs.
set -euo pipefail
cd "$(dirname "$0")/.."

islands="${1:-4}"
individuals="${2:-1000000}"
repeats="${3:-7}"
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
# CPU ticks all processes spent busy (user nice system irq softirq steal), to tell how much
# of the machine other processes took during a run.
busy_ticks() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat; }
ticks_per_sec=$(getconf CLK_TCK)
seconds() { awk '{split($1, a, "m"); split($2, b, "m"); print a[1] * 60 + a[2] + b[1] * 60 + b[2]}' | tr -d s; }

run_search() {  # run_search THREADS OUTPUT: prints the search's own CPU seconds
  ( "$binary" --spec="$work/spec.textproto" --random_seed=1 --islands="$islands" \
      --threads="$1" >"$2"
    times ) | tail -1 | sed 's/s//g' | seconds
}
rate_of() { grep '^experiment=0 indivs=' "$1" | tail -1 | sed -E 's/.*indivs_per_sec=([0-9.]+).*/\1/'; }

echo "cores=$(nproc) islands=${islands} individuals=${individuals} repeats=${repeats}"
echo "load_before=$(cut -d' ' -f1-3 /proc/loadavg)"
for ((r = 1; r <= repeats; ++r)); do
  for threads in 1 2; do
    out="$work/run_${threads}_${r}.txt"
    busy0=$(busy_ticks)
    start=$(date +%s.%N)
    own=$(run_search "$threads" "$out")
    wall=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN {print b - a}')
    busy1=$(busy_ticks)
    # Cores other processes used on average during the run.
    others=$(awk -v d=$((busy1 - busy0)) -v t="$ticks_per_sec" -v o="$own" -v w="$wall" \
      'BEGIN {x = (d / t - o) / w; printf "%.2f", x < 0 ? 0 : x}')
    # The search's rate (the final select/final evaluations are single-threaded and excluded).
    rate=$(rate_of "$out")
    echo "$rate" >>"$work/rates_${threads}"
    if [[ $threads == 1 ]]; then
      rate_one=$rate
      quiet_one=$(awk -v x="$others" 'BEGIN {print (x < 0.15) ? 1 : 0}')
    else
      pair_ratio=$(awk -v a="$rate_one" -v b="$rate" 'BEGIN {printf "%.3f", b / a}')
      echo "$pair_ratio" >>"$work/ratios"
      # A pair is quiet when other processes used < 0.15 cores during both of its runs.
      if [[ $quiet_one == 1 ]] && awk -v x="$others" 'BEGIN {exit !(x < 0.15)}'; then
        echo "$pair_ratio" >>"$work/quiet_ratios"
      fi
    fi
    echo "repeat=$r threads=$threads indivs_per_sec=$rate other_processes_cores=$others" \
      "load=$(cut -d' ' -f1 /proc/loadavg)"
    # Everything after the progress lines (fitness values, program) must not depend on threads.
    grep -v 'indivs_per_sec\|secs=' "$out" >"$work/result_${threads}_${r}.txt"
  done
  # The machine's own ceiling: two independent one-thread searches at once. Their summed rate
  # over the one-thread rate is what two cores deliver here (shared caches, memory, host).
  run_search 1 "$work/pair_a.txt" >/dev/null &
  run_search 1 "$work/pair_b.txt" >/dev/null
  wait
  pair=$(awk -v a="$(rate_of "$work/pair_a.txt")" -v b="$(rate_of "$work/pair_b.txt")" \
    -v s="$(tail -1 "$work/rates_1")" 'BEGIN {printf "%.2f", (a + b) / s}')
  echo "$pair" >>"$work/ceilings"
  echo "repeat=$r two_independent_one_thread_runs_ratio=$pair"
done
echo "load_after=$(cut -d' ' -f1-3 /proc/loadavg)"

status=0
if ! cmp -s "$work/result_1_1.txt" "$work/result_2_1.txt"; then
  echo "FAIL: 1 and 2 threads found different results"
  status=1
fi
one=$(median <"$work/rates_1")
two=$(median <"$work/rates_2")
echo "median indivs_per_sec threads=1 ${one} threads=2 ${two}" \
  "(ratio of medians $(awk -v a="$one" -v b="$two" 'BEGIN {printf "%.2f", b / a}'))"
echo "per-repeat ratios: $(tr '\n' ' ' <"$work/ratios")"
ratio=$(median <"$work/ratios")
ratio=$(awk -v r="$ratio" 'BEGIN {printf "%.2f", r}')
echo "all repeats: median ratio=${ratio}"
# Pairs during which other processes used under 0.15 cores show the machine's own scaling;
# with at least three of them, they decide.
quiet=0
[[ -f "$work/quiet_ratios" ]] && quiet=$(wc -l <"$work/quiet_ratios")
if [[ $quiet -ge 3 ]]; then
  ratio=$(awk -v r="$(median <"$work/quiet_ratios")" 'BEGIN {printf "%.2f", r}')
  echo "quiet repeats (${quiet}): median ratio=${ratio}"
else
  echo "fewer than 3 quiet repeats: the verdict uses all repeats"
fi
ceiling=$(median <"$work/ceilings")
echo "machine ceiling (median of two independent one-thread runs): ${ceiling};" \
  "ratio / ceiling: $(awk -v r="$ratio" -v c="$ceiling" 'BEGIN {printf "%.2f", r / c}')"
if awk -v r="$ratio" -v m="$min_ratio" 'BEGIN {exit !(r < m)}'; then
  echo "FAIL: ratio ${ratio} < ${min_ratio}"
  status=1
else
  echo "OK: ratio ${ratio} >= ${min_ratio}"
fi
exit "$status"
