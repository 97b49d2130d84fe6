#!/usr/bin/env bash
# One run per --output_dir, with real processes (the lock is experiments/output_dir_lock.h):
#  - while a run holds a directory, a second run (fresh or --resume) into it exits 1 at once
#    with one line naming the directory and the holder's pid, and writes nothing there; the
#    holder's files are intact after it ends;
#  - of two runs started together into a new directory, exactly one runs, and progress.csv
#    has only its rows;
#  - kill -9 of the holder leaves no stale lock: --resume in that directory proceeds;
#  - under MPI, rank 0 holds the lock, and a refused job ends promptly on every rank.
# Usage (Bazel passes these): concurrent_runs_test.sh BINARY MPI_BINARY
set -uo pipefail

binary="$1"
mpi="$2"
source "$(dirname "${BASH_SOURCE[0]}")/shell_test_lib.sh"
# refused NAME DIR PID: run NAME exited 1 with one stderr line naming DIR and PID.
refused() {
  local name="$1" dir="$2" pid="$3"
  check "$name: exit code $(rc_of "$name"), expected 1" [ "$(rc_of "$name")" -eq 1 ]
  check "$name: expected one stderr line: $(cat "$work/$name.err")" \
    [ "$(wc -l <"$work/$name.err")" -eq 1 ]
  check "$name: the error does not name $dir and pid $pid: $(cat "$work/$name.err")" \
    grep -qF "error: output_dir $dir is in use by another run (pid $pid " "$work/$name.err"
}

write_spec() {  # write_spec PATH STOPPING_LIMIT
  {
    tiny_search_spec
    echo "progress_every_individuals: 200"
    echo "$2"
  } >"$1"
}
short="$work/short.textproto"
write_spec "$short" "max_individuals: 400"
long="$work/long.textproto"
write_spec "$long" "max_seconds: 120"

echo "--- a second run into a held directory is refused; the holder's files stay intact"
dir="$work/held"
"$binary" --spec="$long" --random_seed=3 --output_dir="$dir" >"$work/holder.out" \
  2>"$work/holder.err" &
holder=$!
if wait_for 60 has_progress "$dir/progress.csv"; then
  ls -A "$dir" >"$work/held_files_before"
  run fresh --spec="$short" --random_seed=9 --output_dir="$dir"
  refused fresh "$dir" "$holder"
  check "fresh: printed on stdout: $(cat "$work/fresh.out")" [ ! -s "$work/fresh.out" ]
  run resume --resume --output_dir="$dir"
  refused resume "$dir" "$holder"
  check "the refused runs added files: $(ls -A "$dir" | tr '\n' ' ')" \
    cmp -s "$work/held_files_before" <(ls -A "$dir")

  echo "--- under MPI, rank 0 is refused and every rank ends"
  export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
  # Open MPI's session sockets must fit the 108-byte path limit (Bazel's TMPDIR may not).
  TMPDIR=/tmp timeout 60 mpirun --allow-run-as-root --oversubscribe --bind-to none -np 2 \
    "$mpi" --spec="$short" --random_seed=9 --islands=2 --output_dir="$dir" \
    >"$work/mpi.out" 2>"$work/mpi.err"
  rc=$?
  check "mpi: expected a prompt non-zero exit, got $rc" [ "$rc" -ne 0 -a "$rc" -ne 124 ]
  check "mpi: no line from rank 0 naming $dir and pid $holder: $(cat "$work/mpi.err")" \
    grep -qF "rank 0: error: output_dir $dir is in use by another run (pid $holder " \
    "$work/mpi.err"
  check "mpi: rank 1 reported an error too: $(cat "$work/mpi.err")" \
    [ "$(grep -c '^rank 1: error' "$work/mpi.err")" -eq 0 ]

  kill -INT "$holder"
  wait "$holder"
  rc=$?
  check "holder: exit code $rc after SIGINT: $(cat "$work/holder.err")" [ "$rc" -eq 0 ]
  check "holder: summary.json is not the holder's" grep -q '"random_seed": 3,' "$dir/summary.json"
  printed_program "$work/holder.out" >"$work/holder_program.txt"
  check "holder: best_algorithm.txt is not the program it printed" \
    cmp -s "$work/holder_program.txt" "$dir/best_algorithm.txt"
  check "holder: progress.csv rows not increasing" increasing "$dir/progress.csv"
  check "holder: progress.csv has more than one header" \
    [ "$(grep -c '^experiment,' "$dir/progress.csv")" -eq 1 ]
else
  kill -9 "$holder"
  fail "holder: no progress within 60 s"
fi

echo "--- two runs started together into a new directory: one runs; kill -9 frees the lock"
dir="$work/race"
"$binary" --spec="$long" --random_seed=5 --output_dir="$dir" --checkpoint_every_secs=1 \
  >"$work/race_a.out" 2>"$work/race_a.err" &
a=$!
"$binary" --spec="$long" --random_seed=6 --output_dir="$dir" --checkpoint_every_secs=1 \
  >"$work/race_b.out" 2>"$work/race_b.err" &
b=$!
gone() { ! kill -0 "$1" 2>/dev/null; }
one_gone() { gone "$a" || gone "$b"; }
if wait_for 30 one_gone; then
  if gone "$a"; then loser=a winner=$b; else loser=b winner=$a; fi
  wait "${!loser}"
  echo $? >"$work/race_$loser.rc"  # For rc_of.
  grep -v '^random_seed=' "$work/race_$loser.out" >"$work/race_$loser.extra"
  check "race: the loser started searching: $(cat "$work/race_$loser.extra")" \
    [ ! -s "$work/race_$loser.extra" ]
  refused "race_$loser" "$dir" "$winner"
  if wait_for 60 test -s "$dir/checkpoint.pb"; then
    sleep 1.5  # A few more rows and checkpoints.
    kill -9 "$winner"
    wait "$winner" 2>/dev/null
    check "race: progress.csv rows not increasing (interleaved?)" increasing "$dir/progress.csv"
    at_kill=$(last_indivs "$dir/progress.csv")
    run after_kill --resume --output_dir="$dir" --max_individuals=$((at_kill + 400))
    check "resume after kill -9 failed: $(cat "$work/after_kill.err")" \
      [ "$(rc_of after_kill)" -eq 0 ]
    check "resume after kill -9 did not resume" grep -q '^resuming from ' "$work/after_kill.out"
    check "resume after kill -9: did not reach its limit" \
      [ "$(last_indivs "$dir/progress.csv")" -eq $((at_kill + 400)) ]
  else
    kill -9 "$winner"
    fail "race: no checkpoint within 60 s"
  fi
else
  kill -9 "$a" "$b"
  fail "race: both runs still going after 30 s: $(cat "$work/race_a.err" "$work/race_b.err")"
fi

finish concurrent_runs_test
