"""Benchmarks measured in one run, as ratios against named references: `python -m bitanalysis_dev.bench --scale small`."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from bitanalysis._duck import connect

T = TypeVar("T")


@dataclass(frozen=True)
class Scale:
    """The sizes of one benchmark run."""

    citizens: int  # citizens of the generated municipality
    rows: int  # documentation rows in its benchmark year (2026)
    xlsx_rows: int  # rows of the documentation export read from xlsx
    national_rows: int  # delivery rows of the national aggregation


SCALES = {
    "small": Scale(1_000, 1_000_000, 50_000, 5_000_000),
    "large": Scale(10_000, 10_000_000, 200_000, 10_000_000),  # the large municipality (Copenhagen)
    "national": Scale(10_000, 10_000_000, 200_000, 100_000_000),  # and the 98 municipalities' 100 million rows
}
STEPS = ("xlsx", "municipality", "match", "report", "national_data", "national")
YEAR = "2026"


def _timed(fn: Callable[..., T], *args: Any, **kwargs: Any) -> tuple[float, T]:
    """Seconds one call takes, and its result."""
    start = time.perf_counter()
    out = fn(*args, **kwargs)
    return time.perf_counter() - start, out


def _best(fn: Callable[[], T], repeat: int) -> tuple[float, T]:
    """The fastest of `repeat` timed calls, and the last result."""
    runs = [_timed(fn) for _ in range(repeat)]
    return min(t for t, _ in runs), runs[-1][1]


def _peak_mb() -> float:
    """This process's peak resident memory so far (each step runs in its own process)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def documentation_xlsx(path: Path, rows: int, seed: int = 1) -> Path:
    """A provider documentation export in xlsx with `rows` rows (CPR, date, minutes, provider, service, staff, note)."""
    from openpyxl import Workbook

    rng = np.random.default_rng(seed)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Dokumentation")
    ws.append(["Dokumentation, udtræk"])
    ws.append([])
    ws.append(["CPR", "Dato", "Varighed", "TilbudsID", "Ydelse", "Medarbejder", "Notat"])
    days = pd.date_range("2026-01-01", "2026-12-31").strftime("%d-%m-%Y").to_numpy()
    cprs = [
        f"{d:02d}{m:02d}{y:02d}-{n:04d}"
        for d, m, y, n in zip(
            rng.integers(1, 29, 5000), rng.integers(1, 13, 5000), rng.integers(50, 99, 5000), rng.integers(0, 10000, 5000)
        )
    ]
    for c, d, mnt, p in zip(
        rng.integers(0, len(cprs), rows), rng.integers(0, len(days), rows), rng.integers(15, 240, rows), rng.integers(0, 25, rows)
    ):
        ws.append([cprs[c], days[d], f"{mnt // 60}:{mnt % 60:02d}", f"{p:06d}", "Socialpædagogisk støtte", "Anne Hansen", "Samtale"])
    wb.save(path)
    return path


def bench_xlsx(work: Path, scale: Scale) -> list[dict]:
    """1 and 2: the loader on a documentation xlsx against pandas + openpyxl; a second (cached) load against the first."""
    from bitanalysis import load

    rows = scale.xlsx_rows
    data = work / "xlsx"
    data.mkdir(exist_ok=True)
    documentation_xlsx(data / "dokumentation.xlsx", rows)
    (data / "bitanalysis.toml").write_text('[deliveries]\nfiles = "dokumentation.xlsx"\n', encoding="utf-8")
    t_openpyxl, _ = _timed(pd.read_excel, data / "dokumentation.xlsx", engine="openpyxl", header=2, dtype=str)
    t_first, ws = _timed(load, data, key=b"bench")
    t_second, again = _best(lambda: load(data, key=b"bench"), 3)
    assert len(ws.deliveries) == rows and len(again.deliveries) == rows
    return [
        {
            "benchmark": f"1. read a {rows:,}-row documentation xlsx",
            "measured": t_first,
            "reference": t_openpyxl,
            "reference_name": "pandas.read_excel(engine='openpyxl')",
            "target": "≥ 5× faster",
            "ok": t_openpyxl / t_first >= 5,
        },
        {
            "benchmark": "2. second load of the unchanged file (cache)",
            "measured": t_second,
            "reference": t_first,
            "reference_name": "the first load",
            "target": "≥ 20× faster",
            "ok": t_first / t_second >= 20,
        },
    ]


def municipality(folder: Path, citizens: int, rows: int, seed: int = 7) -> int:
    """Generate a municipality of `citizens` citizens whose 2026 documentation CSVs hold about `rows` rows; the row count.

    The generator's own 2026 documentation is repeated as many times as it takes (a repeated row inside one export is
    another visit, so every row is loaded).
    """
    from bitanalysis_dev.sample import generate_sample

    generate_sample(folder, seed=seed, citizens=citizens, providers=max(25, citizens // 160))
    shutil.copy(Path(__file__).resolve().parents[1] / "data" / "sample" / "bitanalysis.toml", folder / "bitanalysis.toml")
    files = sorted((folder / "dokumentation").glob(f"dokumentation_{YEAR}-*.csv"))
    lines = {f: f.read_bytes().decode("cp1252").split("\r\n") for f in files}
    bodies = {f: [line for line in v[1:] if line] for f, v in lines.items()}
    times = max(1, math.ceil(rows / sum(map(len, bodies.values()))))
    for f in tqdm(files, desc="dokumentation", unit="fil", leave=False):
        f.write_bytes(("\r\n".join([lines[f][0], *bodies[f] * times]) + "\r\n").encode("cp1252"))
    return sum(map(len, bodies.values())) * times


def bench_municipality(work: Path, scale: Scale) -> list[dict]:
    """Generate the large municipality and load it once (the first load builds the cache the next steps use)."""
    from bitanalysis import load

    rows = municipality(work / "municipality", scale.citizens, scale.rows)
    t_first, ws = _timed(load, work / "municipality", key=b"bench", progress=True)
    return [
        {
            "benchmark": f"first load of the municipality: {scale.citizens:,} citizens, {ws.delivery_rows():,} delivery rows "
            f"({rows:,} in {YEAR}) from CSV",
            "measured": t_first,
            "reference": None,
            "reference_name": "(information; no target)",
            "target": "",
            "ok": True,
            "peak_mb": _peak_mb(),
        }
    ]


DUCK_MATCH = """
WITH d AS (SELECT row_number() OVER () AS r, * FROM deliveries WHERE date BETWEEN DATE '2026-01-01' AND DATE '2026-12-31'),
c AS (
  SELECT d.r, o.order_id, d.minutes, strftime(d.date, '%Y-%m') AS month, (d.service = o.service) AS same
  FROM d JOIN orders o ON d.citizen_id = o.citizen_id AND d.provider_id = o.provider_id
   AND d.date >= o.start_date AND d.date <= coalesce(o.end_date, DATE '2200-12-31')
),
n AS (SELECT r, count(*) AS n, sum(CASE WHEN same THEN 1 ELSE 0 END) AS n_same FROM c GROUP BY r),
chosen AS (SELECT c.* FROM c JOIN n USING (r) WHERE n.n = 1 OR (c.same AND n.n_same = 1))
SELECT order_id, month, sum(minutes) / 60 AS delivered_hours FROM chosen GROUP BY order_id, month
"""


def bench_match(work: Path, scale: Scale) -> list[dict]:
    """3: the full-year match against a hand-written DuckDB query doing the same delivery aggregation and join."""
    from bitanalysis import load, match

    ws = load(work / "municipality", key=b"bench")  # from the snapshot: the delivery rows stay in Parquet
    file = ws.unread_deliveries()
    assert file is not None, "the municipality's delivery rows are read from the snapshot"
    source = f"read_parquet('{file.as_posix()}')"
    con = connect(memory_limit="4GB", temp_directory=work / "duck")
    con.register("orders", ws.orders.drop(columns=["themes"]))
    con.execute(f"SELECT count(*), sum(minutes) FROM {source}").fetchall()  # the file in the OS cache for both

    def fresh_match() -> pd.DataFrame:
        ws.memo.clear()  # each repetition computes the match anew
        return match(ws, YEAR)

    t_match, m = _best(fresh_match, 3)
    peak = _peak_mb()
    t_duck, duck = _best(lambda: con.execute(DUCK_MATCH.replace("FROM deliveries", f"FROM {source}")).df(), 3)
    total = duck["delivered_hours"].sum()
    assert abs(m["delivered_hours"].sum() - total) <= 1e-9 * max(1.0, total), "the match and the DuckDB query disagree"
    return [
        {
            "benchmark": f"3. full-year match, {scale.citizens:,} citizens, {ws.delivery_rows():,} delivery rows ({len(m):,} order-months)",
            "measured": t_match,
            "reference": t_duck,
            "reference_name": "hand-written DuckDB SQL (same aggregation and join)",
            "target": "≤ 1.5× and ≤ 4 GB peak",
            "ok": t_match / t_duck <= 1.5 and peak <= 4096,
            "peak_mb": peak,
        }
    ]


def cell_profile(notebook: Path, top: int = 8) -> list[tuple[str, float]]:
    """The slowest code cells of an executed notebook (papermill's durations): first line and seconds."""
    import nbformat

    nb = nbformat.read(notebook, as_version=4)
    cells = [
        (c.source.strip().splitlines()[0][:70] if c.source.strip() else "(empty)", c.metadata.get("papermill", {}).get("duration") or 0.0)
        for c in nb.cells
        if c.cell_type == "code"
    ]
    return sorted(cells, key=lambda c: -c[1])[:top] + [("all cells", sum(d for _, d in cells))]


def bench_report(work: Path, scale: Scale, period: str = "2026-10") -> list[dict]:
    """4: the leader report for one month on the large municipality against a one-cell papermill + nbconvert run."""
    from bitanalysis._report import execute, run, to_html

    one = work / "one.py"
    one.write_text('# %% tags=["parameters"]\nx = 1\n\n# %%\nprint(x)\n', encoding="utf-8")

    def one_cell() -> None:
        execute(one, work / "one.ipynb", {"x": 2}, work)
        to_html(work / "one.ipynb", work / "one.html")

    t_one, _ = _best(one_cell, 2)
    data, out = work / "municipality", work / "reports"
    t_cold, _ = _timed(run, ["leader"], period, data, out, pdf=False, workers=1)  # builds the privacy guard's cache
    t_leader, _ = _best(lambda: run(["leader"], period, data, out, pdf=False, workers=1), 2)
    profile = cell_profile(out / period / "leader.ipynb")
    return [
        {
            "benchmark": f"4. leader report for {period}, {scale.citizens:,} citizens (first run {t_cold:.1f} s)",
            "measured": t_leader,
            "reference": t_one,
            "reference_name": "one-cell papermill + nbconvert run",
            "target": "≤ 3×",
            "ok": t_leader / t_one <= 3,
            "profile": profile,
        }
    ]


def bench_national_data(work: Path, scale: Scale) -> list[dict]:
    """Write the national delivery rows to Parquet (in its own process, so step 5's peak memory is the query's own)."""
    con = connect(memory_limit="2GB", temp_directory=work / "duck")
    path = work / "national.parquet"
    orders = max(1, scale.national_rows // 100)  # about 100 rows per order and year
    t, _ = _timed(
        con.execute,
        f"""COPY (SELECT 'O' || (hash(i) % {orders})::VARCHAR AS order_id,
                   DATE '2026-01-01' + (hash(i * 7) % 365)::INTEGER AS date, (i % 120 + 10)::DOUBLE AS minutes
                   FROM range({scale.national_rows}) t(i)) TO '{path.as_posix()}' (FORMAT parquet)""",
    )
    return [
        {
            "benchmark": f"writing {scale.national_rows:,} national delivery rows to Parquet",
            "measured": t,
            "reference": None,
            "reference_name": "(information; no target)",
            "target": "",
            "ok": True,
        }
    ]


def bench_national(work: Path, scale: Scale) -> list[dict]:
    """5: delivered minutes per order and month from the national Parquet rows, out of core in under 2 GB.

    DuckDB's memory_limit covers its own buffers, not the Python process around it, so it is set to 1.5 GB.
    """
    con = connect(memory_limit="1.5GB", temp_directory=work / "duck")
    path, out = work / "national.parquet", work / "national-months.parquet"
    if not path.exists():
        bench_national_data(work, scale)
    query = f"""SELECT order_id, strftime(date, '%Y-%m') AS month, sum(minutes) AS minutes
                FROM read_parquet('{path.as_posix()}') GROUP BY ALL"""
    t, _ = _timed(con.execute, f"COPY ({query}) TO '{out.as_posix()}' (FORMAT parquet)")
    n = con.execute(f"SELECT count(*) FROM read_parquet('{out.as_posix()}')").fetchone()[0]
    peak = _peak_mb()
    return [
        {
            "benchmark": f"5. national: minutes per order and month from {scale.national_rows:,} Parquet rows "
            "(DuckDB, memory_limit 1.5 GB)",
            "measured": t,
            "reference": None,
            "reference_name": f"{n:,} order-months written to Parquet",
            "target": "≤ 120 s and ≤ 2 GB",
            "ok": t <= 120 and peak <= 2048,
            "peak_mb": peak,
        }
    ]


BENCHES = {
    "xlsx": bench_xlsx,
    "municipality": bench_municipality,
    "match": bench_match,
    "report": bench_report,
    "national_data": bench_national_data,
    "national": bench_national,
}


def _ratio(r: dict) -> str:
    if r["reference"] is None:
        return ""
    return f"{r['measured'] / r['reference']:.2f}×" if r["measured"] >= r["reference"] else f"{r['reference'] / r['measured']:.1f}× faster"


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
    for r in rows:
        ref = "" if r["reference"] is None else f"{r['reference']:.2f}"
        peak = f" (peak {r['peak_mb']:,.0f} MB)" if "peak_mb" in r else ""
        met = "" if not r["target"] else "yes" if r["ok"] else "NO"
        lines.append(
            f"| {r['benchmark']} | {r['measured']:.2f}{peak} | {r['reference_name']} | {ref} | {_ratio(r)} | {r['target']} | {met} |"
        )
    missed = [r for r in rows if r["target"] and not r["ok"]]
    if missed:
        lines += ["", "Missed targets:", ""] + [
            f"- {r['benchmark']}: {_ratio(r) or format(r['measured'], '.1f') + ' s'} against "
            f"{r['target']}" + (f", peak {r['peak_mb']:,.0f} MB" if "peak_mb" in r else "") + "."
            for r in missed
        ]
    for r in rows:
        if r.get("profile"):
            lines += (
                [
                    "",
                    f"Where the time of '{r['benchmark']}' goes, by notebook cell (papermill's durations, s):",
                    "",
                    "| cell | s |",
                    "|---|---|",
                ]
                + [f"| `{name}` | {sec:.2f} |" for name, sec in r["profile"]]
                + [
                    f"| outside the cells: kernel start, papermill and nbconvert in the worker, privacy guard, publishing | "
                    f"{r['measured'] - r['profile'][-1][1]:.2f} |"
                ]
            )
    return "\n".join(lines) + "\n"


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
