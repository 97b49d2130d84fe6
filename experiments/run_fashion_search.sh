#!/usr/bin/env bash
# Evolves a classifier from empty programs on projected binary Fashion-MNIST
# (experiments/specs/fashion_search.textproto: the paper's restricted search space, 10 class
# pairs held out for the final evaluation) for 30 minutes on 2 threads, then prints the final
# validation and test accuracy on the held-out pairs and the best program. Compare with
# experiments/run_baselines.sh, which scores hand-written baselines on the same final tasks.
# Installs what is missing and builds the optimised binary first.
#
# Environment:
#   FASHION_MAX_SECONDS  search time limit (default 1800; e.g. 180 for a quick check)
#   FASHION_THREADS      threads (default 2)
#   FASHION_ISLANDS      islands (default 2)
#   FASHION_OUTPUT_DIR   outputs: progress.csv, best_algorithm.txt/.pb, summary.json and the
#                        spec actually run (default /tmp/automl_fashion)
#   FASHION_OBJECTIVES   a file with an `objectives { ... }` section appended to the spec, e.g.
#                        experiments/specs/fashion_pareto_objectives.textproto for the front of
#                        accuracy x inference cost (pareto.csv, pareto/ in the outputs); the
#                        script then scores the hand-written baselines on the final tasks and
#                        writes report.html with the front and the baselines on the same axes
#   FASHION_ROTATE_EVERY rotating search tasks: fresh search-task seeds every this many
#                        individuals (rotate_search_tasks_every_individuals; default: never)
# Extra arguments go to run_search_experiment, e.g. --random_seed=7.
set -euo pipefail
cd "$(dirname "$0")/.."
source experiments/pareto_script_helpers.sh

max_seconds="${FASHION_MAX_SECONDS:-1800}"
threads="${FASHION_THREADS:-2}"
islands="${FASHION_ISLANDS:-2}"
output_dir="${FASHION_OUTPUT_DIR:-/tmp/automl_fashion}"
if ! [[ "$max_seconds" =~ ^[0-9]+([.][0-9]+)?$ ]] || [ "$max_seconds" = 0 ]; then
  echo "error: FASHION_MAX_SECONDS must be a positive number of seconds (got '$max_seconds')" >&2
  exit 1
fi

bash tests/install_deps.sh
bazel build --config=opt //experiments:run_search_experiment //experiments:evaluate_program
# bazel-bin follows the last build's configuration; the opt output path is stable.
binary=bazel-out/k8-opt/bin/experiments/run_search_experiment
evaluate=bazel-out/k8-opt/bin/experiments/evaluate_program
final_tasks=experiments/specs/fashion_final_tasks.textproto

# The spec as run, with the time limit replaced, is kept with the outputs.
mkdir -p "$output_dir"
spec="$output_dir/fashion_search.textproto"
sed "s/^max_seconds: .*/max_seconds: $max_seconds/" experiments/specs/fashion_search.textproto \
  >"$spec"
grep -q "^max_seconds: $max_seconds\$" "$spec" || {
  echo "error: could not set max_seconds in $spec" >&2
  exit 1
}
append_objectives FASHION_OBJECTIVES "${FASHION_OBJECTIVES:-}" "$spec"
append_rotation FASHION_ROTATE_EVERY "${FASHION_ROTATE_EVERY:-}" "$spec"

"$binary" \
  --spec="$spec" \
  --final_spec="$final_tasks" \
  --islands="$islands" \
  --threads="$threads" \
  --random_seed=1 \
  --output_dir="$output_dir" \
  "$@"

# After a PARETO search: the baselines on the front's axes (its first two objectives, on the
# final tasks' test split, as report.py draws the front).
if [ -n "${FASHION_OBJECTIVES:-}" ] && [ -f "$output_dir/pareto.csv" ]; then
  mapfile -t front_objectives < <(head -1 "$output_dir/pareto.csv" | tr , '\n' |
    sed -n 's/^search_//p' | head -2)
  y_name="${front_objectives[0]}"
  x_name="${front_objectives[1]}"
  value() { grep -oE " $1=[^ ]+" <<<"$2" | cut -d= -f2; }
  points=()
  for baseline in logistic_regression two_layer_network; do
    line="$("$evaluate" --program="experiments/baselines/$baseline.txt" --tasks="$final_tasks" \
      --per_task=false | grep '^objectives test:')"
    echo "baseline $baseline: $line"
    x="$(value "$x_name" "$line")"
    y="$(value "$y_name" "$line")"
    points+=("--point=${baseline//_/ } (hand-written)=$x,$y")
  done
  echo "report: $(/usr/bin/python3 experiments/report.py "$output_dir" "${points[@]}")"
  # The recommended member's final numbers (it was chosen on T_select, never on these).
  read -r program valid test < <(recommended_member "$output_dir/pareto.csv" program \
    final_valid_quality final_test_quality)
  echo "recommended $program final_valid_quality=$valid final_test_quality=$test"
fi
