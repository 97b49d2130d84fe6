#!/usr/bin/env bash
# Search throughput with each speed option on and off, in one run, as ratios (the machine is
# shared, so absolute numbers move with its load; ratios measured round-robin in one process,
# on thread CPU time, mostly do not). Prints:
#   1. the demo space (experiments/specs/linear_demo.textproto): individuals per CPU-second,
#      train steps per second, FEC and signature-memo hit rates and the fraction of time spent
#      in the executor, for: all on, no dead-code elimination, no signature memo, each
#      interpreter, everything off ("original"), and no FEC;
#   2. the same for the projected Fashion-MNIST space (experiments/specs/fashion_search.textproto
#      with the paper's 8000 train / 1000 valid examples per task);
#   3. -O3 -march=native (--config=opt) against plain -c opt (-O2) on the demo search,
#      alternating the two binaries;
#   4. the median time to solution of the demo search over seeds 1..5
#      (--sufficient_fitness=0.9999), wall and CPU seconds.
# Every configuration but no_fec must give the same search results; search_throughput checks
# it and fails otherwise. Usage: experiments/bench_throughput.sh [--quick]
# (--quick: fewer individuals and rounds, for a smoke test of the script).
set -euo pipefail
cd "$(dirname "$0")/.."

quick=0
if [ "${1:-}" = "--quick" ]; then quick=1; fi
if [ "$quick" = 1 ]; then
  demo_individuals=20000; fashion_individuals=300; rounds=1; ab_rounds=1; seeds="1"
else
  demo_individuals=300000; fashion_individuals=20000; rounds=3; ab_rounds=3; seeds="1 2 3 4 5"
fi

bash tests/install_deps.sh
# bazel-bin follows the last build's configuration and other builds may replace outputs
# while this runs, so every binary is copied to a private directory first. The -O2 build
# gets its own output directory (platform suffix) so that it never replaces the -O3 one.
bin="$(mktemp -d)"
trap 'rm -rf "$bin"' EXIT
bazel build --config=opt //tests/benchmarks:search_throughput //experiments:run_search_experiment
cp bazel-out/k8-opt/bin/tests/benchmarks/search_throughput "$bin/search_throughput"
cp bazel-out/k8-opt/bin/experiments/run_search_experiment "$bin/run_search_experiment"
bazel build -c opt --platform_suffix=-O2 //tests/benchmarks:search_throughput
cp bazel-out/k8-opt-O2/bin/tests/benchmarks/search_throughput "$bin/search_throughput_O2"

echo "== machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"

configs=all,no_dce,no_memo,reference_dispatch,decoded_switch,original,no_fec
echo
echo "== 1. demo space: ${demo_individuals} individuals, ${rounds} rounds (medians)"
"$bin/search_throughput" --spec=experiments/specs/linear_demo.textproto --random_seed=1 \
  --individuals="$demo_individuals" --rounds="$rounds" --configs="$configs" --time_executor |
  sed -n '/^config/,$p'

echo
echo "== 2. projected Fashion-MNIST space (F=16, 8000 train / 1000 valid): ${fashion_individuals} individuals"
"$bin/search_throughput" --spec=experiments/specs/fashion_search.textproto --random_seed=1 \
  --train_examples=8000 --valid_examples=1000 --individuals="$fashion_individuals" \
  --rounds="$rounds" --configs=all,no_dce,no_memo,reference_dispatch,decoded_switch,original \
  --time_executor | sed -n '/^config/,$p'

echo
echo "== 3. -O3 -march=native vs -O2 (demo space, all options on; alternating binaries)"
rate() {  # individuals per CPU-second of config "all"
  "$1" --spec=experiments/specs/linear_demo.textproto --random_seed=1 \
    --individuals="$demo_individuals" --rounds=1 --configs=all | awk '$1 == "all" {print $2}'
}
o3=(); o2=()
for ((r = 0; r < ab_rounds; ++r)); do
  o3+=("$(rate "$bin/search_throughput")")
  o2+=("$(rate "$bin/search_throughput_O2")")
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
m3=$(median "${o3[@]}"); m2=$(median "${o2[@]}")
echo "-O3 -march=native: ${o3[*]} (median $m3) indivs/cpu_s"
echo "-O2:               ${o2[*]} (median $m2) indivs/cpu_s"
awk -v a="$m3" -v b="$m2" 'BEGIN {printf "ratio O3-native / O2 = %.3f\n", a / b}'

echo
echo "== 4. demo time to solution (--sufficient_fitness=0.9999), seeds: $seeds"
walls=(); cpus=()
for seed in $seeds; do
  out="$(mktemp)"
  start=$(date +%s.%N)
  /usr/bin/time -f '%U %S' -o "$out.time" "$bin/run_search_experiment" \
    --spec=experiments/specs/linear_demo.textproto --random_seed="$seed" \
    --max_experiments=100 --sufficient_fitness=0.9999 --islands=1 --threads=1 > "$out"
  end=$(date +%s.%N)
  wall=$(awk -v a="$start" -v b="$end" 'BEGIN {printf "%.1f", b - a}')
  cpu=$(awk '{printf "%.1f", $1 + $2}' "$out.time")
  experiments=$(grep -c '^experiment=[0-9]* search_fitness' "$out" || true)
  individuals=$(grep '^experiment=[0-9]* search_fitness' "$out" |
    sed 's/.*indivs=\([0-9]*\).*/\1/' | awk '{s += $1} END {print s}')
  best=$(grep '^experiment=[0-9]* search_fitness' "$out" |
    sed 's/.*select_fitness=\([^ ]*\).*/\1/' | sort -g | tail -1)
  echo "seed=$seed wall_secs=$wall cpu_secs=$cpu experiments=$experiments individuals=$individuals best_select_fitness=$best"
  walls+=("$wall"); cpus+=("$cpu")
  rm -f "$out" "$out.time"
done
echo "median time to solution: wall $(median "${walls[@]}") s, cpu $(median "${cpus[@]}") s"
echo "== load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
