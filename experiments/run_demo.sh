#!/usr/bin/env bash
# The main job: rediscover linear regression trained by SGD from random programs.
# Installs what is missing, builds the optimised binary, runs the demo search and prints the
# algorithm it found. Extra arguments go to run_search_experiment, e.g. --random_seed=3.
# Outputs (progress.csv, best_algorithm.txt/.pb, best_algorithm_simplified.txt, summary.json) go
# to $DEMO_OUTPUT_DIR (default /tmp/automl_demo), with report.html (experiments/report.py).
set -euo pipefail
cd "$(dirname "$0")/.."

bash tests/install_deps.sh
bazel build --config=opt //experiments:run_search_experiment
# bazel-bin follows the last build's configuration; the opt output path is stable.
binary=bazel-out/k8-opt/bin/experiments/run_search_experiment
output_dir="${DEMO_OUTPUT_DIR:-/tmp/automl_demo}"

"$binary" \
  --spec=experiments/specs/linear_demo.textproto \
  --random_seed=1 \
  --max_experiments=100 \
  --sufficient_fitness=0.9999 \
  --output_dir="$output_dir" \
  "$@"
# Figures, the discoveries and the program found, readable offline.
echo "report: $(experiments/report.py "$output_dir")"
