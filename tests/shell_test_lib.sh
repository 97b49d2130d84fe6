# Sourced by the shell tests that count their checks: `work` (Bazel's TEST_TMPDIR, or a fresh
# directory by hand), pass/fail counters, and `finish`, whose status ends the test; helpers
# to run the search binary and to read its progress.csv.
work="${TEST_TMPDIR:-$(mktemp -d)}"
passed=0
failed=0
fail() {
  echo "FAIL: $*"
  failed=$((failed + 1))
}
pass() { passed=$((passed + 1)); }
# finish NAME: prints "NAME: P passed, F failed"; fails when any check failed.
finish() {
  echo "$1: ${passed} passed, ${failed} failed"
  [ "$failed" -eq 0 ]
}

# check DESCRIPTION COMMAND...: passes if the command succeeds.
check() {
  local description="$1"
  shift
  if "$@"; then pass; else fail "$description"; fi
}

# run NAME ARGS...: runs "$binary", keeping stdout, stderr and the exit code in $work/NAME.*.
run() {
  local name="$1"
  shift
  "$binary" "$@" >"$work/$name.out" 2>"$work/$name.err"
  echo $? >"$work/$name.rc"
}
rc_of() { cat "$work/$1.rc"; }

# wait_for SECONDS COMMAND...: polls every 0.1 s until the command succeeds.
wait_for() {
  local tries=$(($1 * 10))
  shift
  for _ in $(seq "$tries"); do
    "$@" 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

# About progress.csv: it has at least two rows; its indivs column strictly increases (no row
# twice after a resume, no rows of two runs interleaved); the last row's indivs.
has_progress() { [ "$(wc -l <"$1")" -ge 3 ]; }
increasing() { tail -n +2 "$1" | awk -F, 'NR > 1 && $2 <= last { bad = 1 } { last = $2 } END { exit bad }'; }
last_indivs() { tail -n 1 "$1" | cut -d, -f2; }

# tiny_search_spec: prints a spec for a search of a few hundred individuals (well under a
# second even at -O0), without stopping limit or islands; tests append what they vary.
tiny_search_spec() {
  cat <<'SPEC'
search_tasks { tasks { scrambled_linear_regression {} feature_size: 4 num_train_examples: 10
  num_valid_examples: 10 num_tasks: 2 data_seeds: 1 param_seeds: 1 } }
select_tasks { tasks { scrambled_linear_regression {} feature_size: 4 num_train_examples: 10
  num_valid_examples: 10 num_tasks: 2 } }
final_tasks { tasks { scrambled_linear_regression {} feature_size: 4 num_train_examples: 10
  num_valid_examples: 10 num_tasks: 2 data_seeds: 50 param_seeds: 50 } }
setup { ops: ["SCALAR_CONST_SET"] initial_size: 1 }
predict { ops: ["VECTOR_INNER_PRODUCT", "SCALAR_PRODUCT"] initial_size: 1 }
learn { ops: ["SCALAR_DIFF", "SCALAR_PRODUCT", "SCALAR_VECTOR_PRODUCT", "VECTOR_SUM"]
  initial_size: 4 min_size: 2 max_size: 6 }
num_scalars: 4
num_vectors: 3
num_matrices: 0
initial_population: RANDOM_PROGRAMS
population_size: 20
tournament_size: 4
mutate_prob: 0.9
mutation_types: [ALTER_PARAM, RANDOMIZE_INSTRUCTION, INSERT_INSTRUCTION, REMOVE_INSTRUCTION]
SPEC
}
