"""Benchmarks measured in one run, as ratios against named references: `python -m bitanalysis_dev.bench --scale small`."""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import hmac
import json
import math
import os
import platform
import re
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

from bitanalysis.workspace.duck import connect

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
YEAR = "2026"
KEY = b"bench"  # the pseudonym key of the benchmark loads (and of the plain-pandas reference)
SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"
REFERENCE = "load_reference-figures.json"  # the plain-pandas reference's seconds, peak and rows, for the load step
CHECK_TARGET = "runs to the end, no stderr, no personal data"


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
    shutil.copy(SAMPLE / "bitanalysis.toml", folder / "bitanalysis.toml")
    files = sorted((folder / "dokumentation").glob(f"dokumentation_{YEAR}-*.csv"))
    lines = {f: f.read_bytes().decode("cp1252").split("\r\n") for f in files}
    bodies = {f: [line for line in v[1:] if line] for f, v in lines.items()}
    times = max(1, math.ceil(rows / sum(map(len, bodies.values()))))
    for f in tqdm(files, desc="dokumentation", unit="fil", leave=False):
        f.write_bytes(("\r\n".join([lines[f][0], *bodies[f] * times]) + "\r\n").encode("cp1252"))
    return sum(map(len, bodies.values())) * times


def documentation_files(folder: Path) -> list[Path]:
    """The documentation CSVs of a generated municipality."""
    return sorted((folder / "dokumentation").glob("*.csv"))


def warm(files: list[Path]) -> None:
    """Read every file once, 16 MB at a time, so a timed read finds it in the OS cache (and the peak stays low)."""
    for f in files:
        with f.open("rb") as fh:
            while fh.read(1 << 24):
                pass


def duration_minutes(text: pd.Series) -> pd.Series:
    """Minutes of durations written as plain minutes ("224", "22,5") or as h:mm ("4:06"), vectorised."""
    parts = text.str.partition(":")
    first = pd.to_numeric(parts[0].str.replace(",", ".", regex=False))
    colon = parts[1] == ":"
    return first.where(~colon, first * 60 + pd.to_numeric(parts[2].where(colon, "0")))


def pseudonyms(cpr: pd.Series, key: bytes) -> pd.Series:
    """The pseudonyms bitanalysis gives: "B-" + 12 hex digits of HMAC-SHA256 of the 10 digits, once per distinct CPR."""
    codes, uniques = pd.factorize(cpr.str.replace("-", "", regex=False))
    names = pd.array(["B-" + hmac.new(key, d.encode(), hashlib.sha256).hexdigest()[:12] for d in uniques], dtype="string")
    return pd.Series(names.take(codes, allow_fill=True), index=cpr.index)


def pandas_reference(files: list[Path], key: bytes) -> pd.DataFrame:
    """The plain-pandas reference of a first load: the CSVs read and concatenated, dates and durations parsed, CPR
    pseudonymised (Dato a date, Varighed minutes, CPR the pseudonym)."""
    frame = pd.concat([pd.read_csv(f, sep=";", encoding="cp1252", dtype=str) for f in files], ignore_index=True)
    frame["Dato"] = pd.to_datetime(frame["Dato"], format="%d-%m-%Y")
    frame["Varighed"] = duration_minutes(frame["Varighed"])
    frame["CPR"] = pseudonyms(frame["CPR"], key)
    return frame


def bench_municipality_data(work: Path, scale: Scale) -> list[dict]:
    """Generate the large municipality (no row: its first load is timed by the load step, in a fresh process)."""
    municipality(work / "municipality", scale.citizens, scale.rows)
    return []


def bench_load_reference(work: Path, scale: Scale) -> list[dict]:
    """Time the plain-pandas reference on the municipality's documentation CSVs (no row: the load step reports it)."""
    files = documentation_files(work / "municipality")
    warm(files)
    t, frame = _timed(pandas_reference, files, KEY)
    figures = {"seconds": t, "peak_mb": _peak_mb(), "rows": len(frame)}
    (work / REFERENCE).write_text(json.dumps(figures), encoding="utf-8")
    return []


def load_row(citizens: int, rows: int, in_year: int, seconds: float, peak_mb: float, reference: dict) -> dict:
    """The results row of the first load: ≤ 3× the plain-pandas reference and ≤ 2 GB peak."""
    return {
        "benchmark": f"6. first load, {citizens:,} citizens, {rows:,} delivery rows from CSV ({in_year:,} in {YEAR})",
        "measured": seconds,
        "reference": reference["seconds"],
        "reference_name": f"plain pandas read_csv + date/duration parse + pseudonymisation (peak {reference['peak_mb']:,.0f} MB)",
        "target": "≤ 3× and ≤ 2 GB peak",
        "ok": seconds / reference["seconds"] <= 3 and peak_mb <= 2048,
        "peak_mb": peak_mb,
    }


def bench_load(work: Path, scale: Scale) -> list[dict]:
    """6: the first load of the municipality (its cache deleted) against the plain-pandas reference of the step before.

    The load reads the orders, rates and other files too; the reference only the documentation CSVs, nearly all of it.
    The snapshot it writes is what the match and report steps load.
    """
    from bitanalysis import load
    from bitanalysis.workspace.cache import CACHE_DIR

    folder = work / "municipality"
    reference = json.loads((work / REFERENCE).read_text(encoding="utf-8"))
    shutil.rmtree(folder / CACHE_DIR, ignore_errors=True)
    warm(documentation_files(folder))
    t_load, ws = _timed(load, folder, key=KEY)
    peak = _peak_mb()
    files = ws.load_report.files[ws.load_report.files["table"] == "deliveries"]
    rows = int(files["rows_read"].sum())
    assert rows == reference["rows"], "the load and the reference read the same documentation rows"
    in_year = int(files.loc[files["file"].str.contains(f"_{YEAR}-", regex=False), "rows_read"].sum())
    return [load_row(scale.citizens, rows, in_year, t_load, peak, reference)]


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


def cell_label(source: str) -> str:
    """What a cell does, in one line: the heading it shows ("## Budget og forventet regnskab"), else its first line
    that is not a condition, an import or a comment."""
    lines = [line.strip() for line in source.strip().splitlines() if line.strip()]
    heading = next((m.group(1) for line in lines if (m := re.search(r'md\(\s*f?"(#+ [^"\\]+)', line))), None)
    plain = next((line for line in lines if not re.match(r"(if |elif |else:|for |#|from |import )", line)), None)
    return (heading or plain or (lines[0] if lines else "(empty)"))[:70]


def cell_profile(notebook: Path, top: int = 8) -> list[tuple[str, float]]:
    """The slowest code cells of an executed notebook (papermill's durations): what each does and seconds."""
    import nbformat

    nb = nbformat.read(notebook, as_version=4)
    cells = [(cell_label(c.source), c.metadata.get("papermill", {}).get("duration") or 0.0) for c in nb.cells if c.cell_type == "code"]
    return sorted(cells, key=lambda c: -c[1])[:top] + [("all cells", sum(d for _, d in cells))]


def one_cell_seconds(work: Path) -> float:
    """The best of two one-cell papermill + nbconvert runs: the reference of the report benchmarks."""
    from bitanalysis.reports.run import execute, to_html

    one = work / "one.py"
    one.write_text('# %% tags=["parameters"]\nx = 1\n\n# %%\nprint(x)\n', encoding="utf-8")

    def one_cell() -> None:
        execute(one, work / "one.ipynb", {"x": 2}, work)
        to_html(work / "one.ipynb", work / "one.html")

    return _best(one_cell, 2)[0]


def bench_report(work: Path, scale: Scale, period: str = "2026-10") -> list[dict]:
    """4: the leader report for one month on the large municipality against a one-cell papermill + nbconvert run."""
    from bitanalysis.reports.run import run

    t_one = one_cell_seconds(work)
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


def sample_copy(work: Path) -> Path:
    """A copy of the sample municipality (data/sample, without its cache) in the work folder, made once."""
    from bitanalysis.workspace.cache import CACHE_DIR

    data = work / "sample"
    if not data.exists():
        shutil.copytree(SAMPLE, data, ignore=shutil.ignore_patterns(CACHE_DIR))
    return data


def report_all_row(reports: int, seconds: float, one_cell: float, cold: float, period: str) -> dict:
    """The results row of `report all`: at most half a one-cell run per report."""
    return {
        "benchmark": f"7. report all for {period} on the sample: {reports} reports, the leader report printed to PDF as "
        f"`make report` does (first run {cold:.1f} s)",
        "measured": seconds,
        "reference": one_cell,
        "reference_name": "one-cell papermill + nbconvert run",
        "target": f"≤ {reports}/2 × one-cell run",
        "ok": seconds <= reports / 2 * one_cell,
    }


def bench_report_all(work: Path, scale: Scale, period: str = "2026-10") -> list[dict]:
    """7: `report all` on the sample (its default: two workers, the leader report printed) against one-cell runs."""
    from bitanalysis.reports.run import run

    data, out = sample_copy(work), work / "sample-reports"
    t_one = one_cell_seconds(work)
    t_cold, _ = _timed(run, ["all"], period, data, out)  # the first load of the sample and the privacy guard's cache
    t_all, result = _timed(run, ["all"], period, data, out)
    return [report_all_row(len(result.jobs), t_all, t_one, t_cold, period) | {"parts": report_parts(result.jobs, result.folder, t_all)}]


def report_parts(jobs: list, folder: Path, seconds: float, workers: int = 2) -> list[tuple[str, float]]:
    """Where a run's time goes: each kind of report (its jobs' seconds, and the part spent in the notebooks' cells),
    and what the runner does outside the workers."""
    parts = []
    for kind in dict.fromkeys(j.name for j in jobs):
        mine = [j for j in jobs if j.name == kind]
        cells = sum(cell_profile(folder / f"{j.output}.ipynb", top=0)[-1][1] for j in mine)
        total = sum(j.seconds for j in mine)
        parts.append((f"{len(mine)} × {kind} report: in the worker (of which in the cells {cells:.2f} s)", total))
    busy = sum(j.seconds for j in jobs) / workers
    parts.append((f"the reports' seconds shared by {workers} workers", busy))
    parts.append(("outside the reports: checking the data, printing the PDF, the privacy guard, publishing", seconds - busy))
    return parts


def check_row(benchmark: str, seconds: float, problems: list[str]) -> dict:
    """The results row of a check: met when nothing went wrong, else the first problem as its note."""
    return {
        "benchmark": benchmark,
        "measured": seconds,
        "reference": None,
        "reference_name": problems[0] if problems else "",
        "target": CHECK_TARGET,
        "ok": not problems,
        "check": True,
    }


def first_line(text: str) -> str:
    """The first non-empty line of a text, shortened to 120 characters."""
    return next((line.strip()[:120] for line in text.splitlines() if line.strip()), "")


def published_problems(folder: Path, data: Path) -> list[str]:
    """Personal data in the files published to a folder: CPR numbers, staff names and notes of the input."""
    from bitanalysis import load
    from bitanalysis.reports.run import privacy_hits
    from bitanalysis.workspace.write import own_texts, sensitive_of

    files = sorted(p for p in folder.rglob("*") if p.is_file())
    if not files:
        return [f"nothing published in {folder.name}"]
    ws = load(data)
    return privacy_hits(files, sensitive_of(ws), allowed=own_texts(ws))


def cli_check(data: Path, out: Path, period: str, what: str) -> dict:
    """The leader report for a period through the CLI: exit code 0, nothing on stderr, no personal data published."""
    from bitanalysis.core.period import period as as_period

    command = [sys.executable, "-m", "bitanalysis", "report", "leader", "--period", period, "--data", str(data), "--out", str(out)]
    t, done = _timed(subprocess.run, command, capture_output=True, text=True)
    problems = [f"exit code {done.returncode}"] if done.returncode else []
    problems += [f"stderr: {first_line(done.stderr) or repr(done.stderr[:60])}"] if done.stderr else []
    problems += published_problems(out / as_period(period).label, data) if not done.returncode else []
    return check_row(f"{what}: leader report for {period} (CLI)", t, problems)


def notebook_outputs(notebook: Path) -> list[dict]:
    """Every output of every code cell of an executed notebook."""
    import nbformat

    nb = nbformat.read(notebook, as_version=4)
    return [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]


def outputs_text(outputs: list[dict]) -> str:
    """The text a reader sees in the outputs: streams, markdown, plain text and HTML (the tables)."""
    kinds = ("text/markdown", "text/plain", "text/html")
    return "\n".join([o.get("text", "") for o in outputs] + [o.get("data", {}).get(k, "") for o in outputs for k in kinds])


def notebook_problems(outputs: list[dict], notebook: Path, data: Path) -> list[str]:
    """What is wrong with an executed analyst notebook: an error cell, stderr output, personal data."""
    from bitanalysis.reports.run import privacy_hits
    from bitanalysis.workspace.sensitive import sensitive_texts

    errors = [f"error cell: {o['ename']}: {first_line(o['evalue'])}" for o in outputs if o.get("output_type") == "error"]
    stderr = [f"stderr: {first_line(o.get('text', ''))}" for o in outputs if o.get("output_type") == "stream" and o.get("name") == "stderr"]
    return errors[:1] + stderr[:1] + privacy_hits([notebook], sensitive_texts(data))


def notebook_check(data: Path, out: Path, period: str, **filters: str) -> tuple[float, list[dict], list[str]]:
    """Run analyst notebook 03 with filters: its seconds, outputs and problems (a failing cell stops it: a problem)."""
    from bitanalysis_dev.notebooks import execute

    parameters = {"data_dir": str(data.resolve()), "period": period, **filters}
    start = time.perf_counter()
    try:
        notebook = execute("03_bit_match", out, parameters)
    except Exception as exc:  # papermill's error for a failing cell, or a kernel that died
        return time.perf_counter() - start, [], [f"stopped: {type(exc).__name__}: {first_line(str(exc))}"]
    seconds, outputs = time.perf_counter() - start, notebook_outputs(notebook)
    return seconds, outputs, notebook_problems(outputs, notebook, data)


def bench_checks(work: Path, scale: Scale, period: str = "2026-10") -> list[dict]:
    """On the sample: the leader report for a quarter and a year (CLI), and notebook 03 with a filter that selects
    nothing (it says so) and with "§ 85" and provider "361" (it shows the provider's row)."""
    from bitanalysis import load, provider_summary

    data, out = sample_copy(work), work / "check-reports"
    rows = [cli_check(data, out, "2026-Q3", "quarter run"), cli_check(data, out, "2025", "year run")]
    t, outputs, problems = notebook_check(data, work / "check-nothing", period, provider_id="999999", paragraph="§ 999")
    if outputs and "findes ikke i data" not in outputs_text(outputs):
        problems.append("the notebook does not say that the filter selects nothing")
    rows.append(check_row('a filter that selects nothing: notebook 03 with provider "999999" and "§ 999"', t, problems))
    t, outputs, problems = notebook_check(data, work / "check-row", period, provider_id="361", paragraph="§ 85")
    want = provider_summary(load(data), period, paragraph="SEL §85", provider_id="000361")
    text = outputs_text(outputs)
    if outputs and (len(want) != 1 or want["provider_name"].iloc[0] not in text or "findes ikke i data" in text):
        problems.append(f"the row of provider 000361 under SEL §85 is not shown ({len(want)} row(s) in provider_summary)")
    rows.append(check_row('"§ 85" with provider "361": notebook 03 finds its row', t, problems))
    return rows


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
