#!/usr/bin/env bash
# Final accuracy against individuals: scores every program of a run's discoveries.txt (each new
# best on T_search, with the individuals it took) on a TaskCollection, usually the final tasks,
# and prints one CSV row per discovery. A curve of how much a longer search would buy.
#
# Usage: experiments/score_discoveries.sh RUN_DIR TASKS [RANDOM_SEED]
#   RUN_DIR      a search's --output_dir (its discoveries.txt)
#   TASKS        a TaskCollection file, e.g. experiments/specs/fashion_final_tasks.textproto
#   RANDOM_SEED  the run's --random_seed (default 1), which seeds random ops as in the run
# Output: experiment,individuals,search_fitness,valid,test (the means over TASKS). Needs the
# opt build of evaluate_program (bazel build --config=opt //experiments:evaluate_program).
set -euo pipefail
cd "$(dirname "$0")/.."

run_dir="${1:?usage: $0 RUN_DIR TASKS [RANDOM_SEED]}"
tasks="${2:?usage: $0 RUN_DIR TASKS [RANDOM_SEED]}"
seed="${3:-1}"
evaluate=bazel-out/k8-opt/bin/experiments/evaluate_program
discoveries="$run_dir/discoveries.txt"
for file in "$discoveries" "$tasks" "$evaluate"; do
  if [ ! -f "$file" ]; then
    echo "error: no such file: $file" >&2
    exit 1
  fi
done

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# One file per discovery, its header line kept apart.
awk -v dir="$work" '
  /^# discovery / { ++n; file = sprintf("%s/%05d.txt", dir, n); print > (file ".header"); next }
  n > 0 { print > file }' "$discoveries"
shopt -s nullglob
programs=("$work"/*.txt)
if [ "${#programs[@]}" -eq 0 ]; then
  echo "error: $discoveries holds no '# discovery' programs" >&2
  exit 1
fi

echo "experiment,individuals,search_fitness,valid,test"
for program in "${programs[@]}"; do
  header="$(cat "$program.header")"
  field() { grep -oE " $1=[^ ]+" <<<"$header" | cut -d= -f2; }
  scores="$("$evaluate" --program="$program" --tasks="$tasks" --random_seed="$seed" \
    --per_task=false)"
  valid="$(sed -n 's/^mean_valid_fitness=//p' <<<"$scores")"
  test="$(sed -n 's/^mean_test_fitness=//p' <<<"$scores")"
  echo "$(field experiment),$(field individuals),$(field fitness),$valid,$test"
done
