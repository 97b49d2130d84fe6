#!/usr/bin/env bash
# Improvement from a hand-written start (issue 15, goal 2; the AutoML-Zero paper's adaptation
# experiments): evolution warm-started from the hand-written 2-layer network
# (experiments/baselines/two_layer_network.txt, --seed_programs) in the restricted Fashion-MNIST
# space of experiments/specs/fashion_search.textproto, in one habitat:
#   standard   tasks of the benchmark's final size, 8000 examples, one epoch
#              (experiments/specs/habitats/standard_tasks.textproto; final tasks
#              experiments/specs/fashion_final_tasks.textproto)
#   few_steps  every task trains on 100 examples, one epoch
#              (experiments/specs/habitats/few_steps_{tasks,final_tasks}.textproto)
#   many_epochs  every task trains on 80 examples for 100 epochs, the last one scored
#              (experiments/specs/habitats/many_epochs_{tasks,final_tasks}.textproto); the
#              program is chosen on T_select among the search's latest discoveries
#              (select_candidates)
# Then it scores the starting and the evolved program on the habitat's 100 final tasks (the
# same --random_seed, so random initialisations are drawn alike) and compares them task by task
# (experiments/compare_programs.py: mean, paired difference, sign test).
#
# Usage: experiments/run_habitat_search.sh HABITAT [run_search_experiment flags...]
# Environment:
#   HABITAT_MAX_SECONDS  search time (default 600)
#   HABITAT_SEED         --random_seed (default 1)
#   HABITAT_OUTPUT_DIR   outputs (default /tmp/automl_habitat/HABITAT): the search's files,
#                        start.txt / evolved.txt (evaluate_program per task), comparison.txt
#   HABITAT_OBJECTIVES   a file with an `objectives { ... }` section appended to the spec, e.g.
#                        experiments/specs/fashion_pareto_objectives.textproto; with a Pareto
#                        front the evolved program is the run's recommended member (chosen on
#                        T_select), otherwise best_algorithm.pb (the experiment's program: the
#                        best on T_search, or with select_candidates the candidates' best on
#                        T_select)
#   HABITAT_ROTATE_EVERY rotating search tasks: fresh search-task seeds every this many
#                        individuals (rotate_search_tasks_every_individuals; default: never)
#   HABITAT_SEARCH_TASKS the number of search tasks (default: the habitat file's, 20)
#   HABITAT_HURDLE_TASKS a hurdle whose first stage is this many search tasks (default: none);
#                        a candidate it cuts counts the tasks it skipped as failed
#   HABITAT_SPACE        a file of top-level spec sections and fields that replace the
#                        benchmark's, e.g. experiments/specs/habitats/room_for_new_state.textproto
#                        (Setup up to 14 instructions, 8 scalars; default: the benchmark's space)
#   HABITAT_EXTRA_MUTATIONS  mutation types added to the benchmark's five, e.g.
#                        "TUNE_CONSTANT INSERT_INITIALIZED_INPUT" (docs/search.md; default none)
#   HABITAT_INDEPENDENT_PREDICTIONS  1: every scored example starts from the memory training
#                        left (independent_predictions in the spec, and evaluate_program
#                        --independent_predictions for both programs' final scores), so no
#                        prediction can depend on the examples scored before it (default 0)
set -euo pipefail
cd "$(dirname "$0")/.."
source experiments/pareto_script_helpers.sh

habitat="${1:-}"
case "$habitat" in
  standard)
    tasks=experiments/specs/habitats/standard_tasks.textproto
    final_tasks=experiments/specs/fashion_final_tasks.textproto
    ;;
  few_steps)
    tasks=experiments/specs/habitats/few_steps_tasks.textproto
    final_tasks=experiments/specs/habitats/few_steps_final_tasks.textproto
    ;;
  many_epochs)
    tasks=experiments/specs/habitats/many_epochs_tasks.textproto
    final_tasks=experiments/specs/habitats/many_epochs_final_tasks.textproto
    ;;
  *)
    echo "error: habitat must be standard, few_steps or many_epochs (got '$habitat')" >&2
    exit 1
    ;;
esac
shift
max_seconds="${HABITAT_MAX_SECONDS:-600}"
seed="${HABITAT_SEED:-1}"
output_dir="${HABITAT_OUTPUT_DIR:-/tmp/automl_habitat/$habitat}"
if ! [[ "$max_seconds" =~ ^[0-9]+([.][0-9]+)?$ ]] || [ "$max_seconds" = 0 ]; then
  echo "error: HABITAT_MAX_SECONDS must be a positive number of seconds (got '$max_seconds')" >&2
  exit 1
fi
if ! [[ "$seed" =~ ^[1-9][0-9]*$ ]]; then
  echo "error: HABITAT_SEED must be a positive integer (got '$seed')" >&2
  exit 1
fi

bash tests/install_deps.sh
bazel build --config=opt //experiments:run_search_experiment //experiments:evaluate_program
binary=bazel-out/k8-opt/bin/experiments/run_search_experiment
evaluate=bazel-out/k8-opt/bin/experiments/evaluate_program
start=experiments/baselines/two_layer_network.txt

# The spec as run: the benchmark's space and settings, with its task sections and the top-level
# fields the habitat's file sets replaced by the habitat's, then those HABITAT_SPACE sets.
mkdir -p "$output_dir"
spec="$output_dir/habitat_search.textproto"
cp experiments/specs/fashion_search.textproto "$spec"
replace_spec_sections HABITAT "$tasks" "$spec" final_tasks
replace_spec_sections HABITAT_SPACE "${HABITAT_SPACE:-}" "$spec"
append_objectives HABITAT_OBJECTIVES "${HABITAT_OBJECTIVES:-}" "$spec"
append_rotation HABITAT_ROTATE_EVERY "${HABITAT_ROTATE_EVERY:-}" "$spec"
set_search_tasks HABITAT_SEARCH_TASKS "${HABITAT_SEARCH_TASKS:-}" "$spec"
append_hurdle HABITAT_HURDLE_TASKS "${HABITAT_HURDLE_TASKS:-}" "$spec"
append_mutation_types HABITAT_EXTRA_MUTATIONS "${HABITAT_EXTRA_MUTATIONS:-}" "$spec"
scoring_flag="$(independent_predictions_flag HABITAT_INDEPENDENT_PREDICTIONS \
  "${HABITAT_INDEPENDENT_PREDICTIONS:-}" "$spec")"

"$binary" \
  --spec="$spec" \
  --final_spec="$final_tasks" \
  --seed_programs="$start" \
  --max_seconds="$max_seconds" \
  --threads=2 \
  --random_seed="$seed" \
  --output_dir="$output_dir" \
  "$@"

"$evaluate" --program="$start" --tasks="$final_tasks" --random_seed="$seed" \
  $scoring_flag >"$output_dir/start.txt"
evolved="$output_dir/best_algorithm.pb"
if [ -f "$output_dir/pareto.csv" ]; then
  recommended="$(recommended_member "$output_dir/pareto.csv" program)"
  evolved="$output_dir/$recommended"
  echo "evolved program: the front's recommended member, $recommended"
fi
"$evaluate" --program="$evolved" --tasks="$final_tasks" \
  --random_seed="$seed" $scoring_flag >"$output_dir/evolved.txt"
echo "habitat $habitat, seed $seed: the 2-layer network (start) against the evolved program"
/usr/bin/python3 experiments/compare_programs.py "$output_dir/start.txt" \
  "$output_dir/evolved.txt" | tee "$output_dir/comparison.txt"
