"""The choice measured after the rotating runs (docs/real-data.md, "Rotating search tasks").

Rule, fixed before any scoring: among the first discovery of each rotation (the best of the
re-scored population on tasks the search has not tuned to yet), take the one with the best mean
validation accuracy on proxy_select_tasks.textproto (50 select-like tasks, data seeds 5000+,
never the final tasks), then score it on the final tasks.

Usage, from the repository root with the opt build of evaluate_program:
  python3 experiments/results/fashion_30min_rotation/rotation_firsts/score_firsts.py RUN_DIR SEED
RUN_DIR is a rotating run's --output_dir (discoveries.csv and discoveries.txt). Prints one CSV row
per rotation (seed_N_firsts.csv) and then the chosen program's line (chosen.txt).
"""
import csv
import os
import re
import subprocess
import sys
import tempfile

EVALUATE = "bazel-out/k8-opt/bin/experiments/evaluate_program"
HERE = os.path.dirname(os.path.abspath(__file__))
PROXY_SELECT = os.path.join(HERE, "proxy_select_tasks.textproto")
FINAL = "experiments/specs/fashion_final_tasks.textproto"


def mean(program, tasks, seed, field):
    out = subprocess.run([EVALUATE, f"--program={program}", f"--tasks={tasks}",
                          f"--random_seed={seed}", "--per_task=false"],
                         capture_output=True, text=True, check=True).stdout
    return float(re.search(rf"mean_{field}_fitness=(\S+)", out).group(1))


def main(run, seed):
    rows = list(csv.DictReader(open(os.path.join(run, "discoveries.csv"))))
    text = open(os.path.join(run, "discoveries.txt")).read()
    programs = re.split(r"^# discovery .*\n", text, flags=re.M)[1:]
    assert len(rows) == len(programs), (len(rows), len(programs))
    work = tempfile.mkdtemp()
    seen, best = set(), None
    print("rotation,individuals,search,proxy_select")
    for row, program in zip(rows, programs):
        rotation = int(row["rotation"])
        if rotation in seen:
            continue
        seen.add(rotation)
        path = os.path.join(work, f"rotation_{rotation}.txt")
        open(path, "w").write(program)
        score = mean(path, PROXY_SELECT, seed, "valid")
        print(f"{rotation},{row['individuals']},{row['fitness']},{score}")
        if best is None or score > best[0]:
            best = (score, rotation, path)
    test = mean(best[2], FINAL, seed, "test")
    print(f"seed {seed}: chosen rotation {best[1]} proxy_select {best[0]} final_test {test}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
