#!/usr/bin/env bash
# Integration test of run_search_experiment_mpi: 2 MPI ranks x 2 islands must give exactly the
# result of 1 process x 4 islands (progress values, best program, final fitness; in PARETO mode
# also the front in pareto.csv), migrants must cross ranks, only rank 0 may write an output directory, and a rank that fails or dies must
# stop the whole run instead of leaving the others waiting.
# Usage (Bazel passes these): mpi_search_test.sh THREADED_BINARY MPI_BINARY
set -euo pipefail

threaded="$1"
mpi="$2"
work="${TEST_TMPDIR:-$(mktemp -d)}"
# Open MPI puts its session sockets under TMPDIR; Bazel's long test paths can exceed the
# 108-byte socket path limit.
export TMPDIR=/tmp
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
mpirun_flags=(--allow-run-as-root --oversubscribe --bind-to none)

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

write_spec() {  # write_spec PATH STOPPING_LIMIT
  cat >"$1" <<EOF
search_tasks { tasks { scrambled_linear_regression {} feature_size: 4 num_train_examples: 20
  num_valid_examples: 20 num_tasks: 2 data_seeds: 11 param_seeds: 11 } }
select_tasks { tasks { scrambled_linear_regression {} feature_size: 4 num_train_examples: 20
  num_valid_examples: 20 num_tasks: 2 } }
final_tasks { tasks { scrambled_linear_regression {} feature_size: 4 num_train_examples: 20
  num_valid_examples: 20 num_tasks: 2 data_seeds: 99 param_seeds: 99 } }
setup { ops: ["SCALAR_CONST_SET", "VECTOR_INNER_PRODUCT", "SCALAR_DIFF", "SCALAR_PRODUCT",
  "SCALAR_VECTOR_PRODUCT", "VECTOR_SUM"] initial_size: 4 }
predict { ops: ["SCALAR_CONST_SET", "VECTOR_INNER_PRODUCT", "SCALAR_DIFF", "SCALAR_PRODUCT",
  "SCALAR_VECTOR_PRODUCT", "VECTOR_SUM"] initial_size: 2 }
learn { ops: ["SCALAR_CONST_SET", "VECTOR_INNER_PRODUCT", "SCALAR_DIFF", "SCALAR_PRODUCT",
  "SCALAR_VECTOR_PRODUCT", "VECTOR_SUM"] initial_size: 4 }
num_scalars: 4 num_vectors: 3 num_matrices: 0
initial_population: RANDOM_PROGRAMS population_size: 20 tournament_size: 4 mutate_prob: 0.9
mutation_types: [ALTER_PARAM, RANDOMIZE_INSTRUCTION, RANDOMIZE_FUNCTION]
fec { num_train_examples: 5 num_valid_examples: 5 cache_size: 1000 }
migration { every_individuals: 50 num_emigrants: 2 topology: RING }
progress_every_individuals: 200
$2
EOF
}

# The run's reproducible content: progress lines without wall-clock fields and without
# remote_migrations (which a single process does not have), the experiment line's fitness
# values, the final fitness and the program.
comparable() {
  grep -v '^mpi_traffic' "$1" | grep -v '^outputs written' |
    sed -E 's/ elapsed_secs=[^ ]+ indivs_per_sec=[^ ]+//; s/ remote_migrations=[0-9]+//; s/ secs=.*//'
}

spec="$work/spec.textproto"
write_spec "$spec" "max_individuals: 2000"

echo "--- 1 process x 4 islands"
"$threaded" --spec="$spec" --random_seed=5 --islands=4 --threads=2 \
  --output_dir="$work/threaded" >"$work/threaded.txt"
echo "--- 2 ranks x 2 islands"
# Rank 1 gets its own --output_dir (MPMD syntax), which it must leave alone.
common=(--spec="$spec" --random_seed=5 --islands=4)
mpirun "${mpirun_flags[@]}" -np 1 "$mpi" "${common[@]}" --output_dir="$work/mpi" \
  : -np 1 "$mpi" "${common[@]}" --output_dir="$work/mpi_rank1" \
  >"$work/mpi.txt" 2>"$work/mpi.err" ||
  { cat "$work/mpi.err" >&2; fail "mpirun failed"; }
cat "$work/mpi.txt"

if ! diff <(comparable "$work/threaded.txt") <(comparable "$work/mpi.txt"); then
  fail "the MPI run differs from the threaded run with the same seed and island count"
fi
cmp "$work/threaded/best_algorithm.txt" "$work/mpi/best_algorithm.txt" ||
  fail "best_algorithm.txt differs"

# Migrants crossed ranks: with a ring over ranks {0,1} and {2,3}, half of them.
last=$(grep '^experiment=0 indivs=' "$work/mpi.txt" | tail -1)
migrations=$(sed -E 's/.* migrations=([0-9]+).*/\1/' <<<"$last")
remote=$(sed -E 's/.*remote_migrations=([0-9]+).*/\1/' <<<"$last")
[[ "$remote" -gt 0 ]] || fail "no migrant crossed ranks: $last"
[[ "$remote" -eq $((migrations / 2)) ]] || fail "expected half of $migrations to cross: $remote"
grep -q '^mpi_traffic ranks=2 ' "$work/mpi.txt" || fail "no mpi_traffic line"
# One progress line per progress point: rank 1 printed nothing.
[[ $(grep -c '^experiment=0 indivs=2000 ' "$work/mpi.txt") -eq 1 ]] || fail "duplicate output"

# Rank 0 wrote the outputs; rank 1 did not even create its directory.
for file in best_algorithm.pb best_algorithm.txt progress.csv summary.json; do
  [[ -s "$work/mpi/$file" ]] || fail "rank 0 did not write $file"
done
[[ ! -e "$work/mpi_rank1" ]] || fail "rank 1 wrote to its --output_dir: $(ls "$work/mpi_rank1")"
grep -q '"num_islands": 4' "$work/mpi/summary.json" || fail "summary.json lacks num_islands"

echo "--- PARETO: archives migrate and merge across ranks as in one process"
pareto_spec="$work/pareto.textproto"
write_spec "$pareto_spec" "max_individuals: 1000
objectives { selection: PARETO pareto_objectives: [QUALITY, INFERENCE_COST] archive_size: 5 }"
"$threaded" --spec="$pareto_spec" --random_seed=5 --islands=4 --threads=2 \
  --output_dir="$work/pareto_threaded" >"$work/pareto_threaded.txt"
mpirun "${mpirun_flags[@]}" -np 2 "$mpi" --spec="$pareto_spec" --random_seed=5 --islands=4 \
  --output_dir="$work/pareto_mpi" >"$work/pareto_mpi.txt" 2>"$work/pareto_mpi.err" ||
  { cat "$work/pareto_mpi.err" >&2; fail "mpirun (PARETO) failed"; }
grep -q '^pareto_front=' "$work/pareto_mpi.txt" || fail "no pareto_front line"
diff <(comparable "$work/pareto_threaded.txt") <(comparable "$work/pareto_mpi.txt") ||
  fail "the PARETO MPI run differs from the threaded run"
cmp "$work/pareto_threaded/pareto.csv" "$work/pareto_mpi/pareto.csv" || fail "pareto.csv differs"

echo "--- a rank that fails stops the run (rank 1 cannot read its spec)"
set +e
timeout 120 mpirun "${mpirun_flags[@]}" -np 1 "$mpi" --spec="$spec" --random_seed=5 --islands=2 \
  : -np 1 "$mpi" --spec="$work/missing.textproto" --random_seed=5 --islands=2 \
  >"$work/fail.txt" 2>"$work/fail.err"
rc=$?
set -e
[[ $rc -ne 0 && $rc -ne 124 ]] || fail "expected a prompt non-zero exit, got $rc"
grep -q "rank 1: error: cannot open spec file '$work/missing.textproto'" "$work/fail.err" ||
  { cat "$work/fail.err" >&2; fail "no clear message from the failing rank"; }

echo "--- a rank killed mid-run stops the run"
long_spec="$work/long.textproto"
write_spec "$long_spec" "max_seconds: 300"
mpirun "${mpirun_flags[@]}" -np 2 "$mpi" --spec="$long_spec" --random_seed=5 --islands=2 \
  >"$work/kill.txt" 2>"$work/kill.err" &
mpirun_pid=$!
for _ in $(seq 600); do  # Up to 60 s for the search to get going.
  grep -q '^experiment=0 indivs=' "$work/kill.txt" 2>/dev/null && break
  sleep 0.1
done
grep -q '^experiment=0 indivs=' "$work/kill.txt" || { kill "$mpirun_pid"; fail "no progress"; }
# mpirun's children are the ranks, started in rank order.
victim=$(ps --ppid "$mpirun_pid" -o pid= | sort -n | tail -1)
[[ -n "$victim" ]] || { kill "$mpirun_pid"; fail "no rank process found"; }
kill -9 "$victim"
for _ in $(seq 600); do
  kill -0 "$mpirun_pid" 2>/dev/null || break
  sleep 0.1
done
if kill -0 "$mpirun_pid" 2>/dev/null; then
  kill "$mpirun_pid"
  fail "mpirun still running 60 s after a rank was killed"
fi
set +e
wait "$mpirun_pid"
rc=$?
set -e
[[ $rc -ne 0 ]] || fail "mpirun exited 0 after a rank was killed"
grep -q "exited on signal 9" "$work/kill.err" ||
  { cat "$work/kill.err" >&2; fail "no message naming the killed rank"; }
echo "PASS"
