#!/usr/bin/python3
"""Writes OUTPUT_DIR/report.html: what a search run found, for a person to read offline.

Usage: experiments/report.py OUTPUT_DIR [--point=LABEL=X,Y]...

Reads what run_search_experiment left in OUTPUT_DIR (progress.csv, summary.json,
discoveries.csv / .txt, best_algorithm_simplified.txt, and pareto.csv after a PARETO
search) and writes report.html with SVG figures next to it (report_*.svg): fitness
against individuals, throughput and FEC hit rate, select fitness per experiment, and the
timeline of discoveries with each simplified program and its diff from the previous one;
after a PARETO search, the front on the final tasks' test split (else the most final split
pareto.csv has), first objective up, second along, with a table of the members. Each
--point=LABEL=X,Y puts a reference program (say a hand-written baseline scored by
evaluate_program) on the front's axes.
Static files only: no script, no network. Uses Debian's python3-matplotlib (Agg backend)
and python3-numpy (tests/install_deps.sh installs them).
"""

import csv
import difflib
import html
import json
import os
import re
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (after the backend is chosen)

DISCOVERY_HEADER = re.compile(
    r"^# discovery experiment=(\d+) individuals=(\d+) fitness=(\S+) live_size=(\d+)$")

STYLE = """
body { font-family: sans-serif; max-width: 1000px; margin: 2em auto; padding: 0 1em;
       color: #222; line-height: 1.4; }
h1 { font-size: 1.6em; } h2 { margin-top: 2em; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; } td, th { padding: 2px 12px 2px 0; text-align: left; }
th { font-weight: normal; color: #555; }
pre { background: #f6f6f6; padding: 0.6em; overflow-x: auto; font-size: 0.9em; }
img { max-width: 100%; }
.discovery { display: flex; gap: 1em; flex-wrap: wrap; }
.discovery > div { flex: 1 1 420px; min-width: 0; }
.diff span { display: block; min-height: 1em; }
.add { color: #0a6b0a; background: #e6f6e6; }
.del { color: #a01010; background: #fbeaea; }
.note { color: #666; }
"""


def read_csv(path):
    if not os.path.exists(path):
        return []
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def by_experiment(rows):
    groups = {}
    for row in rows:
        groups.setdefault(int(row["experiment"]), []).append(row)
    return groups


def read_discovery_programs(path):
    """The blocks of discoveries.txt: [(header fields, program text)]."""
    blocks = []
    if not os.path.exists(path):
        return blocks
    with open(path) as f:
        for line in f:
            match = DISCOVERY_HEADER.match(line.rstrip("\n"))
            if match:
                blocks.append([match.groups(), ""])
            elif blocks:
                blocks[-1][1] += line
    return blocks


def legend(ax, **kwargs):
    """Outside the axes, on the right, so that it hides no curve; left out when there are too
    many experiments to tell apart by colour."""
    if len(ax.get_legend_handles_labels()[1]) <= 24:
        ax.legend(fontsize="small", loc="upper left", bbox_to_anchor=(1.01, 1), **kwargs)


def against_individuals(ax, ylabel, title):
    """Labels a per-experiment plot against individuals (log x), with grid and legend."""
    ax.set_xscale("log")
    ax.set_xlabel("individuals (within the experiment)")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.grid(True, alpha=0.3)
    legend(ax)


def save(fig, out_dir, name):
    fig.tight_layout()
    fig.savefig(os.path.join(out_dir, name), format="svg")
    plt.close(fig)
    return name


def fitness_figure(progress, out_dir):
    fig, ax = plt.subplots(figsize=(10, 4.5))
    for experiment, rows in sorted(by_experiment(progress).items()):
        x = [int(r["indivs"]) for r in rows]
        line, = ax.plot(x, [float(r["best_fitness"]) for r in rows], drawstyle="steps-post",
                        label=f"experiment {experiment} best")
        ax.plot(x, [float(r["mean_fitness"]) for r in rows], linestyle=":",
                color=line.get_color(), label=f"experiment {experiment} mean")
    against_individuals(ax, "fitness on T_search", "Best-ever and population mean fitness")
    return save(fig, out_dir, "report_fitness.svg")


def throughput_figure(progress, out_dir):
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(10, 6), sharex=True)
    for experiment, rows in sorted(by_experiment(progress).items()):
        x = [int(r["indivs"]) for r in rows]
        top.plot(x, [float(r["indivs_per_sec"]) for r in rows], label=f"experiment {experiment}")
        bottom.plot(x, [float(r["fec_hit_rate"]) for r in rows], label=f"experiment {experiment}")
    top.set_ylabel("individuals / s")
    top.set_title("Throughput (cumulative average) and FEC hit rate")
    bottom.set_ylabel("FEC hit rate")
    bottom.set_ylim(0, 1)
    bottom.set_xscale("log")
    bottom.set_xlabel("individuals (within the experiment)")
    for ax in (top, bottom):
        ax.grid(True, alpha=0.3)
    legend(top)
    return save(fig, out_dir, "report_throughput.svg")


def select_figure(summary, out_dir):
    experiments = summary.get("experiments", [])
    fig, ax = plt.subplots(figsize=(10, 3.5))
    names = [str(e["experiment"]) for e in experiments]
    width = 0.4
    positions = range(len(experiments))
    ax.bar([p - width / 2 for p in positions], [e["search_fitness"] for e in experiments],
           width, label="search (T_search)")
    ax.bar([p + width / 2 for p in positions], [e["select_fitness"] for e in experiments],
           width, label="select (T_select)")
    ax.set_xticks(list(positions), names)
    ax.set_xlabel("experiment")
    ax.set_ylabel("fitness")
    ax.set_title("Each experiment's best program: search and select fitness")
    ax.grid(True, axis="y", alpha=0.3)
    legend(ax)
    return save(fig, out_dir, "report_select.svg")


def discoveries_figure(discoveries, out_dir):
    fig, ax = plt.subplots(figsize=(10, 4))
    for experiment, rows in sorted(by_experiment(discoveries).items()):
        x = [int(r["individuals"]) for r in rows]
        y = [float(r["fitness"]) for r in rows]
        ax.step(x, y, where="post", marker="o", label=f"experiment {experiment}")
        for xi, yi, r in zip(x, y, rows):
            ax.annotate(r["live_size"], (xi, yi), textcoords="offset points", xytext=(3, -12),
                        fontsize=7, color="#555")
    against_individuals(ax, "best fitness on T_search", "Discoveries (numbers: live instructions)")
    return save(fig, out_dir, "report_discoveries.svg")


# pareto.csv's splits, most trustworthy first: the front is drawn on the first one it has.
PARETO_SPLITS = ("final_test", "final_valid", "select", "search")


def pareto_axes(rows):
    """(split, y objective, x objective) of the front's figure: pareto.csv
    (experiments/pareto_output.h) lists the pareto objectives first, as search_<name> columns;
    the first one goes up the y axis (quality, usually), the second along x (a cost or a
    fairness gap)."""
    columns = list(rows[0].keys())
    objectives = [c[len("search_"):] for c in columns if c.startswith("search_")][:2]
    if len(objectives) < 2:
        sys.exit("error: pareto.csv has fewer than two search_<objective> columns")
    for split in PARETO_SPLITS:
        if all(f"{split}_{o}" in rows[0] and rows[0][f"{split}_{o}"] not in ("", "nan")
               for o in objectives):
            return split, objectives[0], objectives[1]
    return "search", objectives[0], objectives[1]


def pareto_figure(rows, points, out_dir):
    """The front on its first two objectives, the recommended member marked, and reference
    points (e.g. hand-written baselines) on the same axes."""
    split, y_name, x_name = pareto_axes(rows)
    xs = [float(r[f"{split}_{x_name}"]) for r in rows]
    ys = [float(r[f"{split}_{y_name}"]) for r in rows]
    fig, ax = plt.subplots(figsize=(8, 4.5))
    ax.scatter(xs, ys, color="C0", label=f"front members ({len(rows)})")
    chosen = [i for i, r in enumerate(rows) if r.get("recommended") == "1"]
    if chosen:
        ax.scatter([xs[i] for i in chosen], [ys[i] for i in chosen], marker="*", s=220,
                   color="C3", zorder=3, label=f"recommended ({rows[chosen[0]]['program']})")
    for n, (label, x, y) in enumerate(points):
        ax.scatter([x], [y], marker="D", s=60, color=f"C{2 + n}", zorder=3, label=label)
    all_x = xs + [x for _, x, _ in points]
    positive = [x for x in all_x if x > 0]
    if min(all_x) >= 0 and positive and max(positive) / min(positive) > 20:
        # Costs span orders of magnitude; a cost of 0 (an empty Predict) needs the linear part
        # of a symmetric log scale.
        if min(all_x) > 0:
            ax.set_xscale("log")
        else:
            ax.set_xscale("symlog", linthresh=1)
    ax.set_xlabel(f"{x_name} ({split})")
    ax.set_ylabel(f"{y_name} ({split})")
    ax.set_title("Pareto front")
    ax.grid(True, alpha=0.3)
    legend(ax)
    return save(fig, out_dir, "report_pareto.svg")


def pareto_table(rows):
    """Every member's two front objectives on each split, best first, with its program file."""
    split, y_name, x_name = pareto_axes(rows)
    splits = [s for s in reversed(PARETO_SPLITS) if f"{s}_{y_name}" in rows[0]]
    head = "".join(f"<th>{html.escape(f'{s} {o}')}</th>" for s in splits
                   for o in (y_name, x_name))
    lines = [f"<p>Members by {html.escape(y_name)} on {split}; the recommended one in bold.</p>",
             f"<table><tr><th>program</th>{head}</tr>"]
    for row in sorted(rows, key=lambda r: -float(r[f"{split}_{y_name}"])):
        cells = "".join(f"<td>{html.escape(row[f'{s}_{o}'])}</td>" for s in splits
                        for o in (y_name, x_name))
        name = html.escape(row["program"])
        if row.get("recommended") == "1":
            name = f"<b>{name}</b>"
        lines.append(f"<tr><td>{name}</td>{cells}</tr>")
    lines.append("</table>")
    return "\n".join(lines)


def diff_html(previous, current):
    lines = []
    for line in difflib.unified_diff(previous.splitlines(), current.splitlines(), lineterm="",
                                     n=100):
        if line.startswith(("---", "+++", "@@")):
            continue
        kind = {"+": "add", "-": "del"}.get(line[:1], "same")
        lines.append(f'<span class="{kind}">{html.escape(line)}</span>')
    # Block spans, one per line: newlines between them would add blank lines in a <pre>.
    return "".join(lines) if lines else "(same program text)"


def timeline_html(blocks, discoveries):
    if not blocks:
        return '<p class="note">No discoveries.txt in this directory.</p>'
    parts = []
    previous = {}
    for i, ((experiment, individuals, fitness, live_size), program) in enumerate(blocks):
        elapsed = discoveries[i]["elapsed_secs"] if i < len(discoveries) else "?"
        parts.append(f"<h3>Experiment {experiment}, {int(individuals):,} individuals "
                     f"({elapsed} s): fitness {float(fitness)!r}, {live_size} live "
                     f"instruction{'' if live_size == '1' else 's'}</h3>")
        before = previous.get(experiment)
        if before is None:
            change = '<p class="note">The experiment\'s first best program.</p>'
        else:
            change = f'<pre class="diff">{diff_html(before, program)}</pre>'
        parts.append(f'<div class="discovery"><div><b>Simplified program</b>'
                     f"<pre>{html.escape(program)}</pre></div>"
                     f"<div><b>Change from the previous discovery</b>{change}</div></div>")
        previous[experiment] = program
    return "\n".join(parts)


def summary_table(summary):
    keys = [("final_fitness", "final fitness (unseen tasks)"),
            ("final_test_fitness", "final test fitness"),
            ("best_experiment", "best experiment (by select fitness)"),
            ("best_select_fitness", "its select fitness"),
            ("individuals", "individuals"), ("seconds", "seconds"),
            ("num_islands", "islands"), ("random_seed", "random seed"),
            ("spec_path", "spec"), ("interrupted", "interrupted")]
    def shown(value):
        return f"{value:.6g}" if isinstance(value, float) else str(value)
    rows = [f"<tr><th>{label}</th><td>{html.escape(shown(summary[key]))}</td></tr>"
            for key, label in keys if key in summary]
    return "<table>" + "".join(rows) + "</table>"


def figure(name, alt):
    return f'<p><img src="{name}" alt="{html.escape(alt)}"></p>'


def write_report(out_dir, points=()):
    progress = read_csv(os.path.join(out_dir, "progress.csv"))
    discoveries = read_csv(os.path.join(out_dir, "discoveries.csv"))
    pareto = read_csv(os.path.join(out_dir, "pareto.csv"))
    blocks = read_discovery_programs(os.path.join(out_dir, "discoveries.txt"))
    summary = {}
    if os.path.exists(os.path.join(out_dir, "summary.json")):
        with open(os.path.join(out_dir, "summary.json")) as f:
            summary = json.load(f)
    simplified_path = os.path.join(out_dir, "best_algorithm_simplified.txt")
    best = open(simplified_path).read() if os.path.exists(simplified_path) else None
    if not progress and best is None:
        sys.exit(f"error: {out_dir} holds no progress.csv or best_algorithm_simplified.txt "
                 "(not a run_search_experiment --output_dir?)")

    body = [f"<h1>Search report: {html.escape(os.path.abspath(out_dir))}</h1>",
            summary_table(summary)]
    body.append("<h2>The program found</h2>")
    if best is None:
        body.append('<p class="note">No best_algorithm_simplified.txt (the run has not ended).</p>')
    else:
        body.append("<p>The best program by select fitness, simplified (exactly the same results "
                    "as best_algorithm.txt, with what cannot matter taken out).</p>")
        body.append(f"<pre>{html.escape(best)}</pre>")
    if progress:
        body.append("<h2>Fitness</h2>")
        body.append(figure(fitness_figure(progress, out_dir), "fitness against individuals"))
        body.append("<h2>Throughput</h2>")
        body.append(figure(throughput_figure(progress, out_dir), "throughput and FEC hit rate"))
    if summary.get("experiments"):
        body.append("<h2>Experiments</h2>")
        body.append(figure(select_figure(summary, out_dir), "select fitness per experiment"))
    body.append("<h2>Discoveries</h2>")
    if discoveries:
        body.append("<p>Each new best-ever program, looked for at every progress point "
                    "(docs/reading_results.md).</p>")
        body.append(figure(discoveries_figure(discoveries, out_dir), "discoveries"))
    body.append(timeline_html(blocks, discoveries))
    if pareto:
        body.append("<h2>Pareto front</h2>")
        body.append(figure(pareto_figure(pareto, points, out_dir), "Pareto front"))
        body.append(pareto_table(pareto))

    path = os.path.join(out_dir, "report.html")
    with open(path, "w") as f:
        f.write("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
                f"<title>Search report</title><style>{STYLE}</style></head><body>\n"
                + "\n".join(body) + "\n</body></html>\n")
    return path


def parse_point(text):
    """LABEL=X,Y (e.g. "logistic regression=16,0.8714") as (label, x, y)."""
    label, _, values = text.rpartition("=")
    try:
        x, y = (float(v) for v in values.split(","))
    except ValueError:
        sys.exit(f"error: --point {text!r}: want LABEL=X,Y with numbers X and Y")
    if not label:
        sys.exit(f"error: --point {text!r}: want LABEL=X,Y (the label is missing)")
    return label, x, y


def main(argv):
    points, args = [], []
    for arg in argv[1:]:
        if arg.startswith("--point="):
            points.append(parse_point(arg[len("--point="):]))
        elif arg.startswith("--"):
            sys.exit(f"error: unknown flag {arg} "
                     "(usage: report.py OUTPUT_DIR [--point=LABEL=X,Y]...)")
        else:
            args.append(arg)
    if len(args) != 1:
        sys.exit("usage: report.py OUTPUT_DIR [--point=LABEL=X,Y]...")
    if not os.path.isdir(args[0]):
        sys.exit(f"error: {args[0]} is not a directory")
    print(write_report(args[0], points))


if __name__ == "__main__":
    main(sys.argv)
