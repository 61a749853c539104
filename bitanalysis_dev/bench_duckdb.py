"""The query benchmarks against DuckDB (3 and 5): the full-year match against a hand-written DuckDB query doing the
same aggregation and join, and the national delivery rows aggregated per order and month out of core."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from bitanalysis.workspace.duck import connect
from bitanalysis_dev.bench_measure import KEY, YEAR, Scale, _best, _peak_mb, _timed

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

    ws = load(work / "municipality", key=KEY)  # from the snapshot: the delivery rows stay in Parquet
    ws.figures = None  # the match is computed in each repetition, never read from the figures kept between runs
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
