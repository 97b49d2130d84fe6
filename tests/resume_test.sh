#!/usr/bin/env bash
# Checkpoint, stop, resume and warm start through run_search_experiment, as a user meets them:
#  - a run to N resumed to 2N (--resume --max_individuals) equals a run to 2N;
#  - SIGINT: exit 0, the message names the directory, outputs and checkpoint written, and
#    --resume continues from exactly where it stopped;
#  - kill -9 of a real process loses at most what came after the last checkpoint
#    (--checkpoint_every_secs=1), and the resumed run finishes;
#  - a corrupted checkpoint falls back to checkpoint.pb.prev with a message;
#  - a changed spec is refused naming the field, and accepted with --force_spec_change unless
#    it adds objectives the saved fitnesses lack;
#  - --seed_programs (printed programs separated by '---', or a .pb) warm-starts a search;
#  - discoveries.csv / .txt: fitness strictly increases within an experiment, one thread finds
#    the same, and a resumed run (after a limit change or a kill -9) writes the same files as
#    an uninterrupted one;
#  - the checkpoint decodes as text with protoc (docs/checkpoints.md's recipe).
# Usage (Bazel passes them): resume_test.sh BINARY [PROTO_ROOT]
set -uo pipefail

binary="${1:-${TEST_SRCDIR:-}/automl_engine/experiments/run_search_experiment}"
# Where evolution/checkpoint.proto and the protos it imports are (the runfiles' root).
proto_root="${2:-${TEST_SRCDIR:-}/automl_engine}"
[ -x "$binary" ] || { echo "FAIL: no binary at $binary"; exit 1; }

source "$(dirname "${BASH_SOURCE[0]}")/shell_test_lib.sh"

# A search of 3 islands with ring migration: 2400 individuals take well under a second at
# -O0. $1: the stopping limit line.
write_spec() {
  {
    tiny_search_spec
    cat <<EOF
fec { cache_size: 50 }
num_islands: 3
migration { every_individuals: 50 num_emigrants: 2 topology: RING }
progress_every_individuals: 200
$1
EOF
  } >"$2"
}

spec="$work/spec.textproto"
write_spec "max_individuals: 2400" "$spec"
long="$work/long.textproto"
write_spec "max_seconds: 120" "$long"

# progress.csv without the wall-clock columns (elapsed_secs, indivs_per_sec).
reproducible() { cut -d, -f1,2,5- "$1"; }
# discoveries.csv without the wall-clock column (elapsed_secs).
reproducible_discoveries() { cut -d, -f1,2,4- "$1"; }
# Within each experiment of a discoveries.csv, fitness strictly increases.
discoveries_increase() {
  [ "$(wc -l <"$1")" -ge 2 ] && tail -n +2 "$1" |
    awk -F, '$1 == e && $4 <= f { bad = 1 } { e = $1; f = $4 } END { exit bad }'
}
# The individuals count in a "resuming from PATH: experiment E at N individuals" line.
resumed_at() { sed -nE 's/^resuming from [^ ]+: experiment [0-9]+ at ([0-9]+) individuals.*/\1/p' "$1"; }

echo "--- a run to 1200, resumed to 2400, equals a run to 2400"
run full --spec="$spec" --random_seed=7 --output_dir="$work/full"
run half --spec="$spec" --random_seed=7 --output_dir="$work/split" --max_individuals=1200
run rest --resume --output_dir="$work/split" --max_individuals=2400
check "full run failed: $(cat "$work/full.err")" [ "$(rc_of full)" -eq 0 ]
check "half run failed: $(cat "$work/half.err")" [ "$(rc_of half)" -eq 0 ]
check "resumed run failed: $(cat "$work/rest.err")" [ "$(rc_of rest)" -eq 0 ]
check "no 'resuming from ... at 1200 individuals' line" [ "$(resumed_at "$work/rest.out")" = 1200 ]
check "no line saying the limit changed" grep -qx "resuming with max_individuals 2400 (was 1200)" \
  "$work/rest.out"
if diff <(reproducible "$work/full/progress.csv") <(reproducible "$work/split/progress.csv"); then
  pass
else
  fail "progress.csv of the split run differs from the full run's"
fi
check "best_algorithm.txt differs" cmp -s "$work/full/best_algorithm.txt" \
  "$work/split/best_algorithm.txt"
check "final_fitness differs" [ "$(grep '^final_fitness=' "$work/full.out")" = \
  "$(grep '^final_fitness=' "$work/rest.out")" ]
check "summary.json does not say resumed" grep -q '"resumed": true' "$work/split/summary.json"
check "discoveries.csv: fitness does not strictly increase" \
  discoveries_increase "$work/full/discoveries.csv"
if diff <(reproducible_discoveries "$work/full/discoveries.csv") \
  <(reproducible_discoveries "$work/split/discoveries.csv"); then
  pass
else
  fail "discoveries.csv of the split run differs from the full run's"
fi
check "discoveries.txt of the split run differs" cmp -s "$work/full/discoveries.txt" \
  "$work/split/discoveries.txt"
run one_thread --spec="$spec" --random_seed=7 --output_dir="$work/one_thread" --threads=1
check "one_thread run failed: $(cat "$work/one_thread.err")" [ "$(rc_of one_thread)" -eq 0 ]
check "discoveries.txt depends on the thread count" cmp -s "$work/full/discoveries.txt" \
  "$work/one_thread/discoveries.txt"
check "no checkpoint.pb.prev kept" [ -s "$work/split/checkpoint.pb.prev" ]

echo "--- docs/checkpoints.md's recipe prints a checkpoint as text: every island's population"
decoded="$work/full_checkpoint.txt"
tail -c +25 "$work/full/checkpoint.pb" |
  protoc --proto_path="$proto_root" --decode=automl.CheckpointProto \
    evolution/checkpoint.proto >"$decoded" 2>"$work/decode.err"
check "protoc cannot decode the checkpoint: $(cat "$work/decode.err")" grep -q '^format_version: ' \
  "$decoded"
population_size="$(sed -n 's/^  population_size: //p' "$decoded")"
check "the decoded checkpoint lacks its spec's population_size" [ -n "$population_size" ]
check "the decoded checkpoint does not hold 3 islands of $population_size members" \
  [ "$(grep -c '^    population {' "$decoded")" = "$((3 * ${population_size:--1}))" ]

echo "--- SIGINT: finish, write everything, say where, exit 0; --resume continues there"
sigint="$work/sigint"
"$binary" --spec="$long" --random_seed=3 --output_dir="$sigint" >"$work/sigint.out" \
  2>"$work/sigint.err" &
pid=$!
if wait_for 60 has_progress "$sigint/progress.csv"; then
  kill -INT "$pid"
  wait "$pid"
  rc=$?
  check "SIGINT: exit code $rc: $(cat "$work/sigint.err")" [ "$rc" -eq 0 ]
  check "SIGINT: no stop message on stderr" grep -q "^stop requested" "$work/sigint.err"
  check "SIGINT: the message does not name the checkpoint" \
    grep -qF "checkpoint $sigint/checkpoint.pb (continue with --resume --output_dir=$sigint)" \
    "$work/sigint.out"
  check "SIGINT: no 'outputs written to' line" grep -q "^outputs written to $sigint " \
    "$work/sigint.out"
  for file in checkpoint.pb best_algorithm.txt best_algorithm.pb progress.csv summary.json; do
    check "SIGINT: $file missing" [ -s "$sigint/$file" ]
  done
  check "SIGINT: summary.json lacks \"interrupted\": true" \
    grep -q '"interrupted": true,' "$sigint/summary.json"
  stopped_at=$(sed -nE 's/^interrupted: experiment 0 stopped at ([0-9]+) individuals.*/\1/p' \
    "$work/sigint.out")
  check "SIGINT: no 'stopped at N individuals' line" [ -n "$stopped_at" ]
  run fresh_over_unfinished --spec="$long" --random_seed=3 --output_dir="$sigint"
  check "a fresh run over an unfinished one was not refused: $(cat "$work/fresh_over_unfinished.err")" \
    grep -qF "error: $sigint holds the checkpoint of an unfinished run (experiment 0): continue it with --resume, or remove $sigint/checkpoint.pb to start over" \
    "$work/fresh_over_unfinished.err"
  run sigint_resume --resume --output_dir="$sigint" --max_individuals=$((stopped_at / 200 * 200 + 1000))
  check "SIGINT resume failed: $(cat "$work/sigint_resume.err")" [ "$(rc_of sigint_resume)" -eq 0 ]
  check "SIGINT resume did not start at $stopped_at" \
    [ "$(resumed_at "$work/sigint_resume.out")" = "$stopped_at" ]
  check "SIGINT resume: summary.json still says interrupted" \
    grep -q '"interrupted": false,' "$sigint/summary.json"
  check "SIGINT resume: progress.csv indivs not increasing" increasing "$sigint/progress.csv"
  check "SIGINT resume: did not reach its limit" \
    [ "$(last_indivs "$sigint/progress.csv")" -eq $((stopped_at / 200 * 200 + 1000)) ]
else
  kill -9 "$pid"
  fail "SIGINT: no progress within 60 s"
fi

echo "--- kill -9 loses at most the time since the last checkpoint"
killed="$work/killed"
"$binary" --spec="$long" --random_seed=4 --output_dir="$killed" --checkpoint_every_secs=1 \
  >"$work/killed.out" 2>"$work/killed.err" &
pid=$!
if wait_for 60 test -s "$killed/checkpoint.pb"; then
  # Progress so far; the checkpoints written after it (every second, at round boundaries a few
  # milliseconds apart) must hold at least this much.
  before=$(last_indivs "$killed/progress.csv")
  sleep 2.5
  kill -9 "$pid"
  wait "$pid" 2>/dev/null
  at_kill=$(last_indivs "$killed/progress.csv")
  run killed_resume --resume --output_dir="$killed" --max_individuals=$((at_kill + 2000))
  check "kill -9 resume failed: $(cat "$work/killed_resume.err")" \
    [ "$(rc_of killed_resume)" -eq 0 ]
  resumed=$(resumed_at "$work/killed_resume.out")
  echo "progress at the first checkpoint: $before, at the kill: $at_kill, resumed at: $resumed"
  check "kill -9: resumed at '$resumed', before the progress $before seen 2.5 s before the kill" \
    [ "${resumed:-0}" -ge "$before" -a "${resumed:-0}" -gt 0 ]
  check "kill -9: the resumed run did not finish" \
    [ "$(last_indivs "$killed/progress.csv")" -eq $((at_kill + 2000)) ]
  check "kill -9: progress.csv indivs not increasing" increasing "$killed/progress.csv"
  run unkilled --spec="$long" --random_seed=4 --output_dir="$work/unkilled" \
    --max_individuals=$((at_kill + 2000))
  check "unkilled run failed: $(cat "$work/unkilled.err")" [ "$(rc_of unkilled)" -eq 0 ]
  if diff <(reproducible_discoveries "$work/unkilled/discoveries.csv") \
    <(reproducible_discoveries "$killed/discoveries.csv"); then
    pass
  else
    fail "kill -9: discoveries.csv differs from an uninterrupted run's"
  fi
  check "kill -9: discoveries.txt differs from an uninterrupted run's" \
    cmp -s "$work/unkilled/discoveries.txt" "$killed/discoveries.txt"
else
  kill -9 "$pid"
  fail "kill -9: no checkpoint within 60 s"
fi

echo "--- a finished run's directory can be reused without --resume"
run again --spec="$spec" --random_seed=7 --output_dir="$work/full"
check "a run over a finished one failed: $(cat "$work/again.err")" [ "$(rc_of again)" -eq 0 ]

echo "--- a corrupted checkpoint falls back to the previous one"
corrupt="$work/split"
size=$(stat -c %s "$corrupt/checkpoint.pb")
printf '\x5a' | dd of="$corrupt/checkpoint.pb" bs=1 seek=$((size - 7)) conv=notrunc status=none
run corrupt --resume --output_dir="$corrupt"
check "corrupt: resume failed: $(cat "$work/corrupt.err")" [ "$(rc_of corrupt)" -eq 0 ]
check "corrupt: no warning naming the file and the fallback: $(cat "$work/corrupt.err")" \
  grep -qF "warning: checkpoint $corrupt/checkpoint.pb is corrupted (checksum mismatch); using the previous checkpoint $corrupt/checkpoint.pb.prev" \
  "$work/corrupt.err"
check "corrupt: did not resume from .prev" grep -q "^resuming from $corrupt/checkpoint.pb.prev:" \
  "$work/corrupt.out"
check "corrupt: the bad file was not kept aside" [ -s "$corrupt/checkpoint.pb.corrupt" ]
truncate -s 30 "$corrupt/checkpoint.pb" "$corrupt/checkpoint.pb.prev"
run both_bad --resume --output_dir="$corrupt"
check "both bad: expected exit 1" [ "$(rc_of both_bad)" -eq 1 ]
check "both bad: the error names both files: $(cat "$work/both_bad.err")" \
  grep -q "checkpoint.pb .*checkpoint.pb.prev" "$work/both_bad.err"

echo "--- a changed spec is refused, naming the field, unless --force_spec_change"
sed 's/^mutate_prob: 0.9$/mutate_prob: 0.8/; s/^population_size: 20$/population_size: 20\nmax_abs_error: 50/' \
  "$spec" >"$work/changed.textproto"
run changed --resume --output_dir="$work/full" --spec="$work/changed.textproto"
check "changed: expected exit 1" [ "$(rc_of changed)" -eq 1 ]
check "changed: expected one error line" [ "$(wc -l <"$work/changed.err")" -eq 1 ]
check "changed: the error does not name the fields: $(cat "$work/changed.err")" \
  grep -q "differs .* in: mutate_prob, max_abs_error .*--force_spec_change" "$work/changed.err"
run forced --resume --output_dir="$work/full" --spec="$work/changed.textproto" \
  --force_spec_change --max_individuals=3000
check "forced: failed: $(cat "$work/forced.err")" [ "$(rc_of forced)" -eq 0 ]
check "forced: no note of the change" grep -qx \
  "resuming with a changed spec (--force_spec_change): mutate_prob, max_abs_error" "$work/forced.out"
{
  cat "$work/changed.textproto"
  printf 'objectives { selection: PARETO pareto_objectives: [QUALITY, SIZE] }\n'
} >"$work/more_objectives.textproto"
run more_objectives --resume --output_dir="$work/full" --spec="$work/more_objectives.textproto" \
  --force_spec_change
check "more objectives: expected exit 1" [ "$(rc_of more_objectives)" -eq 1 ]
check "more objectives: not one line naming the objective: $(cat "$work/more_objectives.err")" \
  grep -q "^error: --resume: the spec computes objectives .* not scored on (size)" \
  "$work/more_objectives.err"
run islands --resume --output_dir="$work/full" --islands=2
check "islands: not refused: $(cat "$work/islands.err")" \
  grep -q "islands=2 but the checkpoint has 3 islands" "$work/islands.err"
run nothing --resume --output_dir="$work/empty_dir"
check "no checkpoint: not a clear error: $(cat "$work/nothing.err")" \
  grep -q "^error: --resume: no checkpoint in $work/empty_dir/checkpoint.pb" "$work/nothing.err"

echo "--- warm start from a printed file and a .pb"
search_fitness=$(sed -nE 's/^experiment=0 search_fitness=([^ ]+) .*/\1/p' "$work/full.out")
{
  cat "$work/full/best_algorithm.txt"
  echo "---"
  printf 'def Predict():\n  s1 = dot(v0, v1)\n'
} >"$work/seeds.txt"
run warm --spec="$spec" --random_seed=11 --output_dir="$work/warm" \
  --seed_programs="$work/seeds.txt,$work/full/best_algorithm.pb" --max_individuals=600
check "warm: failed: $(cat "$work/warm.err")" [ "$(rc_of warm)" -eq 0 ]
first_best=$(sed -n 2p "$work/warm/progress.csv" | cut -d, -f5)
check "warm: first progress best_fitness $first_best < the seed's $search_fitness" \
  awk -v a="$first_best" -v b="$search_fitness" 'BEGIN { exit !(a >= b - 1e-6) }'
run cold --spec="$spec" --random_seed=11 --output_dir="$work/cold" --max_individuals=600
cold_best=$(sed -n 2p "$work/cold/progress.csv" | cut -d, -f5)
check "cold: first best_fitness $cold_best is not below the warm start's $first_best" \
  awk -v a="$cold_best" -v b="$first_best" 'BEGIN { exit !(a < b) }'
printf 'def Learn():\n  s2 = s0 -\n' >"$work/bad_seeds.txt"
run bad_seeds --spec="$spec" --seed_programs="$work/bad_seeds.txt"
check "bad seeds: not one error line naming the file and line: $(cat "$work/bad_seeds.err")" \
  grep -q "^error: $work/bad_seeds.txt: program 1: line 2" "$work/bad_seeds.err"

finish resume_test
