#!/usr/bin/env python3
"""Prints the tables of docs/BENCHMARKS.md from the raw results of the bench/ scripts (standard library only).

  report.py http RESULTS.tsv...      throughput, latency, startup and memory, per application and configuration
  report.py startup RESULTS.tsv...   time to the first served request
  report.py jmh RESULTS.json...      per-operation cost with and without the agent (JMH -rf json files)

Figures are medians over rounds. Ratios and differences against "none" are paired: computed inside each round (the
runs that ran next to each other) and then their median taken, which cancels most of the drift of a shared machine.
"""
import csv
import json
import statistics
import sys
from collections import defaultdict

CONFIG_ORDER = ["none", "learn", "monitor", "enforce", "jsm", "datadog"]
CONFIG_NAMES = {
    "none": "no agent",
    "learn": "inlay learn",
    "monitor": "inlay monitor",
    "enforce": "inlay enforce",
    "jsm": "JDK SecurityManager",
    "datadog": "dd-java-agent AppSec",
}
# Targets from the benchmark issue: throughput ratio floors and the p99 ceiling (ratio to no agent).
THROUGHPUT_TARGET = {"learn": 0.95, "monitor": 0.98, "enforce": 0.98}
P99_TARGET = 1.05
STARTUP_TARGET_MS = 100


def read_tsv(paths):
    rows = []
    comments = []
    for path in paths:
        with open(path) as f:
            lines = []
            for line in f:
                if line.startswith("#"):
                    comments.append(line.strip())
                elif line.strip():
                    lines.append(line)
        header = None
        for rec in csv.reader(lines, delimiter="\t"):
            if rec[0] == "app":
                header = rec
                continue
            if header is None:
                continue
            rows.append(dict(zip(header, rec)))
    return rows, comments


def num(value):
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def fmt(value, digits=0, suffix=""):
    value = num(value)
    if value is None or value != value:
        return "n/a"
    return f"{value:,.{digits}f}{suffix}"


def ordered(configs):
    return [c for c in CONFIG_ORDER if c in configs] + sorted(c for c in configs if c not in CONFIG_ORDER)


def table(headers, rows):
    widths = [max(len(str(x)) for x in col) for col in zip(headers, *rows)]
    out = ["| " + " | ".join(str(h).ljust(w) for h, w in zip(headers, widths)) + " |",
           "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    for r in rows:
        out.append("| " + " | ".join(str(c).ljust(w) for c, w in zip(r, widths)) + " |")
    return "\n".join(out)


def paired(runs, config, field, op):
    """Per-round op(config value, none value), over rounds where both ran."""
    base = {r["round"]: num(r.get(field)) for r in runs if r["config"] == "none"}
    out = []
    for r in runs:
        if r["config"] != config:
            continue
        b, v = base.get(r["round"]), num(r.get(field))
        if b is not None and v is not None and b != 0:
            out.append(op(v, b))
    return median(out)


def verdict(ok):
    return "meets" if ok else "MISSED"


def report_http(paths):
    rows, comments = read_tsv(paths)
    for c in comments:
        print(c)
    by_app = defaultdict(list)
    for r in rows:
        by_app[r["app"]].append(r)
    for app, runs in by_app.items():
        configs = ordered({r["config"] for r in runs})
        print(f"\n### {app}: throughput and latency (wrk)\n")
        out = []
        for c in configs:
            mine = [r for r in runs if r["config"] == c]
            rps_ratio = paired(runs, c, "rps", lambda v, b: v / b) if c != "none" else 1.0
            p99_ratio = paired(runs, c, "p99_ms", lambda v, b: v / b) if c != "none" else 1.0
            notes = []
            if c in THROUGHPUT_TARGET and rps_ratio is not None:
                notes.append(f"throughput >= {THROUGHPUT_TARGET[c]}: {verdict(rps_ratio >= THROUGHPUT_TARGET[c])}")
                if p99_ratio is not None:
                    notes.append(f"p99 <= {P99_TARGET}: {verdict(p99_ratio <= P99_TARGET)}")
            errors = sum(int(num(r["errors"]) or 0) for r in mine)
            denials = sum(int(num(r["denials"]) or 0) for r in mine)
            cpu = median(num(r.get("cpu_us_per_req")) for r in mine if num(r.get("cpu_us_per_req")) is not None)
            cpu_ratio = paired(runs, c, "cpu_us_per_req", lambda v, b: v / b) if c != "none" else 1.0
            out.append([CONFIG_NAMES.get(c, c), len(mine), fmt(median(num(r["rps"]) for r in mine)),
                        fmt(rps_ratio, 3), fmt(cpu, 1), fmt(cpu_ratio, 3), fmt(median(num(r["p50_ms"]) for r in mine), 2),
                        fmt(median(num(r["p99_ms"]) for r in mine), 2), fmt(p99_ratio, 3),
                        errors, denials, fmt(median(num(r["load1"]) for r in mine), 2), "; ".join(notes)])
        print(table(["configuration", "runs", "req/s", "x no agent", "CPU us/req", "x no agent", "p50 ms", "p99 ms", "p99 x no agent",
                     "errors", "denied", "load", "target"], out))

        print(f"\n### {app}: startup (first served request) and memory\n")
        out = []
        for c in configs:
            mine = [r for r in runs if r["config"] == c]
            diff = (lambda v, b: v - b)
            added_start = paired(runs, c, "startup_ms", diff) if c != "none" else 0.0
            notes = []
            if c in ("learn", "monitor", "enforce") and added_start is not None:
                notes.append(f"startup +{STARTUP_TARGET_MS} ms: {verdict(added_start <= STARTUP_TARGET_MS)}")
            out.append([CONFIG_NAMES.get(c, c), fmt(median(num(r["startup_ms"]) for r in mine)), fmt(added_start),
                        fmt(mib(median(num(r["rss_idle_kib"]) for r in mine)), 1),
                        fmt(mib(paired(runs, c, "rss_idle_kib", diff)) if c != "none" else 0.0, 1),
                        fmt(mib(median(num(r["rss_load_kib"]) for r in mine)), 1),
                        fmt(mib(paired(runs, c, "rss_load_kib", diff)) if c != "none" else 0.0, 1),
                        fmt(mib(median(num(r["heap_idle_kib"]) for r in mine)), 1),
                        fmt(mib(paired(runs, c, "heap_idle_kib", diff)) if c != "none" else 0.0, 1),
                        fmt(mib(median(num(r["heap_live_load_kib"]) for r in mine)), 1),
                        fmt(mib(paired(runs, c, "heap_live_load_kib", diff)) if c != "none" else 0.0, 1),
                        fmt(mib(median(num(r["heap_load_kib"]) for r in mine)), 1),
                        "; ".join(notes)])
        print(table(["configuration", "startup ms", "added ms", "RSS idle MiB", "added", "RSS load MiB", "added",
                     "live heap idle MiB", "added", "live heap after load MiB", "added",
                     "heap used at end of load MiB", "target"], out))


def mib(kib):
    return None if kib is None else kib / 1024


def report_startup(paths):
    rows, comments = read_tsv(paths)
    for c in comments:
        print(c)
    by_app = defaultdict(list)
    for r in rows:
        by_app[r["app"]].append(r)
    for app, runs in by_app.items():
        print(f"\n### {app}: time to the first served request\n")
        out = []
        for c in ordered({r["config"] for r in runs}):
            mine = [num(r["startup_ms"]) for r in runs if r["config"] == c]
            added = paired(runs, c, "startup_ms", lambda v, b: v - b) if c != "none" else 0.0
            note = ""
            if c in ("learn", "monitor", "enforce") and added is not None:
                note = f"+{STARTUP_TARGET_MS} ms: {verdict(added <= STARTUP_TARGET_MS)}"
            out.append([CONFIG_NAMES.get(c, c), len(mine), fmt(median(mine)), fmt(min(v for v in mine if v is not None)),
                        fmt(max(v for v in mine if v is not None)), fmt(added), note])
        print(table(["configuration", "runs", "median ms", "min ms", "max ms", "added ms (paired median)",
                     "target"], out))


def report_jmh(paths):
    """Median score over rounds per operation and variant; the ratio is the median of per-round ratios."""
    scores = defaultdict(lambda: defaultdict(dict))  # operation -> variant -> round -> (score, unit)
    for path in paths:
        round_id = path.rsplit("/", 1)[-1].split("-", 1)[0]
        with open(path) as f:
            for r in json.load(f):
                operation = r["benchmark"].rsplit(".", 1)[-1]
                variant = "agent" if r["benchmark"].rsplit(".", 2)[-2] == "WithAgent" else "plain"
                scores[operation][variant][round_id] = (r["primaryMetric"]["score"], r["primaryMetric"]["scoreUnit"])
    print("\n### Per-operation cost (JMH average time; median over rounds)\n")
    out = []
    for operation in sorted(scores):
        plain, agent = scores[operation]["plain"], scores[operation]["agent"]
        unit = next(iter((plain or agent).values()))[1]
        plain_median = median(v[0] for v in plain.values())
        agent_median = median(v[0] for v in agent.values())
        paired_rounds = [k for k in plain if k in agent]
        ratio = median(agent[k][0] / plain[k][0] for k in paired_rounds if plain[k][0])
        added = median(agent[k][0] - plain[k][0] for k in paired_rounds)
        out.append([operation, len(paired_rounds), fmt(plain_median, 3), fmt(agent_median, 3), fmt(added, 3),
                    fmt(ratio, 2), unit])
    print(table(["operation", "rounds", "no agent", "inlay enforce", "added (paired)", "ratio (paired)", "unit"], out))


def main(argv):
    if len(argv) < 3 or argv[1] not in ("http", "startup", "jmh"):
        print(__doc__, file=sys.stderr)
        return 2
    if argv[1] == "http":
        report_http(argv[2:])
    elif argv[1] == "startup":
        report_startup(argv[2:])
    else:
        report_jmh(argv[2:])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
