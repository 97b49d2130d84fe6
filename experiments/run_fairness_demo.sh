#!/usr/bin/env bash
# Fairness demo (docs/objectives.md): on credit decisions whose training and validation labels
# are biased against a sensitive group (experiments/specs/fairness/credit_base.textproto), four
# searches per seed from random programs, each on 2 threads:
#   accuracy_only  quality alone (the fairness metrics only reported);
#   scalarized     the credit-model tuning metric (3 * AUC + (1 - |DPPL|)) / 4;
#   constrained    accuracy subject to |DPPL| <= 0.05;
#   pareto         the front of accuracy x |DPPL|; its recommended program (the most accurate
#                  with |DPPL| <= 0.05 on T_select, else the knee).
# Prints one table (accuracy, AUC, |DPPL|, equalized odds difference, disparate impact, on the
# final tasks' biased validation split and unbiased test split), writes the report of the first
# seed's Pareto search (its front), and ends with one line per program (medians over seeds):
#   program=NAME test_accuracy=X test_auc=X test_dppl=X test_eod=X test_di=X valid_accuracy=X valid_dppl=X
# Installs what is missing and builds the optimised binary first.
#
# Environment:
#   FAIRNESS_SEEDS            seeds (default "1 2 3")
#   FAIRNESS_THREADS          threads per search (default 2)
#   FAIRNESS_MAX_INDIVIDUALS  individuals per search (default 4000000, 3-5 minutes each)
#   FAIRNESS_OUTPUT_DIR       outputs, one directory per search (default /tmp/automl_fairness)
#   FAIRNESS_PROGRAMS         which searches to run (default all four); the table shows every
#                             program whose searches of these seeds are in FAIRNESS_OUTPUT_DIR,
#                             so a search added later joins the earlier ones' table
set -euo pipefail
cd "$(dirname "$0")/.."

seeds="${FAIRNESS_SEEDS:-1 2 3}"
threads="${FAIRNESS_THREADS:-2}"
max_individuals="${FAIRNESS_MAX_INDIVIDUALS:-4000000}"
output_dir="${FAIRNESS_OUTPUT_DIR:-/tmp/automl_fairness}"
for value in $seeds "$threads" "$max_individuals"; do
  if ! [[ "$value" =~ ^[1-9][0-9]*$ ]]; then
    echo "error: FAIRNESS_SEEDS, FAIRNESS_THREADS and FAIRNESS_MAX_INDIVIDUALS must be positive" \
      "integers (got '$value')" >&2
    exit 1
  fi
done

bash tests/install_deps.sh
bazel build --config=opt //experiments:run_search_experiment
# bazel-bin follows the last build's configuration; the opt output path is stable.
binary=bazel-out/k8-opt/bin/experiments/run_search_experiment
specs=experiments/specs/fairness
programs="${FAIRNESS_PROGRAMS:-accuracy_only scalarized constrained pareto}"
for name in $programs; do
  if [ ! -f "$specs/$name.textproto" ] || [ "$name" = credit_base ]; then
    echo "error: FAIRNESS_PROGRAMS: unknown search '$name' (accuracy_only, scalarized," \
      "constrained, pareto)" >&2
    exit 1
  fi
done

mkdir -p "$output_dir"
for name in $programs; do
  # The spec as run: the shared base with this search's objectives appended.
  cat "$specs/credit_base.textproto" "$specs/$name.textproto" >"$output_dir/$name.textproto"
done
for seed in $seeds; do
  for name in $programs; do
    run_dir="$output_dir/$name/seed_$seed"
    mkdir -p "$run_dir"
    echo "search: $name seed $seed -> $run_dir"
    "$binary" --spec="$output_dir/$name.textproto" --random_seed="$seed" --threads="$threads" \
      --max_individuals="$max_individuals" --max_experiments=1 --output_dir="$run_dir" \
      >"$run_dir/log.txt"
    grep -E "^(final_|objectives final|pareto_front)" "$run_dir/log.txt" | sed 's/^/  /'
  done
done
first_seed="${seeds%% *}"
if [ -f "$output_dir/pareto/seed_$first_seed/pareto.csv" ]; then
  echo "report: $(/usr/bin/python3 experiments/report.py "$output_dir/pareto/seed_$first_seed")"
fi
# shellcheck disable=SC2086
/usr/bin/python3 experiments/fairness_table.py "$output_dir" $seeds
