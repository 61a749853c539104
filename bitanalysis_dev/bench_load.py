"""The loading benchmarks (1, 2 and 6): the loader on an xlsx export against pandas + openpyxl, a cached second load,
and the first load of the generated municipality against a plain-pandas reference (read, parse, pseudonymise)."""

from __future__ import annotations

import hashlib
import hmac
import json
import shutil
from pathlib import Path

import pandas as pd

from bitanalysis_dev.bench_data import documentation_files, documentation_xlsx
from bitanalysis_dev.bench_measure import KEY, YEAR, Scale, _best, _peak_mb, _timed

REFERENCE = "load_reference-figures.json"  # the plain-pandas reference's seconds, peak and rows, for the load step


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
