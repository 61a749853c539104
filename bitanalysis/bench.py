"""Benchmarks measured in one run, as ratios against named references: `python -m bitanalysis.bench --scale small`."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import resource
import shutil
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

import numpy as np
import pandas as pd

from .duck import connect

SCALES = {  # citizens, delivery rows in the benchmark year, xlsx rows, national rows
    "small": (1_000, 1_000_000, 50_000, 5_000_000),
    "large": (10_000, 10_000_000, 200_000, 100_000_000),
    "national": (10_000, 10_000_000, 200_000, 100_000_000),
}


def _timed(fn, *args, **kwargs) -> tuple[float, object]:
    start = time.perf_counter()
    out = fn(*args, **kwargs)
    return time.perf_counter() - start, out


def _peak_mb() -> float:
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
    cprs = [f"{d:02d}{m:02d}{y:02d}-{n:04d}" for d, m, y, n in zip(rng.integers(1, 29, 5000), rng.integers(1, 13, 5000),
                                                                     rng.integers(50, 99, 5000), rng.integers(0, 10000, 5000))]
    for c, d, mnt, p in zip(rng.integers(0, len(cprs), rows), rng.integers(0, len(days), rows), rng.integers(15, 240, rows),
                            rng.integers(0, 25, rows)):
        ws.append([cprs[c], days[d], f"{mnt // 60}:{mnt % 60:02d}", f"{p:06d}", "Socialpædagogisk støtte", "Anne Hansen", "Samtale"])
    wb.save(path)
    return path


def bench_xlsx(work: Path, rows: int) -> list[dict]:
    """1 and 2: the loader on a documentation xlsx against pandas + openpyxl; a second (cached) load against the first."""
    from .load import load

    data = work / "xlsx"
    data.mkdir()
    documentation_xlsx(data / "dokumentation.xlsx", rows)
    (data / "bitanalysis.toml").write_text('[deliveries]\nfiles = "dokumentation.xlsx"\n', encoding="utf-8")
    t_openpyxl, _ = _timed(pd.read_excel, data / "dokumentation.xlsx", engine="openpyxl", header=2, dtype=str)
    t_first, ws = _timed(load, data, key=b"bench")
    t_second, _ = _timed(load, data, key=b"bench")
    assert len(ws.deliveries) == rows
    return [
        {"benchmark": f"1. read a {rows:,}-row documentation xlsx", "measured": t_first, "reference": t_openpyxl,
         "reference_name": "pandas.read_excel(engine='openpyxl')", "target": "≥ 5× faster", "ok": t_openpyxl / t_first >= 5},
        {"benchmark": "2. second load of unchanged files (cache)", "measured": t_second, "reference": t_first,
         "reference_name": "the first load", "target": "≥ 20× faster", "ok": t_first / t_second >= 20},
    ]


def scaled_workspace(work: Path, citizens: int, rows: int, seed: int = 7):
    """A generated municipality of `citizens` citizens with `rows` synthetic delivery rows in 2026 for its orders."""
    from .load import Workspace, load
    from .sample import generate_sample

    data = work / "municipality"
    generate_sample(data, seed=seed, citizens=citizens)
    shutil.copy(Path(__file__).resolve().parents[1] / "data" / "sample" / "bitanalysis.toml", data / "bitanalysis.toml")
    ws = load(data, key=b"bench")
    orders = ws.orders[(ws.orders["start_date"] <= "2026-12-31") & (ws.orders["end_date"].fillna(pd.Timestamp("2200-01-01")) >= "2026-01-01")]
    rng = np.random.default_rng(seed)
    pick = rng.integers(0, len(orders), rows)
    start = orders["start_date"].clip(lower=pd.Timestamp("2026-01-01")).to_numpy()[pick]
    end = orders["end_date"].fillna(pd.Timestamp("2026-12-31")).clip(upper=pd.Timestamp("2026-12-31")).to_numpy()[pick]
    span = ((end - start) / np.timedelta64(1, "D")).astype(int) + 1
    dates = start + (rng.random(rows) * span).astype("timedelta64[D]")
    deliveries = pd.DataFrame({
        "citizen_id": orders["citizen_id"].to_numpy()[pick], "provider_id": orders["provider_id"].to_numpy()[pick],
        "date": dates.astype("datetime64[us]"), "minutes": rng.integers(10, 180, rows).astype("float64"),
        "service": orders["service"].to_numpy()[pick],
    })
    return Workspace.from_frames(orders=ws.orders, rates=ws.rates, deliveries=deliveries, assessments=ws.assessments,
                                 budget=ws.budget, price_index=ws.price_index)


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


def bench_match(work: Path, citizens: int, rows: int) -> list[dict]:
    """3: the full-year match against a hand-written DuckDB query doing the same delivery aggregation and join."""
    from .match import match

    ws = scaled_workspace(work, citizens, rows)
    con = connect(memory_limit="4GB", temp_directory=work / "duck")
    con.register("deliveries", ws.deliveries)
    con.register("orders", ws.orders.drop(columns=["themes"]))
    t_duck, duck = _timed(lambda: con.execute(DUCK_MATCH).df())
    before = _peak_mb()
    t_match, m = _timed(match, ws, "2026")
    assert abs(m["delivered_hours"].sum() - duck["delivered_hours"].sum()) < 1e-6 * max(1.0, duck["delivered_hours"].sum())
    return [{"benchmark": f"3. full-year match, {citizens:,} citizens, {rows:,} delivery rows", "measured": t_match, "reference": t_duck,
             "reference_name": "hand-written DuckDB SQL (same aggregation and join)", "target": "≤ 1.5× and ≤ 4 GB peak",
             "ok": t_match / t_duck <= 1.5 and _peak_mb() <= 4096, "peak_mb": max(before, _peak_mb())}]


def bench_report(work: Path) -> list[dict]:
    """4: the leader report for one month on the sample against a one-cell papermill + nbconvert run."""
    from .report import execute, run, to_html

    one = work / "one.py"
    one.write_text('# %% tags=["parameters"]\nx = 1\n\n# %%\nprint(x)\n', encoding="utf-8")
    t_one, _ = _timed(lambda: (execute(one, work / "one.ipynb", {"x": 2}, work), to_html(work / "one.ipynb", work / "one.html")))
    sample = Path(__file__).resolve().parents[1] / "data" / "sample"
    t_leader, _ = _timed(run, ["leader"], "2026-10", sample, work / "reports", pdf=False, workers=1)
    return [{"benchmark": "4. leader report, one month (sample)", "measured": t_leader, "reference": t_one,
             "reference_name": "one-cell papermill + nbconvert run", "target": "≤ 3×", "ok": t_leader / t_one <= 3}]


def bench_national(work: Path, rows: int) -> list[dict]:
    """5: delivered minutes per order and month from `rows` delivery rows in Parquet, out of core under a 2 GB limit."""
    con = connect(memory_limit="2GB", temp_directory=work / "duck")
    path = work / "national.parquet"
    con.execute(f"""COPY (SELECT (i % 1000000)::VARCHAR AS order_id, DATE '2026-01-01' + (i % 365)::INTEGER AS date,
                   (i % 120 + 10)::DOUBLE AS minutes FROM range({rows}) t(i)) TO '{path.as_posix()}' (FORMAT parquet)""")
    query = f"""SELECT order_id, strftime(date, '%Y-%m') AS month, sum(minutes) AS minutes
                FROM read_parquet('{path.as_posix()}') GROUP BY ALL"""
    t, n = _timed(lambda: con.execute(f"SELECT count(*) FROM ({query})").fetchone()[0])
    return [{"benchmark": f"5. national: minutes per order and month from {rows:,} Parquet rows (DuckDB, 2 GB limit)", "measured": t,
             "reference": None, "reference_name": f"{n:,} order-months", "target": "≤ 120 s and ≤ 2 GB", "ok": t <= 120,
             "peak_mb": _peak_mb()}]


def results_markdown(rows: list[dict], scale: str) -> str:
    """The results table with the machine, date and versions."""
    versions = {n: metadata.version(n) for n in ("pandas", "duckdb", "python-calamine", "openpyxl", "papermill")}
    lines = [f"# Benchmark results ({scale})", "",
             f"Measured {dt.date.today():%Y-%m-%d} on {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
             + ", ".join(f"{k} {v}" for k, v in versions.items()) + ". All figures from one run of "
             f"`python -m bitanalysis.bench --scale {scale}`.", "",
             "| benchmark | measured (s) | reference | reference (s) | ratio | target | met |", "|---|---|---|---|---|---|---|"]
    for r in rows:
        ratio = "" if r["reference"] is None else f"{r['measured'] / r['reference']:.2f}×" if r["measured"] >= r["reference"] \
            else f"{r['reference'] / r['measured']:.1f}× faster"
        ref = "" if r["reference"] is None else f"{r['reference']:.2f}"
        peak = f" (peak {r['peak_mb']:,.0f} MB)" if "peak_mb" in r else ""
        lines.append(f"| {r['benchmark']} | {r['measured']:.2f}{peak} | {r['reference_name']} | {ref} | {ratio} | {r['target']} | "
                     f"{'yes' if r['ok'] else 'NO'} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks and write benchmarks/RESULTS.md."""
    p = argparse.ArgumentParser(prog="python -m bitanalysis.bench", description="Målte hastigheder som forhold til navngivne referencer.")
    p.add_argument("--scale", choices=list(SCALES), default="small")
    p.add_argument("--out", default="benchmarks/RESULTS.md")
    args = p.parse_args(argv)
    citizens, rows, xlsx_rows, national = SCALES[args.scale]
    os.environ.setdefault("BITANALYSIS_KEY", "bench")
    results = []
    with tempfile.TemporaryDirectory(prefix="bitanalysis-bench-") as tmp:
        work = Path(tmp)
        for step, call in (("xlsx", lambda: bench_xlsx(work, xlsx_rows)), ("match", lambda: bench_match(work, citizens, rows)),
                           ("report", lambda: bench_report(work)), ("national", lambda: bench_national(work, national))):
            print(f"… {step}", flush=True)
            results += call()
    text = results_markdown(results, args.scale)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
