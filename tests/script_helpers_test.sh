#!/usr/bin/env bash
# experiments/pareto_script_helpers.sh, the spec edits the experiment scripts make: sections and
# fields replaced by a file's, the number of search tasks (only in the search section), a hurdle,
# rotating search tasks, independent predictions and mutation types appended, one error line for
# a bad value; the edited spec runs, and its hurdle cuts candidates.
# Usage (Bazel passes it): script_helpers_test.sh RUN_SEARCH_EXPERIMENT HELPERS
set -uo pipefail

binary="${1:?usage: $0 RUN_SEARCH_EXPERIMENT HELPERS}"
helpers="${2:?usage: $0 RUN_SEARCH_EXPERIMENT HELPERS}"

source "$(dirname "${BASH_SOURCE[0]}")/shell_test_lib.sh"
source "$helpers"

# replace_spec_sections: multi-line and one-line sections, fields and lists that the file sets,
# and the named sections, go; the rest stays in order; the file's contents are appended.
base="$work/base.textproto"
cat >"$base" <<'SPEC'
search_tasks {
  tasks {
    num_tasks: 2
  }
}
setup {
  ops: ["SCALAR_SUM",
        "SCALAR_DIFF"]
  max_size: 7
}
fec { num_train_examples: 10 }
num_scalars: 5
mutation_types: [ALTER_PARAM,
                 INSERT_INSTRUCTION]
population_size: 100
num_vectors: 8
SPEC
replacement="$work/replacement.textproto"
cat >"$replacement" <<'SPEC'
# A comment stays with the file.
setup {
  max_size: 14
}
fec { num_train_examples: 20 }
num_scalars: 8
mutation_types: [IDENTITY]
SPEC
replace_spec_sections SETTING "$replacement" "$base" search_tasks
check "sections, fields and the named section replaced: $(tr '\n' ' ' <"$base")" \
  test "$(cat "$base")" = "$(printf 'population_size: 100\nnum_vectors: 8\n'; cat "$replacement")"
cp "$base" "$work/before.textproto"
replace_spec_sections SETTING "" "$base" population_size
check "an empty file changes nothing" cmp -s "$base" "$work/before.textproto"
rejects replace_spec_sections_missing "error: SETTING: no such file: $work/missing" \
  bash -c "source '$helpers'; replace_spec_sections SETTING '$work/missing' '$base'"

# The tiny search with its task sections written out one field per line, as the shipped specs
# are (the helpers edit lines, not the proto).
spec="$work/spec.textproto"
tasks_section() {
  printf '%s {\n  tasks {\n    scrambled_linear_regression {}\n    feature_size: 4\n' "$1"
  printf '    num_train_examples: 10\n    num_valid_examples: 10\n    num_tasks: 2\n  }\n}\n'
}
{
  tasks_section search_tasks
  tasks_section select_tasks
  tasks_section final_tasks
  tiny_search_spec | awk '/^(search|select|final)_tasks/ { skip = 1 } !skip { print }
                          skip && /} }$/ { skip = 0 }'
  echo "max_individuals: 6000"
} >"$spec"
section_tasks() { sed -n "/^$1 {/,/^}/s/^ *num_tasks: //p" "$spec"; }

set_search_tasks SETTING 5 "$spec"
check "search tasks set to 5: $(section_tasks search_tasks)" test "$(section_tasks search_tasks)" = 5
check "select tasks unchanged: $(section_tasks select_tasks)" test "$(section_tasks select_tasks)" = 2
check "final tasks unchanged" test "$(section_tasks final_tasks)" = 2
set_search_tasks SETTING "" "$spec"
check "an empty count changes nothing" test "$(section_tasks search_tasks)" = 5
append_hurdle SETTING 1 "$spec"
check "hurdle appended" grep -qx "hurdles { enabled: true num_first_stage_tasks: 1 }" "$spec"
append_rotation SETTING 3000 "$spec"
check "rotation appended" grep -qx "rotate_search_tasks_every_individuals: 3000" "$spec"

flag="$(independent_predictions_flag SETTING "" "$spec")"
check "no independent predictions: no flag '$flag'" test -z "$flag"
check "no independent predictions: nothing appended" \
  bash -c "! grep -q independent_predictions '$spec'"
flag="$(independent_predictions_flag SETTING 1 "$spec")"
check "independent predictions: the flag '$flag'" test "$flag" = --independent_predictions
check "independent predictions appended" grep -qx "independent_predictions: true" "$spec"
for value in 2 yes true; do
  rejects "independent_predictions_$value" "error: SETTING must be 0 or 1 (got '$value')" \
    bash -c "source '$helpers'; independent_predictions_flag SETTING '$value' /dev/null"
done

lines_before="$(wc -l <"$spec")"
append_mutation_types SETTING "" "$spec"
check "no mutation types: nothing appended" test "$(wc -l <"$spec")" = "$lines_before"
append_mutation_types SETTING "TUNE_CONSTANT, INSERT_INITIALIZED_INPUT" "$spec"
check "mutation types appended" \
  test "$(grep -c -x -e 'mutation_types: TUNE_CONSTANT' -e 'mutation_types: INSERT_INITIALIZED_INPUT' "$spec")" = 2
for value in tune_constant "TUNE-CONSTANT" "1"; do
  rejects "append_mutation_types_$value" "error: SETTING must list mutation type names" \
    bash -c "source '$helpers'; append_mutation_types SETTING '$value' /dev/null"
done

for helper in set_search_tasks append_hurdle append_rotation; do
  for value in 0 -3 abc 2.5; do
    rejects "${helper}_$value" "error: SETTING must be a positive number" \
      bash -c "source '$helpers'; $helper SETTING '$value' '$work/scratch.textproto'"
  done
done

# The edited spec is one the search accepts, and the hurdle works: once 100 candidates
# (min_samples; FEC hits do not count, and each rotation restarts the window) reached it, it
# cuts some.
run edited --spec="$spec" --random_seed=1 --output_dir="$work/out"
check "the edited spec runs: rc $(rc_of edited) $(head -c 300 "$work/edited.err")" \
  test "$(rc_of edited)" = 0
cut_rate="$(tail -n 1 "$work/out/progress.csv" | cut -d, -f8)"
check "the hurdle cut candidates: cut rate $cut_rate" awk -v r="$cut_rate" 'BEGIN { exit !(r > 0) }'

finish script_helpers_test
