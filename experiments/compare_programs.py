#!/usr/bin/env python3
"""Paired comparison of two programs on the same tasks, from evaluate_program's per-task lines.

Usage: compare_programs.py START_OUTPUT EVOLVED_OUTPUT [--split=test|valid]

Each file is what `evaluate_program --program=P --tasks=T` printed (one `task=N name=...
valid=X test=Y` line per task). Both must list the same tasks in the same order. Prints the
mean of each program, the mean of the per-task differences (evolved - start) with a 95%
interval (normal approximation: mean +- 1.96 sd / sqrt(n)), the wins, losses and ties, and an
exact two-sided sign test over the tasks that are not ties. The last line is
`n=N start=X evolved=X mean_diff=X ci_low=X ci_high=X wins=W losses=L ties=T sign_test_p=P`.
"""
import math
import re
import sys

TASK_LINE = re.compile(r"^task=(\d+) name=(\S+).* valid=(\S+) test=(\S+)")


def fail(message):
    print(f"error: {message}", file=sys.stderr)
    sys.exit(1)


def read_tasks(path, split):
    try:
        with open(path) as f:
            lines = f.read().splitlines()
    except OSError as e:
        fail(f"{path}: {e.strerror}")
    tasks = []
    for line in lines:
        match = TASK_LINE.match(line)
        if not match:
            continue
        value = match.group(3) if split == "valid" else match.group(4)
        try:
            number = float(value)
        except ValueError:
            fail(f"{path}: task {match.group(1)}: {split} is not a number: {value}")
        if not math.isfinite(number):
            fail(f"{path}: task {match.group(1)}: {split} is {value}")
        tasks.append((match.group(2), number))
    if not tasks:
        fail(f"{path}: no per-task lines (run evaluate_program with --per_task=true)")
    return tasks


def sign_test_p(wins, losses):
    """Exact two-sided binomial p-value of wins vs losses under p = 1/2."""
    n = wins + losses
    if n == 0:
        return 1.0
    tail = sum(math.comb(n, k) for k in range(min(wins, losses) + 1)) / 2**n
    return min(1.0, 2 * tail)


def split_and_args(argv, default):
    """The --split=test|valid flag (DEFAULT without it) and the other arguments of ARGV[1:]."""
    split = default
    args = []
    for arg in argv[1:]:
        if arg.startswith("--split="):
            split = arg.split("=", 1)[1]
            if split not in ("test", "valid"):
                fail(f"--split must be test or valid, got {split}")
        else:
            args.append(arg)
    return split, args


def main(argv):
    split, paths = split_and_args(argv, "test")
    if len(paths) != 2:
        fail("usage: compare_programs.py START_OUTPUT EVOLVED_OUTPUT [--split=test|valid]")
    start, evolved = (read_tasks(p, split) for p in paths)
    if len(start) != len(evolved):
        fail(f"{paths[0]} has {len(start)} tasks, {paths[1]} has {len(evolved)}")
    for i, ((name_a, _), (name_b, _)) in enumerate(zip(start, evolved)):
        if name_a != name_b:
            fail(f"task {i} differs: {name_a} in {paths[0]}, {name_b} in {paths[1]}")
    diffs = [b - a for (_, a), (_, b) in zip(start, evolved)]
    n = len(diffs)
    mean_diff = sum(diffs) / n
    sd = math.sqrt(sum((d - mean_diff) ** 2 for d in diffs) / (n - 1)) if n > 1 else 0.0
    half = 1.96 * sd / math.sqrt(n)
    # Differences below half a unit in the fourth decimal (the printed precision) are ties.
    wins = sum(d > 5e-5 for d in diffs)
    losses = sum(d < -5e-5 for d in diffs)
    ties = n - wins - losses
    start_mean = sum(v for _, v in start) / n
    evolved_mean = sum(v for _, v in evolved) / n
    print(f"{split} accuracy over {n} tasks: start {start_mean:.4f}, evolved {evolved_mean:.4f}")
    print(f"paired difference (evolved - start): {mean_diff:+.4f}, 95% interval "
          f"[{mean_diff - half:+.4f}, {mean_diff + half:+.4f}]")
    print(f"evolved better on {wins} tasks, worse on {losses}, equal on {ties}; "
          f"sign test p = {sign_test_p(wins, losses):.3g}")
    print(f"n={n} start={start_mean:.4f} evolved={evolved_mean:.4f} mean_diff={mean_diff:.4f} "
          f"ci_low={mean_diff - half:.4f} ci_high={mean_diff + half:.4f} wins={wins} "
          f"losses={losses} ties={ties} sign_test_p={sign_test_p(wins, losses):.3g}")


if __name__ == "__main__":
    main(sys.argv)
