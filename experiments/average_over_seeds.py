#!/usr/bin/env python3
"""Per-task differences of two programs averaged over initialisation seeds.

Usage: average_over_seeds.py START_TEMPLATE EVOLVED_TEMPLATE NUM_SEEDS [--split=valid|test]

Each template names evaluate_program outputs with `{seed}` standing for 1..NUM_SEEDS, e.g.
`/tmp/p/net_{seed}.txt` made by `evaluate_program ... --random_seed=SEED`. For R in 1, 5, 10,
20 (up to NUM_SEEDS) it averages each task's difference (evolved - start) over seeds 1..R and
prints the mean, the standard deviation over tasks, the 95% half-interval of the mean and wins /
losses: how much of the per-task noise is the initialisation (it shrinks with R) and how much
belongs to the task (it does not). Reads the files as experiments/compare_programs.py does.
"""
import math
import os
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from compare_programs import fail, read_tasks, split_and_args  # noqa: E402


def main(argv):
    split, args = split_and_args(argv, "valid")
    if len(args) != 3 or not args[2].isdigit() or int(args[2]) < 1:
        fail("usage: average_over_seeds.py START_TEMPLATE EVOLVED_TEMPLATE NUM_SEEDS "
             "[--split=valid|test]")
    start_template, evolved_template, num_seeds = args[0], args[1], int(args[2])
    diffs = []  # diffs[seed][task]
    for seed in range(1, num_seeds + 1):
        start = read_tasks(start_template.format(seed=seed), split)
        evolved = read_tasks(evolved_template.format(seed=seed), split)
        if [name for name, _ in start] != [name for name, _ in evolved]:
            fail(f"seed {seed}: the two files list different tasks")
        diffs.append([b - a for (_, a), (_, b) in zip(start, evolved)])
    num_tasks = len(diffs[0])
    for r in (1, 5, 10, 20):
        if r > num_seeds:
            break
        per_task = [sum(diffs[s][t] for s in range(r)) / r for t in range(num_tasks)]
        mean = statistics.mean(per_task)
        sd = statistics.stdev(per_task)
        wins = sum(d > 5e-5 for d in per_task)
        losses = sum(d < -5e-5 for d in per_task)
        print(f"seeds 1-{r}: mean {100 * mean:+.3f} points, sd over tasks {100 * sd:.3f}, "
              f"95% half-interval {196 * sd / math.sqrt(num_tasks):.3f}, "
              f"wins {wins} losses {losses}")


if __name__ == "__main__":
    main(sys.argv)
