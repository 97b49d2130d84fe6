#!/usr/bin/env bash
# Tests of the run_search_experiment binary as a user meets it: bad input (no spec, a missing
# file, a malformed or invalid spec, a bad flag or output directory) exits non-zero with one
# error line naming the problem; a good tiny spec exits 0, prints final_fitness= and the best
# program, and writes progress.csv, best_algorithm.txt/.pb and summary.json.
# Bazel runs it with the binary in its runfiles; by hand:
#   tests/run_search_experiment_test.sh bazel-bin/experiments/run_search_experiment
set -uo pipefail

binary="${1:-${TEST_SRCDIR:-}/automl_engine/experiments/run_search_experiment}"
[ -x "$binary" ] || { echo "FAIL: no binary at $binary"; exit 1; }

source "$(dirname "${BASH_SOURCE[0]}")/shell_test_lib.sh"

# expect_error NAME SUBSTRING...: the run failed with exactly one stderr line holding each
# substring.
expect_error() {
  local name="$1"
  shift
  local rc lines
  rc="$(cat "$work/$name.rc")"
  lines="$(wc -l <"$work/$name.err")"
  if [ "$rc" -eq 0 ]; then
    fail "$name: exit code 0, expected an error"
    return
  fi
  if [ "$lines" -ne 1 ]; then
    fail "$name: expected one error line, got $lines:"
    cat "$work/$name.err"
    return
  fi
  for substring in "$@"; do
    if ! grep -qF -- "$substring" "$work/$name.err"; then
      fail "$name: error line does not mention '$substring': $(cat "$work/$name.err")"
      return
    fi
  done
  pass
}

# A search of a few hundred individuals: well under a second even at -O0.
write_good_spec() {
  {
    tiny_search_spec
    cat <<'EOF'
max_individuals: 300
progress_every_individuals: 100
EOF
  } >"$1"
}

good="$work/good.textproto"
write_good_spec "$good"

# --- Bad input ---

run no_spec
expect_error no_spec "--spec"

run missing_file --spec="$work/does_not_exist.textproto"
expect_error missing_file "$work/does_not_exist.textproto"

{ cat "$good"; echo "populaton_size: 30"; } >"$work/unknown_field.textproto"
run unknown_field --spec="$work/unknown_field.textproto"
expect_error unknown_field "unknown_field.textproto" "populaton_size" \
  "line $(($(wc -l <"$good") + 1)):"

sed 's/^initial_population: RANDOM_PROGRAMS$/initial_population: RANDOM/' "$good" \
  >"$work/bad_enum.textproto"
run bad_enum --spec="$work/bad_enum.textproto"
expect_error bad_enum "RANDOM"

printf 'num_scalars: 4\nsetup {\n' >"$work/truncated.textproto"
run truncated --spec="$work/truncated.textproto"
expect_error truncated "truncated.textproto" "line"

sed 's/^tournament_size: 4$/tournament_size: 50/' "$good" >"$work/big_tournament.textproto"
run big_tournament --spec="$work/big_tournament.textproto"
expect_error big_tournament "big_tournament.textproto" "tournament_size (50)" "population_size (20)"

sed 's/^max_individuals: 300$//' "$good" >"$work/no_limit.textproto"
run no_limit --spec="$work/no_limit.textproto"
expect_error no_limit "max_individuals"

sed 's/^learn { ops: \[/learn { ops: ["MATRIX_VECTOR_PRODUCT", /' "$good" >"$work/matrix_op.textproto"
run matrix_op --spec="$work/matrix_op.textproto"
expect_error matrix_op "learn.ops" "MATRIX_VECTOR_PRODUCT" "num_matrices"

sed 's/feature_size: 4/feature_size: 3/g' "$good" >"$work/feature_size.textproto"
run feature_size --spec="$work/feature_size.textproto"
expect_error feature_size "feature" "3"

run missing_select --spec="$good" --select_spec="$work/no_select.textproto"
expect_error missing_select "$work/no_select.textproto"

run bad_experiments --spec="$good" --max_experiments=0
expect_error bad_experiments "--max_experiments"

touch "$work/a_file"
run bad_output_dir --spec="$good" --random_seed=3 --output_dir="$work/a_file/out"
expect_error bad_output_dir "$work/a_file/out"

run unknown_flag --spec="$good" --no_such_flag=1
if [ "$(cat "$work/unknown_flag.rc")" -ne 0 ] && grep -q "no_such_flag" "$work/unknown_flag.err"; then
  pass
else
  fail "unknown_flag: rc $(cat "$work/unknown_flag.rc"): $(cat "$work/unknown_flag.err")"
fi

# --- A good run ---

out="$work/out"
run good --spec="$good" --random_seed=7 --output_dir="$out"
rc="$(cat "$work/good.rc")"
if [ "$rc" -ne 0 ]; then
  fail "good: exit code $rc: $(cat "$work/good.err")"
else
  pass
  stdout="$work/good.out"
  grep -qx "random_seed=7" "$stdout" && pass || fail "good: no random_seed=7 line"
  if grep -qE '^final_fitness=(0|1|0\.[0-9]+|[0-9.]+e-[0-9]+)$' "$stdout"; then
    pass
  else
    fail "good: no final_fitness=<number> line in: $(cat "$stdout")"
  fi
  for file in progress.csv best_algorithm.txt best_algorithm.pb summary.json; do
    [ -s "$out/$file" ] && pass || fail "good: $out/$file missing or empty"
  done

  # progress.csv: the header, then a row at 100, 200 and 300 individuals.
  header="$(head -n 1 "$out/progress.csv")"
  case "$header" in
    experiment,indivs,elapsed_secs,indivs_per_sec,best_fitness,mean_fitness,fec_hit_rate,hurdle_cut_rate,train_steps*)
      pass ;;
    *) fail "good: progress.csv header is '$header'" ;;
  esac
  rows="$(tail -n +2 "$out/progress.csv" | cut -d, -f2 | tr '\n' ' ')"
  [ "$rows" = "100 200 300 " ] && pass || fail "good: progress.csv indivs column is '$rows'"
  columns="$(head -n 1 "$out/progress.csv" | tr ',' '\n' | wc -l)"
  if awk -F, -v n="$columns" 'NF != n { bad = 1 } END { exit bad }' "$out/progress.csv"; then
    pass
  else
    fail "good: progress.csv rows do not all have $columns columns"
  fi

  # best_algorithm.txt is the program printed on stdout, from "def Setup():" to the live line.
  printed_program "$stdout" >"$work/printed_program.txt"
  if [ -s "$work/printed_program.txt" ] && cmp -s "$work/printed_program.txt" \
    "$out/best_algorithm.txt"; then
    pass
  else
    fail "good: best_algorithm.txt differs from the printed program"
    diff "$work/printed_program.txt" "$out/best_algorithm.txt"
  fi
  # After it, "live instructions: N of M" and the simplified program, which is
  # best_algorithm_simplified.txt: parseable (a warm start reads it) and no longer.
  raw_size="$(grep -c '^  ' "$out/best_algorithm.txt")"
  if grep -qE "^live instructions: [0-9]+ of $raw_size; simplified:\$" "$stdout"; then
    pass
  else
    fail "good: no 'live instructions: N of $raw_size' line: $(grep '^live' "$stdout")"
  fi
  sed -n '/^live instructions: /,/^outputs written to /p' "$stdout" |
    sed '1d;$d' >"$work/printed_simplified.txt"
  simplified="$out/best_algorithm_simplified.txt"
  if [ -s "$simplified" ] && cmp -s "$work/printed_simplified.txt" "$simplified"; then
    pass
  else
    fail "good: best_algorithm_simplified.txt missing or differs from the printed one"
  fi
  [ "$(wc -l <"$simplified")" -le "$(wc -l <"$out/best_algorithm.txt")" ] && pass ||
    fail "good: the simplified program is longer than the raw one"
  run warm_from_simplified --spec="$good" --random_seed=7 --seed_programs="$simplified"
  [ "$(rc_of warm_from_simplified)" -eq 0 ] && pass ||
    fail "good: best_algorithm_simplified.txt does not parse: $(cat "$work/warm_from_simplified.err")"
  for function in "def Setup():" "def Predict():" "def Learn():"; do
    grep -qxF "$function" "$out/best_algorithm.txt" && pass ||
      fail "good: best_algorithm.txt has no '$function'"
  done

  # summary.json: the documented keys, and the values this run had.
  for key in random_seed spec_path final_fitness best_experiment best_select_fitness \
    individuals seconds experiments; do
    grep -q "\"$key\": " "$out/summary.json" && pass || fail "good: summary.json has no $key"
  done
  grep -q '"random_seed": 7,' "$out/summary.json" && pass || fail "good: summary.json seed"
  grep -q '"individuals": 300,' "$out/summary.json" && pass ||
    fail "good: summary.json individuals"
  grep -qF "\"spec_path\": \"$good\"" "$out/summary.json" && pass ||
    fail "good: summary.json spec_path"
  final_stdout="$(sed -n 's/^final_fitness=//p' "$stdout")"
  final_json="$(sed -n 's/^  "final_fitness": \(.*\),$/\1/p' "$out/summary.json")"
  if awk -v a="$final_stdout" -v b="$final_json" \
    'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d < 1e-5) }'; then
    pass
  else
    fail "good: final_fitness $final_stdout on stdout but $final_json in summary.json"
  fi
  if command -v python3 >/dev/null; then
    python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$out/summary.json" && pass ||
      fail "good: summary.json is not valid JSON"
  fi

  # The same seed gives the same program; the output directory is overwritten.
  run again --spec="$good" --random_seed=7 --output_dir="$out"
  if [ "$(cat "$work/again.rc")" -eq 0 ] && cmp -s "$work/printed_program.txt" \
    "$out/best_algorithm.txt"; then
    pass
  else
    fail "again: a second run with seed 7 found a different program or failed"
  fi
  [ "$(wc -l <"$out/progress.csv")" -eq 4 ] && pass ||
    fail "again: progress.csv was appended to instead of rewritten"
fi

finish run_search_experiment_test
