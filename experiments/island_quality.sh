#!/usr/bin/env bash
# Quality check of the island model: with the same total number of individuals, do 4 islands
# with migration find the demo's solution (linear regression by SGD) at least as reliably as
# one population? Runs the demo spec (experiments/specs/linear_demo.textproto; every island has
# its population_size, migration as in its `migration` field or the defaults) for several seeds
# with 1 and with 4 islands. One line per run, then a summary of two counts:
#   found: select fitness >= SOLVED_FITNESS (default 0.95). On this demo the select fitness is
#     bimodal: runs stuck in a trap score <= ~0.76, runs that found SGD linear regression score
#     >= ~0.97 (below 1 only when the learning rate diverges on a few of the 100 select tasks).
#   exact: select fitness > 0.9999, run_demo.sh's --sufficient_fitness (a well-tuned rate).
# Usage: experiments/island_quality.sh [INDIVIDUALS] [SEEDS] [ISLANDS]
#   defaults: the spec's max_individuals, 5 seeds (1..5), 4 islands.
# Environment: SOLVED_FITNESS, QUALITY_BINARY (a prebuilt run_search_experiment; default: build
# the working tree with --config=opt), THREADS (default 2).
# Exits 1 if the islands find the solution for fewer seeds than the single population.
set -euo pipefail
cd "$(dirname "$0")/.."

spec_file=experiments/specs/linear_demo.textproto
individuals="${1:-$(sed -nE 's/^max_individuals: ([0-9]+).*/\1/p' "$spec_file")}"
seeds="${2:-5}"
islands="${3:-4}"
solved_fitness="${SOLVED_FITNESS:-0.95}"
threads="${THREADS:-2}"

binary="${QUALITY_BINARY:-}"
if [[ -z "$binary" ]]; then
  bash tests/install_deps.sh >/dev/null
  bazel build --config=opt //experiments:run_search_experiment
  binary=bazel-out/k8-opt/bin/experiments/run_search_experiment
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
sed -e "s/^max_individuals: .*/max_individuals: ${individuals}/" \
  -e "s/^progress_every_individuals: .*/progress_every_individuals: $((individuals / 10))/" \
  "$spec_file" >"$work/spec.textproto"

echo "spec=${spec_file} individuals=${individuals} seeds=1..${seeds}" \
  "found: select_fitness >= ${solved_fitness}, exact: select_fitness > 0.9999"
echo "load_before=$(cut -d' ' -f1-3 /proc/loadavg)"
declare -A found=([1]=0 [$islands]=0)
declare -A exact=([1]=0 [$islands]=0)
for ((seed = 1; seed <= seeds; ++seed)); do
  for k in 1 "$islands"; do
    out="$work/run_${k}_${seed}.txt"
    "$binary" --spec="$work/spec.textproto" --random_seed="$seed" --islands="$k" \
      --threads="$threads" >"$out"
    line=$(grep '^experiment=0 search_fitness=' "$out")
    search=$(sed -E 's/.*search_fitness=([^ ]+).*/\1/' <<<"$line")
    select=$(sed -E 's/.*select_fitness=([^ ]+).*/\1/' <<<"$line")
    final=$(sed -nE 's/^final_fitness=(.*)/\1/p' "$out")
    secs=$(sed -E 's/.* secs=([^ ]+).*/\1/' <<<"$line")
    # The first progress point at which the best program was within 1% of its final fitness.
    reached=$(grep '^experiment=0 indivs=' "$out" |
      awk -v target="$search" '{
        for (i = 1; i <= NF; ++i) { split($i, kv, "="); v[kv[1]] = kv[2] }
        if (v["best_fitness"] >= 0.99 * target) { print v["indivs"]; exit } }')
    ok=no
    if awk -v s="$select" -v t="$solved_fitness" 'BEGIN {exit !(s >= t)}'; then
      ok=yes
      found[$k]=$((found[$k] + 1))
    fi
    if awk -v s="$select" 'BEGIN {exit !(s > 0.9999)}'; then exact[$k]=$((exact[$k] + 1)); fi
    printf 'seed=%d islands=%d found=%s search_fitness=%s select_fitness=%s final_fitness=%s best_reached_at=%s secs=%s\n' \
      "$seed" "$k" "$ok" "$search" "$select" "$final" "$reached" "$secs"
  done
done
echo "load_after=$(cut -d' ' -f1-3 /proc/loadavg)"
echo "found: 1 island ${found[1]}/${seeds}, ${islands} islands ${found[$islands]}/${seeds}"
echo "exact: 1 island ${exact[1]}/${seeds}, ${islands} islands ${exact[$islands]}/${seeds}"
[[ ${found[$islands]} -ge ${found[1]} ]]
