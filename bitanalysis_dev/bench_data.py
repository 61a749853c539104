"""The data the benchmarks run on: a provider documentation export in xlsx, a generated municipality with about the
rows a scale asks for (and its documentation CSVs), and a copy of the sample municipality."""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from bitanalysis_dev.bench_measure import SAMPLE, YEAR, Scale


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


def sample_copy(work: Path) -> Path:
    """A copy of the sample municipality (data/sample, without its cache) in the work folder, made once."""
    from bitanalysis.workspace.cache import CACHE_DIR

    data = work / "sample"
    if not data.exists():
        shutil.copytree(SAMPLE, data, ignore=shutil.ignore_patterns(CACHE_DIR))
    return data


def bench_municipality_data(work: Path, scale: Scale) -> list[dict]:
    """Generate the large municipality (no row: its first load is timed by the load step, in a fresh process)."""
    municipality(work / "municipality", scale.citizens, scale.rows)
    return []
