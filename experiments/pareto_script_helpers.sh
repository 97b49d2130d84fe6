# Shell functions shared by the experiment scripts that change a benchmark spec (sections and
# fields replaced, an `objectives` section, rotating search tasks, more search tasks with a
# hurdle, independent predictions, more mutation types) and read a front (run_fashion_search.sh,
# run_habitat_search.sh). Source it; it defines functions only.

# replace_spec_sections SETTING FILE SPEC [SECTION...]: replaces in SPEC every top-level section
# (`name {` ... `}` from column 0, or `name { ... }` on one line) and top-level field (`name:`
# at column 0, with the continuation lines of a `[...]` list) that FILE sets, and the named
# SECTIONs, by FILE's contents, appended; an empty FILE changes nothing. The spec files are
# written one top-level entry per line, as the shipped specs are.
replace_spec_sections() {
  local setting="$1" file="$2" spec="$3"
  shift 3
  [ -n "$file" ] || return 0
  if [ ! -f "$file" ]; then
    echo "error: $setting: no such file: $file" >&2
    exit 1
  fi
  local sections fields
  sections="$( (sed -n 's/^\([a-z_]*\) {.*/\1/p' "$file"; [ $# = 0 ] || printf '%s\n' "$@") |
    paste -sd'|')"
  fields="$(sed -n 's/^\([a-z_]*\):.*/\1/p' "$file" | paste -sd'|')"
  awk -v sections="^(${sections:-none}) [{]" -v fields="^(${fields:-none}):" '
    in_section { if (index($0, "}") == 1) in_section = 0; next }
    in_list { if (index($0, "]")) in_list = 0; next }
    $0 ~ sections { if ($0 ~ /[{][ \t]*$/) in_section = 1; next }
    $0 ~ fields { if (index($0, "[") && !index($0, "]")) in_list = 1; next }
    { print }' "$spec" >"$spec.replaced"
  cat "$file" >>"$spec.replaced"
  mv "$spec.replaced" "$spec"
}

# append_objectives SETTING FILE SPEC: appends FILE (an `objectives { ... }` section) to SPEC;
# an empty FILE appends nothing. SETTING names the environment variable in the error line.
append_objectives() {
  local setting="$1" file="$2" spec="$3"
  [ -n "$file" ] || return 0
  if [ ! -f "$file" ]; then
    echo "error: $setting: no such file: $file" >&2
    exit 1
  fi
  cat "$file" >>"$spec"
}

# is_count SETTING VALUE UNIT: false for an empty VALUE (the setting is not used); exits with
# one error line unless VALUE is a positive integer. SETTING names the environment variable.
is_count() {
  [ -n "$2" ] || return 1
  if ! [[ "$2" =~ ^[1-9][0-9]*$ ]]; then
    echo "error: $1 must be a positive number of $3 (got '$2')" >&2
    exit 1
  fi
}

# append_rotation SETTING VALUE SPEC: appends rotate_search_tasks_every_individuals: VALUE to
# SPEC (a spec that does not set it); an empty VALUE appends nothing.
append_rotation() {
  is_count "$1" "$2" individuals || return 0
  echo "rotate_search_tasks_every_individuals: $2" >>"$3"
}

# set_search_tasks SETTING COUNT SPEC: sets num_tasks of SPEC's search task specs (inside its
# top-level `search_tasks {` section) to COUNT; an empty COUNT changes nothing.
set_search_tasks() {
  is_count "$1" "$2" tasks || return 0
  sed -i "/^search_tasks {/,/^}/s/^\( *num_tasks:\) .*/\1 $2/" "$3"
}

# append_hurdle SETTING COUNT SPEC: appends a hurdle whose first stage is the first COUNT search
# tasks (the 75th percentile of the last 1000 candidates, the HurdleSpec defaults) to SPEC (a
# spec without a `hurdles` section); an empty COUNT appends nothing.
append_hurdle() {
  is_count "$1" "$2" tasks || return 0
  echo "hurdles { enabled: true num_first_stage_tasks: $2 }" >>"$3"
}

# append_mutation_types SETTING TYPES SPEC: appends one `mutation_types: TYPE` line per TYPE
# (space- or comma-separated MutationType names, e.g. "TUNE_CONSTANT INSERT_INITIALIZED_INPUT")
# to SPEC, which adds them to its list (repeated fields merge in text format); empty TYPES
# appends nothing. A name that is not of the form ENUM_NAME exits with one error line (an
# unknown name is the spec reader's error).
append_mutation_types() {
  local type
  for type in ${2//,/ }; do
    if ! [[ "$type" =~ ^[A-Z][A-Z_]*$ ]]; then
      echo "error: $1 must list mutation type names like TUNE_CONSTANT (got '$type')" >&2
      exit 1
    fi
    echo "mutation_types: $type" >>"$3"
  done
}

# independent_predictions_flag SETTING VALUE SPEC: for VALUE 1, appends
# independent_predictions: true to SPEC (every scored example starts from the memory training
# left) and prints evaluate_program's flag for the same protocol, --independent_predictions; an
# empty VALUE or 0 changes nothing and prints nothing; anything else exits with one error line.
independent_predictions_flag() {
  case "$2" in
    "" | 0) return 0 ;;
    1)
      echo "independent_predictions: true" >>"$3"
      echo "--independent_predictions"
      ;;
    *)
      echo "error: $1 must be 0 or 1 (got '$2')" >&2
      exit 1
      ;;
  esac
}

# recommended_member PARETO_CSV COLUMN...: prints the recommended member's values of the named
# pareto.csv columns, separated by spaces (e.g. `program final_test_quality`).
recommended_member() {
  local csv="$1"
  shift
  awk -F, -v wanted="$*" '
    NR == 1 {
      for (i = 1; i <= NF; ++i) column[$i] = i
      count = split(wanted, names, " ")
      for (k = 1; k <= count; ++k)
        if (!(names[k] in column)) { print "error: " FILENAME ": no column " names[k] > "/dev/stderr"; exit 1 }
      next
    }
    $column["recommended"] == 1 {
      line = ""
      for (k = 1; k <= count; ++k) line = line (k > 1 ? " " : "") $column[names[k]]
      print line
    }' "$csv"
}
