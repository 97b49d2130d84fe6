#!/usr/bin/env bash
# Scores the hand-written baselines (experiments/baselines/*.txt: logistic regression by SGD and
# a 2-layer ReLU network trained by backpropagation) on the 100 projected binary Fashion-MNIST
# tasks of the search's final evaluation (experiments/specs/fashion_final_tasks.textproto: the
# 10 held-out class pairs, 8000 train / 1000 valid / 1000 test examples, F = 16), so that they
# compare directly with experiments/run_fashion_search.sh's final_test_fitness.
# Installs what is missing and builds the optimised binary first.
#
# Usage: experiments/run_baselines.sh [TASKS_FILE]     # another TaskCollection text file
#        experiments/run_baselines.sh --tune           # the learning-rate sweeps behind the
#                                                      # baselines' constants (validation
#                                                      # accuracy on tuning tasks, not the
#                                                      # final ones)
set -euo pipefail
cd "$(dirname "$0")/.."

bash tests/install_deps.sh
bazel build --config=opt //experiments:evaluate_program
# bazel-bin follows the last build's configuration; the opt output path is stable.
binary=bazel-out/k8-opt/bin/experiments/evaluate_program
logistic=experiments/baselines/logistic_regression.txt
network=experiments/baselines/two_layer_network.txt

# Prints "<label> mean_valid_fitness=... mean_test_fitness=..." for one program.
score() {
  local label="$1" program="$2" tasks="$3"
  local out
  out="$("$binary" --program="$program" --tasks="$tasks" --per_task=false)"
  echo "$label $(grep -E '^mean_' <<<"$out" | tr '\n' ' ')"
}

if [ "${1:-}" = "--tune" ]; then
  tasks=experiments/baselines/fashion_tuning_tasks.textproto
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  # The constants are replaced by matching the baselines' own lines.
  for lr in 0.001 0.003 0.01 0.03 0.1 0.3 1; do
    sed "s/^  s3 = .*/  s3 = $lr/" "$logistic" >"$tmp/logistic.txt"
    score "logistic_regression lr=$lr" "$tmp/logistic.txt" "$tasks"
  done
  for init in 0.05 0.1 0.2 0.3; do
    for lr in 0.003 0.01 0.03 0.1; do
      sed "s/^  s3 = .*/  s3 = $lr/; s/gaussian(0, [0-9.e-]*)/gaussian(0, $init)/" "$network" \
        >"$tmp/network.txt"
      score "two_layer_network lr=$lr init=$init" "$tmp/network.txt" "$tasks"
    done
  done
  exit 0
fi

tasks="${1:-experiments/specs/fashion_final_tasks.textproto}"
echo "tasks: $tasks"
score logistic_regression "$logistic" "$tasks"
score two_layer_network "$network" "$tasks"
