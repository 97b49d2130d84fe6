#!/usr/bin/env bash
# Bad inputs a user can give the real binaries (docs/bad-inputs.md has the table): each must end
# with one error line naming what is wrong and a non-zero exit, never run on with a silent
# default. Covers run_search_experiment, evaluate_program and, for errors every rank finds,
# run_search_experiment_mpi (one line, no MPI_ABORT banner).
#   tests/bad_inputs_test.sh SEARCH_BINARY EVALUATE_BINARY MPI_BINARY
set -uo pipefail

search="${1:?usage: $0 SEARCH_BINARY EVALUATE_BINARY MPI_BINARY}"
evaluate="${2:?usage: $0 SEARCH_BINARY EVALUATE_BINARY MPI_BINARY}"
mpi="${3:?usage: $0 SEARCH_BINARY EVALUATE_BINARY MPI_BINARY}"

source "$(dirname "${BASH_SOURCE[0]}")/shell_test_lib.sh"

spec="$work/spec.textproto"
{ tiny_search_spec; echo "max_individuals: 100"; } >"$spec"
tasks="$work/tasks.textproto"
echo 'tasks { scrambled_linear_regression {} feature_size: 4 num_train_examples: 10
  num_valid_examples: 10 num_tasks: 2 }' >"$tasks"
printf 'def Predict():\n  s1 = 0.5\n' >"$work/ok.txt"

# --- Flags and the command line of the search ---
rejects max_seconds_inf "--max_seconds must be a finite number" "$search" --spec="$spec" --max_seconds=inf
rejects max_seconds_nan "--max_seconds must be a finite number" "$search" --spec="$spec" --max_seconds=nan
rejects sufficient_nan "--sufficient_fitness is NaN" "$search" --spec="$spec" --sufficient_fitness=nan
rejects force_without_resume "--force_spec_change only applies with --resume" "$search" --spec="$spec" --force_spec_change
rejects empty_output_dir "--output_dir is empty" "$search" --spec="$spec" --output_dir=
rejects stray_argument "unexpected argument 'stray.textproto'" "$search" --spec="$spec" stray.textproto

# --- The spec ---
{ tiny_search_spec; echo "max_seconds: inf"; } >"$work/spec_inf.textproto"
rejects spec_max_seconds_inf "max_seconds must be a positive finite number" "$search" --spec="$work/spec_inf.textproto"
sed 's/ops: \["SCALAR_CONST_SET"\]/ops: ["SCALAR_CONST_SET", "SCALAR_CONST_SET"]/' "$spec" >"$work/spec_dup.textproto"
rejects duplicate_op "setup.ops: SCALAR_CONST_SET is listed twice" "$search" --spec="$work/spec_dup.textproto"
sed 's/data_seeds: 1 param_seeds: 1/data_seeds: 18446744073709551615 param_seeds: 1/' "$spec" >"$work/spec_seed.textproto"
rejects seed_wraps "data_seeds: the last seed 18446744073709551615 + 1 more tasks goes beyond 2^64 - 1" "$search" --spec="$work/spec_seed.textproto"
{ printf 'population_size: '; head -c 100000 /dev/zero | tr '\0' a; echo; } >"$work/spec_long.textproto"
rejects spec_long_token "... (100023 bytes)" "$search" --spec="$work/spec_long.textproto"
check "the long token's error is short" [ "$(wc -c <"$work/spec_long_token.err")" -lt $((${#work} + 250)) ]
# A byte order mark is skipped, as in CSV files.
{ printf '\xef\xbb\xbf'; cat "$spec"; } >"$work/spec_bom.textproto"
binary="$search"
run spec_bom --spec="$work/spec_bom.textproto" --random_seed=1
check "a spec with a byte order mark runs: $(cat "$work/spec_bom.err")" [ "$(rc_of spec_bom)" -eq 0 ]

# --- Output files ---
mkdir -p "$work/out_dir/summary.json"
rejects summary_is_directory "cannot write $work/out_dir/summary.json: Is a directory" "$search" --spec="$spec" --output_dir="$work/out_dir"
check "the unwritable output is found before the search" \
  [ "$(grep -c 'random_seed=' "$work/summary_is_directory.out")" -le 1 -a ! -s "$work/out_dir/best_algorithm.txt" ]

# --- Programs (evaluate_program and --seed_programs) ---
printf 'def Setup():\n  s99 = 0.5\n' >"$work/s99.txt"
rejects register_out_of_range "$work/s99.txt: Setup line 1: address s99 out of range (32 scalar registers)" \
  "$evaluate" --program="$work/s99.txt" --tasks="$tasks"
: >"$work/empty.txt"
rejects empty_text_program "$work/empty.txt: no program (the file is empty or only comments)" \
  "$evaluate" --program="$work/empty.txt" --tasks="$tasks"
printf '# only a comment\n\n' >"$work/comment.txt"
rejects comment_only_program "$work/comment.txt: no program" "$evaluate" --program="$work/comment.txt" --tasks="$tasks"
: >"$work/empty.pb"
rejects empty_pb "$work/empty.pb: empty file, not a program" "$evaluate" --program="$work/empty.pb" --tasks="$tasks"
rejects empty_pb_seed "$work/empty.pb: empty file, not a program" "$search" --spec="$spec" --seed_programs="$work/empty.pb"
printf '\x0a\x02\x08\xc8' >"$work/flipped.pb"
rejects flipped_pb "$work/flipped.pb: not a valid program proto" "$evaluate" --program="$work/flipped.pb" --tasks="$tasks"
rejects negative_scalars "--num_scalars and --num_vectors must be >= 0" \
  "$evaluate" --program="$work/ok.txt" --tasks="$tasks" --num_scalars=-4
rejects evaluate_stray "unexpected argument 'extra'" "$evaluate" --program="$work/ok.txt" --tasks="$tasks" extra
# A 500k-character line and binary bytes are quoted short and escaped.
{ echo 'def Setup():'; printf '  s1 = '; head -c 500000 /dev/zero | tr '\0' x; echo; } >"$work/long.txt"
rejects long_line "... (500005 bytes)" "$evaluate" --program="$work/long.txt" --tasks="$tasks"
check "the long line's error is short" [ "$(wc -c <"$work/long_line.err")" -lt $((${#work} + 250)) ]
printf 'def Setup():\n  s1 = \x01\x02\xff\n' >"$work/binary.txt"
rejects binary_line '\x01\x02\xff' "$evaluate" --program="$work/binary.txt" --tasks="$tasks"
printf '\xef\xbb\xbfdef Predict():\n  s1 = 0.5\n' >"$work/bom.txt"
binary="$evaluate"
run program_bom --program="$work/bom.txt" --tasks="$tasks"
check "a program with a byte order mark runs: $(cat "$work/program_bom.err")" [ "$(rc_of program_bom)" -eq 0 ]

# --- Data files ---
# CSV classification labels NaN or inf are errors, as in every numeric column.
for bad in NaN inf; do
  printf 'x,y\n1,1\n2,%s\n3,1\n4,%s\n' "$bad" "$bad" >"$work/labels_$bad.csv"
  echo "tasks { csv { path: '$work/labels_$bad.csv' label_column: 'y' kind: BINARY_CLASSIFICATION
    reduction: FIRST_COLUMNS } feature_size: 1 num_train_examples: 2 num_valid_examples: 1
    num_tasks: 1 eval_type: ACCURACY }" >"$work/csv_$bad.textproto"
  rejects "csv_label_$bad" "labels_$bad.csv: row 3, column \"y\"" \
    "$evaluate" --program="$work/ok.txt" --tasks="$work/csv_$bad.textproto"
done
# IDX labels outside 0..9: four 2x2 images, labels 0 1 12 3 in the training file.
idx="$work/idx"
mkdir -p "$idx"
for split in train t10k; do
  { printf '\x00\x00\x08\x03\x00\x00\x00\x04\x00\x00\x00\x02\x00\x00\x00\x02'; head -c 16 /dev/zero; } \
    >"$idx/$split-images-idx3-ubyte"
done
printf '\x00\x00\x08\x01\x00\x00\x00\x04\x00\x01\x0c\x03' >"$idx/train-labels-idx1-ubyte"
printf '\x00\x00\x08\x01\x00\x00\x00\x04\x00\x01\x02\x03' >"$idx/t10k-labels-idx1-ubyte"
echo "tasks { projected_binary_classification { dataset: IDX data_dir: '$idx' } feature_size: 2
  num_train_examples: 1 num_valid_examples: 1 num_tasks: 1 eval_type: ACCURACY }" >"$work/idx.textproto"
rejects idx_label "$idx/train-labels-idx1-ubyte: label 2 is 12 (IDX labels are 0..9)" \
  "$evaluate" --program="$work/ok.txt" --tasks="$work/idx.textproto"

# --- MPI: an error every rank finds is one line and exit 1 on every rank, without MPI_Abort
# (whose banner follows the line otherwise). mpirun itself still notes a non-zero exit unless
# run with -q, which then leaves the error line alone.
export TMPDIR=/tmp OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
mpirun_flags=(--allow-run-as-root --oversubscribe --bind-to none -np 2)
rejects mpi_spec "error: $work/spec_dup.textproto: setup.ops: SCALAR_CONST_SET is listed twice" \
  mpirun "${mpirun_flags[@]}" -q "$mpi" --spec="$work/spec_dup.textproto" --islands=2
rejects mpi_stray "error: unexpected argument 'stray'" mpirun "${mpirun_flags[@]}" -q "$mpi" \
  --spec="$spec" --islands=2 stray
rejects mpi_output "cannot write $work/out_dir/summary.json: Is a directory" \
  mpirun "${mpirun_flags[@]}" -q "$mpi" --spec="$spec" \
  --islands=2 --output_dir="$work/out_dir"
# Without -q: the error line first, and no MPI_ABORT.
mpirun "${mpirun_flags[@]}" "$mpi" --spec="$work/spec_dup.textproto" --islands=2 \
  >"$work/mpi_banner.out" 2>"$work/mpi_banner.err"
if head -n 1 "$work/mpi_banner.err" | grep -qF "error: $work/spec_dup.textproto" &&
  ! grep -q "MPI_ABORT" "$work/mpi_banner.err"; then
  pass
else
  fail "mpi without -q: $(cat "$work/mpi_banner.err")"
fi

finish bad_inputs_test
