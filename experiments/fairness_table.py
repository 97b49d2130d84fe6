#!/usr/bin/python3
"""The fairness demo's table (experiments/run_fairness_demo.sh).

Reads, for each program and seed, the final-task objectives of the program the search chose:
summary.json's `objectives` for the accuracy-only, scalarized and constrained searches (the
run's best program), and the recommended member's row of pareto.csv for the Pareto search.
Shows every program whose searches of all the given seeds are in OUTPUT_DIR (the accuracy-only
one is required: it is what the others are measured against). Prints one row per program and
seed, the medians, the demo's target, and last one line per program:
  program=NAME test_accuracy=X test_auc=X test_dppl=X test_eod=X test_di=X valid_accuracy=X valid_dppl=X

Usage: fairness_table.py OUTPUT_DIR SEED [SEED ...]
"""
import csv
import json
import os
import statistics
import sys

PROGRAMS = ["accuracy_only", "scalarized", "constrained", "pareto"]
# (column, objective) in the table and the final lines.
METRICS = [("accuracy", "quality"), ("auc", "auc"), ("dppl", "dppl"),
           ("eod", "equalized_odds_difference"), ("di", "disparate_impact")]


def fail(message):
    print(f"error: {message}", file=sys.stderr)
    sys.exit(1)


def from_summary(run_dir):
    """{(split, objective): value} of the run's best program, from summary.json."""
    path = os.path.join(run_dir, "summary.json")
    try:
        with open(path) as f:
            summary = json.load(f)
    except (OSError, ValueError) as error:
        fail(f"{path}: {error}")
    values = {}
    for entry in summary.get("objectives", []):
        for split in ("final_valid", "final_test"):
            if split in entry:
                values[(split, entry["name"])] = float(entry[split])
    return values


def from_pareto(run_dir):
    """The same for the recommended member of pareto.csv."""
    path = os.path.join(run_dir, "pareto.csv")
    try:
        with open(path, newline="") as f:
            rows = [row for row in csv.DictReader(f) if row["recommended"] == "1"]
    except (OSError, KeyError) as error:
        fail(f"{path}: {error}")
    if len(rows) != 1:
        fail(f"{path}: {len(rows)} recommended members (want 1)")
    values = {}
    for key, value in rows[0].items():
        for split in ("final_valid", "final_test"):
            if key.startswith(split + "_"):
                values[(split, key[len(split) + 1:])] = float(value)
    return values


def scores(run_dir, program):
    values = from_pareto(run_dir) if program == "pareto" else from_summary(run_dir)
    row = {}
    for split, prefix in (("final_test", "test"), ("final_valid", "valid")):
        for column, objective in METRICS:
            if (split, objective) not in values:
                fail(f"{run_dir}: no {split} value of {objective}")
            row[f"{prefix}_{column}"] = values[(split, objective)]
    return row


def main():
    if len(sys.argv) < 3:
        fail("usage: fairness_table.py OUTPUT_DIR SEED [SEED ...]")
    out_dir, seeds = sys.argv[1], sys.argv[2:]
    programs = [p for p in PROGRAMS
                if all(os.path.isdir(os.path.join(out_dir, p, f"seed_{s}")) for s in seeds)]
    if "accuracy_only" not in programs:
        fail(f"{out_dir}: no accuracy_only search for every seed of {' '.join(seeds)}")
    rows = {p: [scores(os.path.join(out_dir, p, f"seed_{s}"), p) for s in seeds]
            for p in programs}
    columns = [f"{prefix}_{c}" for prefix in ("test", "valid") for c, _ in METRICS]
    print("program        seed  " + " ".join(f"{c:>14}" for c in columns))
    medians = {}
    for program in programs:
        for seed, row in zip(seeds, rows[program]):
            print(f"{program:14} {seed:>4}  " + " ".join(f"{row[c]:14.4f}" for c in columns))
        medians[program] = {c: statistics.median(r[c] for r in rows[program]) for c in columns}
        print(f"{program:14} {'med':>4}  " +
              " ".join(f"{medians[program][c]:14.4f}" for c in columns))
    # The target: a fairness-aware program cuts the unbiased test |DPPL| at least 3x
    # against the accuracy-only one and loses at most 2 points of test accuracy.
    base = medians["accuracy_only"]
    for program in programs[1:]:
        m = medians[program]
        cut = base["test_dppl"] / m["test_dppl"] if m["test_dppl"] > 0 else float("inf")
        loss = base["test_accuracy"] - m["test_accuracy"]
        verdict = "met" if cut >= 3 and loss <= 0.02 else "NOT met"
        print(f"target {program}: test |DPPL| cut {cut:.1f}x (>= 3x), test accuracy change "
              f"{-loss:+.4f} (>= -0.02): {verdict}")
    for program in programs:
        m = medians[program]
        print(f"program={program} test_accuracy={m['test_accuracy']:.4f} "
              f"test_auc={m['test_auc']:.4f} test_dppl={m['test_dppl']:.4f} "
              f"test_eod={m['test_eod']:.4f} test_di={m['test_di']:.4f} "
              f"valid_accuracy={m['valid_accuracy']:.4f} valid_dppl={m['valid_dppl']:.4f}")


if __name__ == "__main__":
    main()
