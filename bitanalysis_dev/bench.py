"""Benchmarks measured in one run, as ratios against named references: `python -m bitanalysis_dev.bench --scale small`
(`make bench`) runs each step in its own process and writes the results table, with the machine and versions, to
benchmarks/RESULTS.md; the steps live in `bench_data`, `bench_load`, `bench_duckdb`, `bench_reports` and `bench_checks`."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

from tqdm.auto import tqdm

from bitanalysis_dev.bench_checks import bench_checks
from bitanalysis_dev.bench_data import bench_municipality_data
from bitanalysis_dev.bench_duckdb import bench_match, bench_national, bench_national_data
from bitanalysis_dev.bench_load import bench_load, bench_load_reference, bench_xlsx
from bitanalysis_dev.bench_measure import SCALES
from bitanalysis_dev.bench_reports import bench_report, bench_report_all

STEPS = (
    "xlsx",
    "municipality_data",
    "load_reference",
    "load",
    "match",
    "report",
    "report_all",
    "checks",
    "national_data",
    "national",
)

BENCHES = {
    "xlsx": bench_xlsx,
    "municipality_data": bench_municipality_data,
    "load_reference": bench_load_reference,
    "load": bench_load,
    "match": bench_match,
    "report": bench_report,
    "report_all": bench_report_all,
    "checks": bench_checks,
    "national_data": bench_national_data,
    "national": bench_national,
}


def _ratio(r: dict) -> str:
    if r["reference"] is None:
        return ""
    return f"{r['measured'] / r['reference']:.2f}×" if r["measured"] >= r["reference"] else f"{r['reference'] / r['measured']:.1f}× faster"


def _cell(text: str) -> str:
    """A text as one markdown table cell (its pipes escaped)."""
    return text.replace("|", r"\|")


def _met(r: dict) -> str:
    """'yes' or 'NO' for a row with a target, with or without a ratio; empty for an information row."""
    return "" if not r["target"] else "yes" if r["ok"] else "NO"


def _missed(r: dict) -> str:
    """One line of the missed targets: the ratio or seconds (a check: what went wrong) against the target."""
    if r.get("check"):
        return f"- {r['benchmark']}: {r['reference_name']} (target: {r['target']})."
    figure = _ratio(r) or format(r["measured"], ".1f") + " s"
    return f"- {r['benchmark']}: {figure} against {r['target']}" + (f", peak {r['peak_mb']:,.0f} MB" if "peak_mb" in r else "") + "."


def results_markdown(rows: list[dict], scale: str, seconds: float | None = None) -> str:
    """The results table with the machine, date and versions, and the cell profile of the leader report."""
    versions = {n: metadata.version(n) for n in ("pandas", "pyarrow", "duckdb", "python-calamine", "openpyxl", "papermill", "nbconvert")}
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    lines = [
        f"# Benchmark results ({scale})",
        "",
        f"Measured {dt.date.today():%Y-%m-%d} on {platform.machine()} {platform.processor() or ''}, {os.cpu_count()} cores, "
        f"{memory:.0f} GiB, Python {platform.python_version()}, " + ", ".join(f"{k} {v}" for k, v in versions.items()) + ".",
        f"All figures from one run of `python -m bitanalysis_dev.bench --scale {scale}`"
        + (f" ({seconds / 60:.0f} minutes in all)" if seconds else "")
        + "; each step ran in its own process, so a peak is that "
        "step's own (process peak RSS). Times are the best of 2–3 repetitions where the step repeats.",
        "",
        "| benchmark | measured (s) | reference | reference (s) | ratio | target | met |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in [r for r in rows if not r.get("check")]:
        ref = "" if r["reference"] is None else f"{r['reference']:.2f}"
        peak = f" (peak {r['peak_mb']:,.0f} MB)" if "peak_mb" in r else ""
        lines.append(
            f"| {r['benchmark']} | {r['measured']:.2f}{peak} | {r['reference_name']} | {ref} | {_ratio(r)} | {r['target']} | {_met(r)} |"
        )
    checks = [r for r in rows if r.get("check")]
    if checks:
        lines += ["", "Checks on a copy of the sample municipality (data/sample), in the same run:", ""]
        lines += ["| check | s | target | met | what went wrong |", "|---|---|---|---|---|"]
        lines += [f"| {r['benchmark']} | {r['measured']:.2f} | {r['target']} | {_met(r)} | {_cell(r['reference_name'])} |" for r in checks]
    missed = [r for r in rows if r["target"] and not r["ok"]]
    if missed:
        lines += ["", "Missed targets:", ""] + [_missed(r) for r in missed]
    for r in rows:
        lines += _where_the_time_goes(r)
    return "\n".join(lines) + "\n"


def _where_the_time_goes(r: dict) -> list[str]:
    """A benchmark's profile: its notebook cells (papermill's durations), or the parts of a run."""
    lines = []
    if r.get("profile"):
        lines += ["", f"Where the time of '{r['benchmark']}' goes, by notebook cell (papermill's durations, s):", ""]
        lines += ["| cell | s |", "|---|---|"] + [f"| `{_cell(name)}` | {sec:.2f} |" for name, sec in r["profile"]]
        outside = r["measured"] - r["profile"][-1][1]
        where = "outside the cells: kernel start, papermill and nbconvert in the worker, privacy guard, publishing"
        lines.append(f"| {where} | {outside:.2f} |")
    if r.get("parts"):
        lines += ["", f"Where the time of '{r['benchmark']}' goes (s):", "", "| part | s |", "|---|---|"]
        lines += [f"| {_cell(name)} | {sec:.2f} |" for name, sec in r["parts"]]
    return lines


def _run_step(step: str, scale: str, work: Path) -> list[dict]:
    """Run one step in a fresh process and read back its results."""
    done = work / f"{step}.json"
    subprocess.run([sys.executable, "-m", "bitanalysis_dev.bench", "--scale", scale, "--step", step, "--work", str(work)], check=True)
    return json.loads(done.read_text(encoding="utf-8"))


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks, each step in its own process, and write benchmarks/RESULTS.md."""
    p = argparse.ArgumentParser(
        prog="python -m bitanalysis_dev.bench", description="Målte hastigheder som forhold til navngivne referencer."
    )
    p.add_argument("--scale", choices=list(SCALES), default="small")
    p.add_argument("--out", default="benchmarks/RESULTS.md")
    p.add_argument("--step", choices=STEPS, help=argparse.SUPPRESS)
    p.add_argument("--work", help="arbejdsmappe til de genererede data (standard: en midlertidig mappe, der slettes bagefter)")
    args = p.parse_args(argv)
    os.environ.setdefault("BITANALYSIS_KEY", "bench-key-not-secret-0123456789abcdef")
    if args.step:  # a child process: one step, results to <work>/<step>.json
        rows = BENCHES[args.step](Path(args.work), SCALES[args.scale])
        (Path(args.work) / f"{args.step}.json").write_text(json.dumps(rows), encoding="utf-8")
        return 0
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bitanalysis-bench-") as tmp:
        work = Path(args.work) if args.work else Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        results = []
        for step in (bar := tqdm(STEPS, desc="benchmark", unit="trin")):
            bar.set_postfix_str(step)
            results += _run_step(step, args.scale, work)
    text = results_markdown(results, args.scale, time.perf_counter() - started)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
